/**
 * Save text as a file from the browser. CSV gets a UTF-8 BOM so Excel opens
 * Hebrew correctly.
 */
export function downloadText(filename: string, text: string, type = "text/csv;charset=utf-8"): void {
  const bom = type.startsWith("text/csv") && !text.startsWith("\ufeff") ? "\ufeff" : "";
  const url = URL.createObjectURL(new Blob([bom + text], { type }));
  const a = document.createElement("a");
  a.href = url;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** localStorage JSON with a fallback (private mode, corrupt values). */
export function loadPref<T>(key: string, fallback: T): T {
  try {
    const raw = localStorage.getItem(`kesher:${key}`);
    return raw ? (JSON.parse(raw) as T) : fallback;
  } catch {
    return fallback;
  }
}

export function savePref(key: string, value: unknown): void {
  try {
    localStorage.setItem(`kesher:${key}`, JSON.stringify(value));
  } catch {
    // Preferences are a convenience; ignore storage errors.
  }
}
