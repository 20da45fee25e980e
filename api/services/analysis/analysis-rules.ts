/**
 * Post-call analysis with rules (no keys): what the caller asked for is read
 * with the local Hebrew NLU, and the lead score adds up explicit, named
 * reasons so staff can see why a lead is hot. Pure: no database, no clock.
 */
import { parseUtterance } from "../../../core/conversation/brain/nlu";
import { byCount } from "../../../core/kernel/plural";

export interface TAnalysisTurn {
  speaker: "caller" | "assistant" | "system" | "tool";
  text: string;
  toolName?: string | null;
  toolPayload?: unknown;
}

export interface TAnalysisInput {
  turns: TAnalysisTurn[];
  /** Viewings booked during the call. */
  bookedViewings: number;
  transferred: boolean;
}

export type TSentiment = "positive" | "neutral" | "negative";

export interface TCallAnalysis {
  summary: string;
  sentiment: TSentiment;
  /** -1 (angry) … 1 (delighted). */
  sentimentScore: number;
  /** 0–100. */
  leadScore: number;
  /** Hebrew, one short phrase per contributing factor. */
  leadReasons: string[];
  nextAction: { title: string; description: string; priority: "low" | "normal" | "high" };
  /** "rules" or the model name. */
  engine: string;
}

const POSITIVE = ["תודה", "מעולה", "מצוין", "נהדר", "אחלה", "סבבה", "מושלם", "יופי", "נשמע טוב", "שמח", "בשמחה", "מתאים לי", "אשמח"];
const NEGATIVE = ["לא מרוצה", "גרוע", "מאוכזב", "עצבני", "כועס", "יקר מדי", "בזבוז", "נמאס", "תלונה", "לא רלוונטי", "לא מעוניין", "חוצפה", "זלזול"];
const URGENT = ["דחוף", "מיד", "השבוע", "היום", "מחר", "בהקדם", "כמה שיותר מהר", "החודש"];

const count = (text: string, words: string[]) => words.reduce((n, w) => n + (text.includes(w) ? 1 : 0), 0);

const DEAL: Record<string, string> = { sale: "לקנות", rent: "לשכור" };
const TYPE: Record<string, string> = { apartment: "דירה", office: "משרד", penthouse: "פנטהאוז", garden_apartment: "דירת גן", duplex: "דופלקס", studio: "סטודיו", store: "חנות" };

const OWNER_DEAL: Record<string, string> = { sale: "למכור", rent: "להשכיר" };

// How callers speak of themselves: "אני מחפשת" / "אני מחפש". Only first-person forms are counted.
const FEMININE = /(?:^|\s)(?:אני\s+)?(?:מחפשת|מעוניינת|צריכה|מתעניינת|שוכרת|מוכרת|משכירה|חושבת|יכולה|מתקשרת|גרה|מבקשת|מאוכזבת|כועסת|עצבנית|בטוחה|פנויה|זמינה)(?=$|[\s,.!?])/g;
const MASCULINE = /(?:^|\s)(?:אני\s+)?(?:מחפש|מעוניין|צריך|מתעניין|שוכר|מוכר|משכיר|חושב|יכול|מתקשר|גר|מבקש|מאוכזב|כועס|עצבני|בטוח|פנוי|זמין)(?=$|[\s,.!?])/g;

/** The caller's grammatical gender from their own first-person forms; undefined when mixed or unknown. */
export function callerGender(callerTexts: string[]): "f" | "m" | undefined {
  const all = callerTexts.join(" ");
  const f = all.match(FEMININE)?.length ?? 0;
  const m = all.match(MASCULINE)?.length ?? 0;
  return f > m ? "f" : m > f ? "m" : undefined;
}

/** What the caller asked for, merged over the whole call (later statements win). */
export function extractRequest(callerTexts: string[]) {
  const out: {
    dealType?: string; propertyType?: string; city?: string; rooms?: number; sizeSqm?: number; budget?: number; name?: string;
    owner?: string; complaint: boolean; timeline: boolean; human: boolean;
  } = { timeline: false, human: false, complaint: false };
  for (const t of callerTexts) {
    const n = parseUtterance(t);
    out.dealType = n.dealType ?? out.dealType;
    out.owner = n.owner ?? out.owner;
    out.propertyType = n.propertyType ?? out.propertyType;
    out.city = n.city ?? out.city;
    out.rooms = n.rooms ?? out.rooms;
    out.sizeSqm = n.sizeSqm ?? out.sizeSqm;
    out.budget = n.budget ?? out.budget;
    // "אני משה" later in the call does not shorten "משה אזולאי".
    if (n.name && !(out.name && out.name.startsWith(`${n.name} `))) out.name = n.name;
    if (n.time || count(t, URGENT) > 0) out.timeline = true;
    if (n.human) out.human = true;
    if (n.complaint) out.complaint = true;
  }
  return out;
}

function matchedListings(turns: TAnalysisTurn[]): number {
  let best = 0;
  for (const t of turns) {
    if (t.toolName !== "search_properties") continue;
    const r = (t.toolPayload as { result?: { total?: unknown } } | null)?.result;
    if (r && typeof r.total === "number") best = Math.max(best, r.total);
  }
  return best;
}

const shekels = (n: number) => `${n.toLocaleString("en-US")} ₪`;

/**
 * @example
 *   analyzeWithRules({ turns, bookedViewings: 1, transferred: false }).leadScore // e.g. 85
 */
