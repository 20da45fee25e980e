/**
 * Contract templates. The viewing order follows the Real Estate Brokers Law
 * (חוק המתווכים במקרקעין, התשנ״ו-1996, §9) and its regulations on the
 * written order (פרטי הזמנה בכתב, התשנ״ז-1997): broker name and licence
 * number, client name, ID number and address, the kind of deal, the property,
 * the price, the fee, the date and the client's signature — without them
 * the broker is not entitled to a fee, so every one is required here.
 */

/** Where a field's value comes from when the contract is created. */
export type TFieldSource = "business" | "customer" | "property" | "input" | "signer";

export interface TTemplateField {
  key: string;
  label: string;
  source: TFieldSource;
  required: boolean;
}

export interface TContractTemplate {
  id: "viewing_order" | "brokerage_agreement";
  title: string;
  fields: TTemplateField[];
  /** Paragraphs with {{key}} placeholders. */
  body: string[];
}

const f = (key: string, label: string, source: TFieldSource, required = true): TTemplateField => ({ key, label, source, required });

const COMMON_FIELDS: TTemplateField[] = [
  f("brokerName", "שם המתווך / המשרד", "business"),
  f("brokerLicense", "מספר רישיון תיווך", "input"),
  f("clientName", "שם הלקוח", "customer"),
  f("clientPhone", "טלפון הלקוח", "customer", false),
  f("clientIdNumber", "מספר תעודת זהות", "signer"),
  f("clientAddress", "כתובת הלקוח", "signer"),
  f("dealType", "סוג העסקה", "property"),
  f("propertyAddress", "כתובת הנכס", "property"),
  f("propertyDescription", "תיאור הנכס", "property"),
  f("price", "המחיר המבוקש", "property"),
  f("fee", "דמי התיווך", "input"),
  f("feeVat", "מע״מ על דמי התיווך", "input"),
  f("date", "תאריך", "input"),
];

export const CONTRACT_TEMPLATES: Record<TContractTemplate["id"], TContractTemplate> = {
  viewing_order: {
    id: "viewing_order",
    title: "הזמנת שירותי תיווך",
    fields: COMMON_FIELDS,
    body: [
      "אני הח״מ {{clientName}}, ת.ז. {{clientIdNumber}}, מכתובת {{clientAddress}}, מזמין/ה בזאת מ{{brokerName}} (רישיון תיווך מס׳ {{brokerLicense}}) שירותי תיווך לצורך {{dealType}} של הנכס המפורט להלן.",
      "הנכס: {{propertyDescription}}, בכתובת {{propertyAddress}}. המחיר המבוקש: {{price}}.",
      "דמי התיווך: {{fee}} {{feeVat}}, וישולמו במועד חתימת הסכם מחייב בין הצדדים לעסקה.",
      "ידוע לי כי המתווך הציג בפניי את הנכס וכי אם אתקשר בעסקה לגביו, במישרין או בעקיפין, אחוב בדמי התיווך כאמור.",
      "תאריך: {{date}}",
    ],
  },
  brokerage_agreement: {
    id: "brokerage_agreement",
    title: "הסכם תיווך",
    fields: [...COMMON_FIELDS, f("exclusivityMonths", "תקופת בלעדיות (חודשים)", "input", false)],
    body: [
      "הסכם זה נערך בין {{brokerName}} (רישיון תיווך מס׳ {{brokerLicense}}, להלן: המתווך) לבין {{clientName}}, ת.ז. {{clientIdNumber}}, מכתובת {{clientAddress}} (להלן: הלקוח).",
      "הלקוח מזמין מהמתווך שירותי תיווך ל{{dealType}} של הנכס: {{propertyDescription}}, בכתובת {{propertyAddress}}, במחיר {{price}}.",
      "תמורת שירותיו יהיה המתווך זכאי לדמי תיווך בסך {{fee}} {{feeVat}}, שישולמו עם חתימת הסכם מחייב.",
      "תקופת בלעדיות: {{exclusivityMonths}} חודשים. בתקופה זו יפעל המתווך לשיווק הנכס כנדרש בחוק המתווכים במקרקעין.",
      "תאריך: {{date}}",
    ],
  },
};

/**
 * Whether the fee already includes VAT, as the staff member chose it; the
 * words printed after the amount. The fee is never "plus VAT" by default: a
 * fee typed with VAT included would otherwise be charged VAT twice.
 */
export const FEE_VAT_WORDS = { plus: "בתוספת מע״מ כדין", included: "כולל מע״מ" } as const;
export type TFeeVat = keyof typeof FEE_VAT_WORDS;

export const ZTemplateIds = ["viewing_order", "brokerage_agreement"] as const;

/**
 * Fill {{key}} placeholders; a missing optional value prints as a dash.
 * Keys in `keep` stay as placeholders (the signer fills them on the signing page).
 */
export function fillText(text: string, values: Record<string, string>, keep: Set<string> = new Set()): string {
  return text.replace(/\{\{(\w+)\}\}/g, (m, key: string) => (keep.has(key) ? m : values[key]?.trim() || "—"));
}

export function fillTemplate(template: TContractTemplate, values: Record<string, string>, keep?: Set<string>): string {
  return template.body.map((p) => fillText(p, values, keep)).join("\n");
}

export function signerKeys(template: TContractTemplate): Set<string> {
  return new Set(template.fields.filter((fl) => fl.source === "signer").map((fl) => fl.key));
}

/** Keys that are required but still empty for the given sources. */
export function missingFields(template: TContractTemplate, values: Record<string, string>, sources: TFieldSource[]): TTemplateField[] {
  return template.fields.filter((fl) => fl.required && sources.includes(fl.source) && !values[fl.key]?.trim());
}

/**
 * Israeli ID number (ת.ז.) check digit: 9 digits (left-padded), weights
 * 1,2,1,2…, digits of products summed, total divisible by 10.
 */
export function isValidIsraeliId(id: string): boolean {
  if (!/^\d{5,9}$/.test(id)) return false;
  const digits = id.padStart(9, "0");
  let sum = 0;
  for (let i = 0; i < 9; i++) {
    const n = Number(digits[i]) * ((i % 2) + 1);
    sum += n > 9 ? n - 9 : n;
  }
  return sum % 10 === 0;
}
