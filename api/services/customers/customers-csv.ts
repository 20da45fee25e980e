/**
 * Customers as CSV for Excel: UTF-8 with BOM, Hebrew headers, E.164 phones,
 * shekel amounts without the U+200F marks Intl puts around "₪". Import is
 * all-or-nothing: every row is validated first, row-level errors are
 * reported, and rows are inserted in one transaction only when none failed.
 */
import { and, eq, inArray } from "drizzle-orm";
import type { TDb } from "../../../db/client";
import { customers, type TRequirements } from "../../../db/schema";
import { AppError } from "../../../core/kernel/errors";
import { guardFormula, parseCsv, toCsv, unguardFormula } from "../../lib/csv";
import { toE164 } from "../../../core/kernel/phone";
import { writeAudit } from "../../../core/domain/write-audit";
import type { TScope } from "../../../core/domain/scope";
import { CUSTOMER_SOURCES, CUSTOMER_STATUSES, SOURCE_LABELS, STATUS_LABELS, type TCustomerDto } from "./customer-dto";
import { isUniqueViolation } from "./customer-input";
import { customerConditions, resolveSearch, type TCustomerFilters } from "./list-customers";

const COLUMNS = ["שם מלא", "טלפון", "אימייל", "סטטוס", "מקור", "תגיות", "סוג עסקה", "ערים", "חדרים מ-", "חדרים עד", "תקציב מקסימלי", "הערות", "נוצר"] as const;
type TColumn = (typeof COLUMNS)[number];
const MAX_ROWS = 10_000;
/** The dashboard's deal labels (web/src/lib/labels.ts DEAL_TYPE), so a CSV reads like the screen. */
const DEAL_LABELS = { sale: "מכירה", rent: "השכרה" } as const;
/** Older exports said קנייה / שכירות; imports still accept them. */
const LEGACY_DEAL = { sale: "קנייה", rent: "שכירות" } as const;

/** "₪1,500,000" with the bidi marks Intl adds removed (they break Excel and grep). */
export function formatShekels(n: number): string {
  return new Intl.NumberFormat("he-IL", { style: "currency", currency: "ILS", maximumFractionDigits: 0 }).format(n).replace(/[\u200e\u200f\u00a0]/g, (c) => (c === "\u00a0" ? " " : ""));
}

/** Spreadsheet formula injection guard for free-text cells (phones are never prefixed). */
const safeText = guardFormula;
const unsafeText = unguardFormula;

export async function exportCustomersCsv(db: TDb, scope: TScope, filters: TCustomerFilters): Promise<{ filename: string; csv: string; rows: number }> {
  const rows = await db
    .select()
    .from(customers)
    .where(and(...customerConditions(scope, await resolveSearch(db, scope, filters))))
    .orderBy(customers.createdAt);
  const date = new Intl.DateTimeFormat("he-IL", { timeZone: "Asia/Jerusalem" });
  const body = rows.map((c) => {
    const r = c.requirements ?? {};
    return [
      safeText(c.fullName),
      c.phone ?? "",
      c.email ?? "",
      STATUS_LABELS[c.status],
      SOURCE_LABELS[c.source],
      safeText(c.tags.join("; ")),
      r.dealType ? DEAL_LABELS[r.dealType] : "",
      safeText((r.cities ?? []).join("; ")),
      r.roomsMin ?? "",
      r.roomsMax ?? "",
      r.budgetMax !== undefined ? formatShekels(r.budgetMax) : "",
      safeText(c.notes),
      date.format(c.createdAt),
    ];
  });
  const stamp = new Date().toISOString().slice(0, 10);
  return { filename: `customers-${stamp}.csv`, csv: toCsv([...COLUMNS], body), rows: rows.length };
}

const byLabel = <K extends string>(labels: Record<K, string>, keys: readonly K[], raw: string): K | null | undefined => {
  const v = raw.trim();
  if (!v) return undefined;
  return keys.find((k) => k === v.toLowerCase() || labels[k] === v) ?? null;
};

const numberOrNull = (raw: string): number | undefined | null => {
  const s = raw.replace(/[₪,\s\u200e\u200f]/g, "");
  if (!s) return undefined;
  const n = Number(s);
  return Number.isFinite(n) && n >= 0 ? n : null;
};

type TImportRow = Omit<typeof customers.$inferInsert, "businessId">;

