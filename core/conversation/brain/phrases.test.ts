import { describe, expect, test } from "bun:test";
import { zonedDate } from "./hebrew-time";
import { describeDetails, describeProperty, question, SAY, sayWhen } from "./phrases";
import type { TPropertyHit } from "./tools/search-properties";

const hit = (over: Partial<TPropertyHit> = {}): TPropertyHit => ({
  id: "00000000-0000-4000-8000-000000000001",
  title: "דירת 4 חדרים",
  dealType: "sale",
  propertyType: "apartment",
  city: "רמת גן",
  neighborhood: "הבורסה",
  street: "ז'בוטינסקי 45",
  rooms: 4,
  sizeSqm: 105,
  floor: 6,
  totalFloors: 12,
  price: 3_250_000,
  features: ["מעלית", "חניה"],
  ...over,
});

describe("phrases", () => {
  test("listings read naturally for the ear and for the eye", () => {
    expect(describeProperty(hit())).toBe("דירת ארבעה חדרים בשכונת הבורסה ברמת גן, שלושה מיליון מאתיים וחמישים אלף שקל");
    expect(describeProperty(hit(), "text")).toBe("דירת 4 חדרים בשכונת הבורסה ברמת גן, 3,250,000 ₪");
    expect(describeProperty(hit({ propertyType: "office", rooms: null, sizeSqm: 120, dealType: "rent", price: 22_000, neighborhood: null, city: "תל אביב" }))).toBe(
      "משרד של מאה ועשרים מטר בתל אביב, עשרים ושניים אלף שקל לחודש",
    );
    expect(describeProperty(hit({ propertyType: "garden_apartment", rooms: 3.5 }))).toContain("דירת גן של שלושה וחצי חדרים");
    expect(describeDetails(hit(), "location")).toBe("הנכס נמצא ברחוב ז'בוטינסקי 45, בשכונת הבורסה, רמת גן.");
    expect(describeDetails(hit({ floor: 0 }), "general")).toContain("קומת קרקע");
    // Questions about a proposed listing are answered from its own fields.
    expect(describeDetails(hit(), "parking")).toBe("כן, יש חניה.");
    expect(describeDetails(hit({ features: ["מרפסת"] }), "parking")).toBe("במודעה לא מופיעה חניה.");
    expect(describeDetails(hit(), "floor")).toBe("קומה שש מתוך שתים עשרה, עם מעלית.");
    expect(describeDetails(hit(), "floor", "text")).toBe("קומה 6 מתוך 12, עם מעלית.");
    expect(describeDetails(hit(), "elevator")).toBe("כן, יש מעלית, קומה שש מתוך שתים עשרה.");
    expect(describeDetails(hit({ features: [], floor: 2, totalFloors: null }), "elevator")).toBe("במודעה לא מופיעה מעלית, וזו קומה שתיים.");
    expect(describeDetails(hit(), "size")).toBe("מאה וחמישה מטר.");
    expect(describeDetails(hit(), "price")).toBe("המחיר שלושה מיליון מאתיים וחמישים אלף שקל.");
  });

  test("times, re-asks and goodbyes", () => {
    const now = new Date("2026-11-25T10:00:00Z");
    expect(sayWhen(zonedDate(2026, 11, 26, 17, 0), now)).toBe("מחר בחמש אחרי הצהריים");
    expect(sayWhen(zonedDate(2026, 11, 26, 17, 0), now, undefined, "text")).toBe("מחר (26.11) ב-17:00");
    expect(question("rooms", 0)).not.toBe(question("rooms", 1));
    expect(SAY.goodbye("שי דירות ומשרדים בע״מ")).toBe("תודה שפנית לשי דירות ומשרדים. יום נעים, להתראות!");
    expect(SAY.goodbye()).toBe("תודה שפנית אלינו. יום נעים, להתראות!");
  });
});
