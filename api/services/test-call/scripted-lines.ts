/** Ready-made Hebrew caller lines for the dashboard test call, in a sensible order. */
export interface TScriptedLine {
  id: string;
  label: string;
  text: string;
}

export const SCRIPTED_LINES: TScriptedLine[] = [
  { id: "intro", label: "פתיחה", text: "שלום, אני מחפש דירה לקנות ברמת גן" },
  { id: "rooms", label: "חדרים ותקציב", text: "ארבעה חדרים, תקציב עד שלושה וחצי מיליון שקל" },
  { id: "viewing", label: "קביעת צפייה", text: "כן, אפשר ביום ראשון בעשר בבוקר" },
  { id: "name", label: "שם", text: "קוראים לי דני לוי" },
  { id: "office", label: "משרד להשכרה", text: "אני מחפשת משרד להשכרה בתל אביב, בערך מאה מטר" },
  { id: "thanks", label: "סיום", text: "תודה רבה, להתראות" },
];