function parseRow(get: (c: TColumn) => string): { row?: TImportRow; errors: string[] } {
  const errors: string[] = [];
  const fullName = unsafeText(get("שם מלא").trim()) || null;
  const rawPhone = get("טלפון").trim();
  const phone = rawPhone ? toE164(rawPhone) : null;
  if (rawPhone && !phone) errors.push(`מספר טלפון לא תקין: "${rawPhone}"`);
  const email = get("אימייל").trim() || null;
  if (email && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) errors.push(`אימייל לא תקין: "${email}"`);
  if (!fullName && !rawPhone && !email) errors.push("חסר שם, טלפון או אימייל");
  const status = byLabel(STATUS_LABELS, CUSTOMER_STATUSES, get("סטטוס"));
  if (status === null) errors.push(`סטטוס לא מוכר: "${get("סטטוס")}"`);
  const source = byLabel(SOURCE_LABELS, CUSTOMER_SOURCES, get("מקור"));
  if (source === null) errors.push(`מקור לא מוכר: "${get("מקור")}"`);
  const deal = get("סוג עסקה").trim();
  const dealType = deal
    ? [DEAL_LABELS.sale, LEGACY_DEAL.sale, "sale"].includes(deal as never)
      ? "sale"
      : [DEAL_LABELS.rent, LEGACY_DEAL.rent, "rent"].includes(deal as never)
        ? "rent"
        : null
    : undefined;
  if (dealType === null) errors.push(`סוג עסקה לא מוכר: "${deal}"`);
  const roomsMin = numberOrNull(get("חדרים מ-"));
  const roomsMax = numberOrNull(get("חדרים עד"));
  const budgetMax = numberOrNull(get("תקציב מקסימלי"));
  if (roomsMin === null || roomsMax === null) errors.push("מספר חדרים לא תקין");
  if (budgetMax === null) errors.push(`תקציב לא תקין: "${get("תקציב מקסימלי")}"`);
  if (errors.length) return { errors };
  const split = (s: string) => unsafeText(s).split(/[;|]/).map((x) => x.trim()).filter(Boolean);
  const requirements: TRequirements = {};
  if (dealType) requirements.dealType = dealType;
  const cities = split(get("ערים"));
  if (cities.length) requirements.cities = cities;
  if (roomsMin !== undefined && roomsMin !== null) requirements.roomsMin = roomsMin;
  if (roomsMax !== undefined && roomsMax !== null) requirements.roomsMax = roomsMax;
  if (budgetMax !== undefined && budgetMax !== null) requirements.budgetMax = Math.round(budgetMax);
  return {
    errors,
    row: {
      fullName,
      phone,
      email,
      status: status ?? "new",
      source: source ?? "import",
      tags: split(get("תגיות")),
      requirements,
      notes: unsafeText(get("הערות")) || null,
    },
  };
}

/**
 * Import customers. Row numbers in errors are spreadsheet rows (header = 1).
 * Returns imported = 0 and every error when any row is invalid.
 */
export async function importCustomersCsv(
  db: TDb,
  scope: TScope,
  csv: string,
): Promise<{ imported: number; errors: { row: number; message: string }[]; customers: Pick<TCustomerDto, "id" | "fullName" | "phone">[] }> {
  let table: string[][];
  try {
    table = parseCsv(csv);
  } catch {
    throw new AppError("BAD_REQUEST", "unparseable csv", { userMessage: "קובץ ה-CSV אינו תקין (מרכאות לא סגורות)" });
  }
  while (table.length && table[table.length - 1]!.every((c) => c.trim() === "")) table.pop();
  const [header, ...data] = table;
  if (!header) throw new AppError("BAD_REQUEST", "empty csv", { userMessage: "הקובץ ריק" });
  const index = new Map(header.map((h, i) => [h.trim(), i]));
  if (!index.has("שם מלא") && !index.has("טלפון")) {
    throw new AppError("BAD_REQUEST", "missing columns", { userMessage: 'בקובץ חסרות העמודות "שם מלא" או "טלפון"' });
  }
  if (data.length > MAX_ROWS) throw new AppError("BAD_REQUEST", "too many rows", { userMessage: `ניתן לייבא עד ${MAX_ROWS} שורות בקובץ אחד` });

  const errors: { row: number; message: string }[] = [];
  const rows: TImportRow[] = [];
  const seenPhones = new Map<string, number>();
  data.forEach((cells, i) => {
    const rowNo = i + 2;
    if (cells.every((c) => c.trim() === "")) return; // blank line
    const get = (c: TColumn) => {
      const at = index.get(c);
      return at === undefined ? "" : (cells[at] ?? "");
    };
    const parsed = parseRow(get);
    for (const message of parsed.errors) errors.push({ row: rowNo, message });
    if (parsed.row?.phone) {
      const first = seenPhones.get(parsed.row.phone);
      if (first) errors.push({ row: rowNo, message: `הטלפון ${parsed.row.phone} מופיע כבר בשורה ${first}` });
      else seenPhones.set(parsed.row.phone, rowNo);
    }
    if (parsed.row) rows.push(parsed.row);
  });

  const phones = [...seenPhones.keys()];
  if (phones.length) {
    const existing = await db
      .select({ phone: customers.phone })
      .from(customers)
      .where(and(eq(customers.businessId, scope.businessId), inArray(customers.phone, phones)));
    for (const e of existing) errors.push({ row: seenPhones.get(e.phone!)!, message: `כבר קיים לקוח עם הטלפון ${e.phone}` });
  }
  if (errors.length) return { imported: 0, errors: errors.sort((a, b) => a.row - b.row), customers: [] };
  if (rows.length === 0) return { imported: 0, errors: [], customers: [] };

  const inserted = await db
    .transaction(async (tx) => {
    const out: { id: string; fullName: string | null; phone: string | null }[] = [];
    for (let i = 0; i < rows.length; i += 500) {
      const chunk = rows.slice(i, i + 500).map((r) => ({ ...r, businessId: scope.businessId }));
      out.push(...(await tx.insert(customers).values(chunk).returning({ id: customers.id, fullName: customers.fullName, phone: customers.phone })));
    }
    await writeAudit(tx, scope, {
      action: "customers.import",
      entityType: "customer",
      entityId: null,
      after: { count: out.length, ids: out.slice(0, 1000).map((c) => c.id) },
    });
    return out;
    })
    .catch((err: unknown) => {
      // A concurrent insert of the same phone: the whole import rolled back.
      if (isUniqueViolation(err)) throw new AppError("CONFLICT", "phone inserted concurrently", { userMessage: "אחד הטלפונים נוסף במקביל, נסו לייבא שוב" });
      throw err;
    });
  return { imported: inserted.length, errors: [], customers: inserted };
}
