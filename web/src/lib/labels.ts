/** Hebrew labels and badge tones for the database enums. */

export type TTone = "gray" | "brand" | "blue" | "amber" | "green" | "red" | "violet";

export const CUSTOMER_STATUS: Record<string, { label: string; tone: TTone }> = {
  new: { label: "חדש", tone: "blue" },
  contacted: { label: "נוצר קשר", tone: "violet" },
  qualified: { label: "מתאים", tone: "brand" },
  viewing: { label: "בצפייה", tone: "amber" },
  negotiation: { label: "משא ומתן", tone: "amber" },
  won: { label: "נסגר", tone: "green" },
  lost: { label: "אבוד", tone: "red" },
};
export const CUSTOMER_STATUS_ORDER = ["new", "contacted", "qualified", "viewing", "negotiation", "won", "lost"] as const;

export const CUSTOMER_SOURCE: Record<string, string> = {
  call: "שיחה",
  whatsapp: "וואטסאפ",
  sms: "SMS",
  manual: "ידני",
  import: "ייבוא",
};

export const CALL_STATUS: Record<string, { label: string; tone: TTone }> = {
  queued: { label: "בתור", tone: "gray" },
  ringing: { label: "מצלצל", tone: "amber" },
  in_progress: { label: "בשיחה", tone: "green" },
  completed: { label: "הסתיימה", tone: "gray" },
  busy: { label: "תפוס", tone: "red" },
  failed: { label: "נכשלה", tone: "red" },
  no_answer: { label: "לא נענתה", tone: "red" },
  canceled: { label: "בוטלה", tone: "gray" },
};

export const SPEAKER: Record<string, string> = {
  caller: "מתקשר",
  assistant: "קשר",
  system: "מערכת",
  tool: "פעולה",
  staff: "נציג",
};

export const DEAL_TYPE: Record<string, string> = { sale: "מכירה", rent: "השכרה" };

export const PROPERTY_TYPE: Record<string, string> = {
  apartment: "דירה",
  office: "משרד",
  penthouse: "פנטהאוז",
  garden_apartment: "דירת גן",
  duplex: "דופלקס",
  studio: "סטודיו",
  store: "חנות",
};

export const PROPERTY_STATUS: Record<string, { label: string; tone: TTone }> = {
  available: { label: "פנוי", tone: "green" },
  under_offer: { label: "במשא ומתן", tone: "amber" },
  sold: { label: "נמכר", tone: "gray" },
  rented: { label: "הושכר", tone: "gray" },
  inactive: { label: "לא פעיל", tone: "gray" },
};

export const APPOINTMENT_STATUS: Record<string, { label: string; tone: TTone }> = {
  requested: { label: "התבקשה", tone: "amber" },
  confirmed: { label: "מאושרת", tone: "green" },
  cancelled: { label: "בוטלה", tone: "red" },
  done: { label: "התקיימה", tone: "gray" },
  no_show: { label: "לא הגיע", tone: "red" },
};

export const TASK_STATUS: Record<string, { label: string; tone: TTone }> = {
  open: { label: "פתוחה", tone: "blue" },
  done: { label: "בוצעה", tone: "green" },
  cancelled: { label: "בוטלה", tone: "gray" },
};

export const TASK_PRIORITY: Record<string, { label: string; tone: TTone }> = {
  low: { label: "נמוכה", tone: "gray" },
  normal: { label: "רגילה", tone: "blue" },
  high: { label: "גבוהה", tone: "red" },
};

export const PERMISSION_LABEL: Record<string, string> = {
  calls: "שיחות",
  customers: "לקוחות",
  properties: "נכסים",
  appointments: "פגישות",
  tasks: "משימות",
  whatsapp: "וואטסאפ",
  billing: "חיובים",
  analytics: "דוחות",
  settings: "הגדרות",
  users: "משתמשים",
};

/** Call sentiment from post-call analysis (positive / neutral / negative). */
export const SENTIMENT: Record<string, { label: string; tone: TTone }> = {
  positive: { label: "חיובי", tone: "green" },
  neutral: { label: "ניטרלי", tone: "gray" },
  negative: { label: "שלילי", tone: "red" },
};

export const WEEKDAYS = ["ראשון", "שני", "שלישי", "רביעי", "חמישי", "שישי", "שבת"] as const;

/** Label or the raw value, so an unknown enum value still shows something. */
export function labelOf(map: Record<string, string | { label: string }>, key: string | null | undefined): string {
  if (!key) return "—";
  const v = map[key];
  if (v === undefined) return key;
  return typeof v === "string" ? v : v.label;
}
