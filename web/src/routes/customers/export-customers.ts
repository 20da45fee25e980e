/** Build the customers CSV (current filters, every page) with Hebrew headers. */
import { toCsv } from "../../lib/csv";
import { dayKey, formatDate, formatPhone } from "../../lib/format";
import { CUSTOMER_SOURCE, CUSTOMER_STATUS, DEAL_TYPE, labelOf, PROPERTY_TYPE } from "../../lib/labels";
import { trpc, type TRouterInputs } from "../../lib/trpc";

type TFilters = Omit<Exclude<TRouterInputs["customers"]["list"], void | undefined>, "cursor" | "limit">;

const HEADER = ["שם", "טלפון", "דוא״ל", "סטטוס", "מקור", "עסקה", "סוג נכס", "ערים", "חדרים מ-", "תקציב עד (₪)", "ציון ליד", "תגיות", "הערות", "נוצר"];
const MAX_PAGES = 100;

export async function exportCustomersCsv(filters: TFilters): Promise<{ filename: string; csv: string; count: number }> {
  const rows: (string | number | null)[][] = [];
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const res = await trpc.customers.list.query({ ...filters, cursor, limit: 200 });
    for (const c of res.items) {
      rows.push([
        c.fullName,
        c.phone ? formatPhone(c.phone) : null,
        c.email,
        labelOf(CUSTOMER_STATUS, c.status),
        labelOf(CUSTOMER_SOURCE, c.source),
        c.requirements.dealType ? labelOf(DEAL_TYPE, c.requirements.dealType) : null,
        c.requirements.propertyType ? labelOf(PROPERTY_TYPE, c.requirements.propertyType) : null,
        c.requirements.cities?.join(" / ") ?? null,
        c.requirements.roomsMin ?? null,
        c.requirements.budgetMax ?? null,
        c.leadScore,
        c.tags.join(" / "),
        c.notes,
        formatDate(c.createdAt),
      ]);
    }
    if (!res.nextCursor) break;
    cursor = res.nextCursor;
  }
  return { filename: `customers-${dayKey(new Date())}.csv`, csv: toCsv(HEADER, rows), count: rows.length };
}
