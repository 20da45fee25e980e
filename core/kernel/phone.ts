import { parsePhoneNumberFromString } from "libphonenumber-js/max";

/**
 * Normalise a phone number to E.164, assuming Israel for national formats
 * ("054-123-4567" → "+972541234567"). Returns null for anything not a phone
 * number (e.g. "anonymous", "client:alice").
 */
export function toE164(input: string | null | undefined, defaultCountry: "IL" = "IL"): string | null {
  if (!input) return null;
  const cleaned = input.replace(/^whatsapp:/, "").trim();
  if (!/\d/.test(cleaned) || /^client:/i.test(cleaned)) return null;
  const parsed = parsePhoneNumberFromString(cleaned, defaultCountry);
  return parsed && parsed.isPossible() ? parsed.number : null;
}
