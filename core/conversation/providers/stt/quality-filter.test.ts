import { describe, expect, test } from "bun:test";
import { filterTranscript } from "./quality-filter";

describe("STT quality filter", () => {
  test.each([
    ["", "empty"],
    ["   ", "empty"],
    ["...", "no-words"],
    ["?!", "no-words"],
    ["תורגם על ידי: חיים כהן", "hallucination"],
    ["כתוביות על ידי קהילת אמרה", "hallucination"],
    ["תודה שצפיתם!", "hallucination"],
    ["הירשמו לערוץ", "hallucination"],
    ["Thanks for watching!", "hallucination"],
    ["Subtitles by the Amara.org community", "hallucination"],
    ["♪ ♪ ♪", "no-words"],
    ["שלום שלום שלום שלום שלום", "repetition"],
    ["אני רוצה אני רוצה אני רוצה אני רוצה", "repetition"],
    ["אאאאאאאאאא", "repetition"],
    ["I don't know what that is", "non-hebrew"],
    ["Продолжение следует", "non-hebrew"],
    ["אה", "filler"],
    ["הממ", "filler"],
  ])("%p is rejected as %s", (text, reason) => {
    const v = filterTranscript(text);
    expect(v.ok).toBe(false);
    if (!v.ok) expect(v.reason).toBe(reason as never);
  });

  test.each([
    "אני מחפש לקנות דירה ברמת גן",
    "ארבעה חדרים",
    "כן",
    "לא תודה",
    "עד 3.5 מיליון",
    "דירת 4 חדרים, בערך 3 מיליון",
    "ok",
    "שלום, מדבר דני כהן, אני מתקשר לגבי הדירה ב-ז'בוטינסקי",
  ])("%p passes", (text) => {
    const v = filterTranscript(text);
    expect(v).toEqual({ ok: true, text });
  });

  test("a long transcript from a short clip is a hallucination", () => {
    const text = "אני מחפש לקנות דירה של ארבעה חדרים ברמת גן עם מרפסת וחניה ומעלית";
    expect(filterTranscript(text, { audioMs: 300 }).ok).toBe(false);
    expect(filterTranscript(text, { audioMs: 4000 }).ok).toBe(true);
  });
});
