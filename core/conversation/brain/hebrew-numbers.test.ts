import { describe, expect, test } from "bun:test";
import { hebrewNumber, parseHebrewNumberWords, speakPrice, speakRooms } from "./hebrew-numbers";

describe("hebrew numbers", () => {
  test.each([
    [3_250_000, "שלושה מיליון מאתיים וחמישים אלף"],
    [3_500_000, "שלושה מיליון וחמש מאות אלף"],
    [2_890_000, "שני מיליון שמונה מאות ותשעים אלף"],
    [1_000_000, "מיליון"],
    [12_500_000, "שנים עשר מיליון וחמש מאות אלף"],
    [7_800, "שבעת אלפים ושמונה מאות"],
    [22_000, "עשרים ושניים אלף"],
    [2_000, "אלפיים"],
    [250_000, "מאתיים וחמישים אלף"],
    [45, "ארבעים וחמישה"],
  ])("%d is spoken as %s", (n, words) => {
    expect(hebrewNumber(n)).toBe(words);
  });

  test("prices and rooms", () => {
    expect(speakPrice(3_250_000)).toBe("שלושה מיליון מאתיים וחמישים אלף שקל");
    expect(speakRooms(4)).toBe("ארבעה חדרים");
    expect(speakRooms(3.5)).toBe("שלושה וחצי חדרים");
    expect(speakRooms(1)).toBe("חדר אחד");
  });

  test("words back to numbers round-trip for prices", () => {
    for (const n of [3_250_000, 3_500_000, 2_890_000, 7_800, 22_000, 250_000, 1_450_000, 12_500]) {
      expect(parseHebrewNumberWords(hebrewNumber(n).split(" "))).toBe(n);
    }
    expect(parseHebrewNumberWords(["מיליון", "וחצי"])).toBe(1_500_000);
    expect(parseHebrewNumberWords(["שלושה", "וחצי"])).toBe(3.5);
    expect(parseHebrewNumberWords(["דירה"])).toBeUndefined();
    // Colloquial: the thousands are implied after millions.
    expect(parseHebrewNumberWords("שלושה מיליון שלוש מאות".split(" "))).toBe(3_300_000);
    expect(parseHebrewNumberWords("מיליון ומאתיים".split(" "))).toBe(1_200_000);
  });
});
