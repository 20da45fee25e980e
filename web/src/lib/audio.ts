/**
 * Play audio that arrives base64-encoded from the API (TTS previews and test
 * call answers). One shared <audio> element so a new answer stops the last.
 */
let current: HTMLAudioElement | undefined;

export function audioUrl(base64: string, mime: string): string {
  const bin = atob(base64);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return URL.createObjectURL(new Blob([bytes], { type: mime }));
}

/** Play and resolve when playback ends (or immediately if the browser blocks autoplay). */
export async function playAudio(url: string): Promise<void> {
  current?.pause();
  const el = new Audio(url);
  current = el;
  await new Promise<void>((resolve) => {
    el.onended = () => resolve();
    el.onerror = () => resolve();
    el.play().catch(() => resolve());
  });
}

export function stopAudio(): void {
  current?.pause();
}