export function analyzeWithRules(input: TAnalysisInput): TCallAnalysis {
  const callerTexts = input.turns.filter((t) => t.speaker === "caller" && t.text.trim()).map((t) => t.text.trim());
  const all = callerTexts.join(" ");
  const req = extractRequest(callerTexts);
  const matches = matchedListings(input.turns);

  // Sentiment: positive and negative phrases of the caller, squashed to -1..1.
  const pos = count(all, POSITIVE) + (input.bookedViewings > 0 ? 1 : 0);
  const neg = count(all, NEGATIVE);
  const raw = (pos - neg) / Math.max(1, pos + neg);
  const sentimentScore = Math.round(raw * 100) / 100;
  const sentiment: TSentiment = sentimentScore > 0.2 ? "positive" : sentimentScore < -0.2 ? "negative" : "neutral";

  // Reasons and summary are worded without assuming the caller is a man: noun phrases, the caller's
  // name, or the caller's own grammatical forms when they used them.
  const gender = callerGender(callerTexts);
  const reasons: string[] = [];
  let score = 10;
  if (req.budget !== undefined && !req.owner) {
    score += 20;
    reasons.push(`תקציב ידוע (${shekels(req.budget)})`);
  }
  if (req.dealType || req.propertyType || req.city || req.owner) {
    score += 15;
    reasons.push(req.owner ? `נכס ${req.owner === "sale" ? "למכירה" : "להשכרה"} מבעלים` : "ברור מה מחפשים");
  }
  if (req.timeline) {
    score += 15;
    reasons.push("יש לוח זמנים");
  }
  if (callerTexts.length >= 3) {
    score += 10;
    reasons.push(`מעורבות בשיחה (${callerTexts.length} פניות)`);
  }
  if (matches > 0) {
    score += 10;
    reasons.push(`נמצאו ${matches} נכסים מתאימים`);
  }
  if (input.bookedViewings > 0) {
    score += 20;
    reasons.push("נקבעה פגישת צפייה");
  }
  if (sentiment === "negative") {
    score -= 15;
    reasons.push("טון שלילי בשיחה");
  }
  if (!callerTexts.length) reasons.push("לא נאמר דבר מצד המתקשר/ת");
  const leadScore = Math.max(0, Math.min(100, score));

  const deal = req.owner ? OWNER_DEAL[req.owner] : req.dealType ? DEAL[req.dealType] : undefined;
  const wants = [
    deal,
    req.propertyType ? TYPE[req.propertyType] : undefined,
    req.city ? `ב${req.city}` : undefined,
    req.rooms ? `${req.rooms} חדרים` : undefined,
    req.sizeSqm ? `כ-${req.sizeSqm} מ״ר` : undefined,
    req.budget !== undefined ? `${req.owner ? "מחיר מבוקש" : "עד"} ${shekels(req.budget)}` : undefined,
  ]
    .filter(Boolean)
    .join(" ");
  const who = req.name ?? (gender === "f" ? "המתקשרת" : gender === "m" ? "המתקשר" : "הפונה");
  const parts: string[] = [];
  if (!callerTexts.length) parts.push("שיחה ללא דברי מתקשר/ת.");
  else if (wants) parts.push(`${who} ${gender === "f" ? "מעוניינת" : gender === "m" ? "מעוניין" : "רוצה"} ${wants}.`);
  else parts.push(`${who}${gender === "f" ? " פנתה" : gender === "m" ? " פנה" : ":"} "${callerTexts[0]!.slice(0, 80)}".`);
  if (req.complaint) parts.push("עלתה תלונה על השירות.");
  if (matches > 0) parts.push(byCount(matches, "הוצג נכס מתאים אחד.", (n) => `הוצגו ${n} נכסים מתאימים.`));
  if (input.bookedViewings > 0) parts.push(byCount(input.bookedViewings, "נקבעה פגישת צפייה אחת.", (n) => `נקבעו ${n} פגישות צפייה.`));
  if (input.transferred || req.human) parts.push("התבקשה שיחה עם נציג.");
  const summary = parts.join(" ");

  let nextAction: TCallAnalysis["nextAction"];
  if (input.bookedViewings > 0) nextAction = { title: "לאשר את פגישת הצפייה מול הלקוח", description: "נקבעה צפייה בשיחה — לשלוח אישור ופרטי כתובת.", priority: "high" };
  else if (req.complaint || sentiment === "negative") nextAction = { title: "לחזור ללקוח לא מרוצה", description: "בשיחה עלה טון שלילי — מומלץ שמנהל יחזור בהקדם.", priority: "high" };
  else if (req.owner) nextAction = { title: `לחזור לבעלי נכס ${req.owner === "sale" ? "למכירה" : "להשכרה"}`, description: wants ? `נכס: ${wants} — לתאם ביקור והערכת מחיר.` : "לתאם ביקור בנכס והערכת מחיר.", priority: "normal" };
  else if (input.transferred || req.human) nextAction = { title: "לחזור ללקוח שביקש נציג", description: "בשיחה התבקש נציג אנושי.", priority: "high" };
  else if (matches > 0) nextAction = { title: "לשלוח ללקוח את הנכסים המתאימים", description: `נמצאו ${matches} נכסים מתאימים — לשלוח בוואטסאפ ולהציע צפייה.`, priority: leadScore >= 60 ? "high" : "normal" };
  else if (callerTexts.length) nextAction = { title: "לחזור ללקוח עם הצעות", description: wants ? `לא נמצאה התאמה מיידית ל: ${wants}.` : "לברר מה הצרכים.", priority: "normal" };
  else nextAction = { title: "לחזור למספר שהתקשר", description: "השיחה הסתיימה בלי שנאמר דבר.", priority: "low" };

  return { summary, sentiment, sentimentScore, leadScore, leadReasons: reasons, nextAction, engine: "rules" };
}
