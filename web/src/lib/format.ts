/**
 * Display formatting for the dashboard: the one module shared with the PDFs
 * and CSV exports (api/lib/format.ts), so amounts and dates read the same
 * everywhere (`₪3,500,000`, `30/11/2026`).
 */
export * from "../../../api/lib/format";
