/**
 * Display formatting for the dashboard: the one module shared with the PDFs
 * and CSV exports (core/kernel/format.ts), so amounts and dates read the same
 * everywhere (`₪3,500,000`, `30/11/2026`).
 */
export * from "../../../core/kernel/format";
