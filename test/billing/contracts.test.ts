import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { and, eq } from "drizzle-orm";
import { auditLog, contracts } from "../../db/schema";
import { AppError } from "../../core/kernel/errors";
import { createContract } from "../../api/services/contracts/create-contract";
import { getContract, getSignedPdf, verifyContractPdf } from "../../api/services/contracts/get-contract";
import { sendContract } from "../../api/services/contracts/send-contract";
import { voidContract } from "../../api/services/contracts/void-contract";
import { isValidIsraeliId } from "../../api/services/contracts/contract-templates";
import { sha256Hex } from "../../core/kernel/sha256";
import { createCustomerAndProperty, createOtherBusiness, INVALID_ID, scopeFor, signatureDataUrl, VALID_ID } from "../helpers/billing";
import { createTestApp, type TTestApp } from "../helpers/app";
import { DB_KINDS } from "../helpers/db";
import { expectRtlLines, pdfImageCount } from "../helpers/pdf-layout";
import { contractContentSha256 } from "../../api/services/contracts/render-contract-pdf";

const BASE = "http://kesher.test";

for (const kind of DB_KINDS) {
  describe(`contracts and e-signature (${kind})`, () => {
    let t: TTestApp;
    let fixture: Awaited<ReturnType<typeof createCustomerAndProperty>>;
    let otherId: string;
    let signature: string;

    beforeAll(async () => {
      // The signing page records the signer's address from X-Forwarded-For behind one trusted proxy.
      t = await createTestApp(kind, { TRUST_PROXY: "1" });
      fixture = await createCustomerAndProperty(t.db.db, t.businessId);
      otherId = await createOtherBusiness(t.db.db);
      signature = await signatureDataUrl();
    }, 180_000);
    afterAll(() => t.close(), 30_000);

    const scope = () => scopeFor(t.businessId);
    const newContract = (template: "viewing_order" | "brokerage_agreement" = "viewing_order") =>
      createContract(t.db.db, scope(), {
        template,
        customerId: fixture.customer.id,
        propertyId: fixture.property.id,
        fields: { brokerLicense: "3141592", fee: "2% ממחיר העסקה", feeVat: "plus" },
      });
    const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
      t.app.request(`${BASE}${path}`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) });
    const signer = { signerName: "דנה לוי", idNumber: VALID_ID, address: "רחוב הרצל 5, תל אביב" };

    test("Israeli ID check digit", () => {
      expect(isValidIsraeliId(VALID_ID)).toBe(true);
      expect(isValidIsraeliId(INVALID_ID)).toBe(false);
      expect(isValidIsraeliId("abc")).toBe(false);
    });

    test("the viewing order is filled from customer and property, and refuses missing legal fields", async () => {
      const err = await createContract(t.db.db, scope(), { template: "viewing_order", customerId: fixture.customer.id, propertyId: fixture.property.id }).catch((e) => e);
      expect(err).toBeInstanceOf(AppError);
      expect((err as AppError).userMessage).toContain("מספר רישיון תיווך");
      expect((err as AppError).userMessage).toContain("דמי התיווך");
      expect((err as AppError).userMessage).toContain("מע״מ על דמי התיווך");
      const c = await newContract();
      expect(c.status).toBe("draft");
      expect(c.title).toBe("הזמנת שירותי תיווך");
      expect(c.body).toContain("דנה לוי");
      expect(c.body).toContain("הרצל 12, תל אביב");
      expect(c.body).toContain("המחיר המבוקש: ₪2,450,000.");
      expect(c.body).toContain("דמי התיווך: 2% ממחיר העסקה בתוספת מע״מ כדין,");
      expect(c.body.match(/מע״מ/g)?.length).toBe(1);
      expect(c.body).toContain("רישיון תיווך מס׳ 3141592");
      expect(c.body).toContain("{{clientIdNumber}}");
    });

    test("the fee says whether VAT is included: never VAT on top of a VAT-inclusive fee", async () => {
      const c = await createContract(t.db.db, scope(), {
        template: "brokerage_agreement",
        customerId: fixture.customer.id,
        propertyId: fixture.property.id,
        fields: { brokerLicense: "3141592", fee: "₪57,820", feeVat: "included" },
      });
      expect(c.body).toContain("בסך ₪57,820 כולל מע״מ,");
      expect(c.body).not.toContain("בתוספת מע״מ");
      const bad = await createContract(t.db.db, scope(), { template: "viewing_order", customerId: fixture.customer.id, propertyId: fixture.property.id, fields: { brokerLicense: "1", fee: "1", feeVat: "maybe" } }).catch((e) => e);
      expect((bad as AppError).userMessage).toContain("מע״מ");
    });

    test("signing flow: link → page → signed PDF with hash, IP and time; the token is single use", async () => {
      const c = await newContract();
      const { token, path } = await sendContract(t.db.db, scope(), { id: c.id });
      const stored = await t.db.db.select().from(contracts).where(eq(contracts.id, c.id));
      expect(stored[0]!.signTokenHash).not.toBe(token);
      expect(stored[0]!.signTokenHash).toMatch(/^[0-9a-f]{64}$/);

      const page = await t.app.request(`${BASE}${path}`);
      expect(page.status).toBe(200);
      const html = await page.text();
      expect(html).toContain('lang="he" dir="rtl"');
      expect(html).toContain("הזמנת שירותי תיווך");
      expect(html).toContain("<canvas");
      // The text says "ת.ז." once: the blank only says where it is filled in.
      expect(html).not.toContain("ת.ז. ת.ז.");
      expect(html).toContain('ת.ז. <span class="ph">ימולא בטופס למטה</span>');
      expect(page.headers.get("content-security-policy")).toContain("script-src 'nonce-");

      // Bad input: clear Hebrew errors, nothing changes.
      const badId = await post(path, { ...signer, signature, idNumber: INVALID_ID });
      expect(badId.status).toBe(400);
      expect(((await badId.json()) as { error: { message: string } }).error.message).toContain("תעודת הזהות");
      const blank = await post(path, { ...signer, signature: await signatureDataUrl(true) });
      expect(blank.status).toBe(400);
      const notPng = await post(path, { ...signer, signature: "data:image/png;base64,AAAA" });
      expect(notPng.status).toBe(400);
      const huge = await post(path, { ...signer, signature: `data:image/png;base64,${"A".repeat(2 * 1024 * 1024)}` });
      expect(huge.status).toBe(413);
      expect((await getContract(t.db.db, scope(), c.id)).status).toBe("sent");

      const ok = await post(path, { ...signer, signature }, { "x-forwarded-for": "203.0.113.7" });
      expect(ok.status).toBe(200);
      const { sha256 } = (await ok.json()) as { sha256: string };
      const signed = await getContract(t.db.db, scope(), c.id);
      expect(signed.status).toBe("signed");
      expect(signed.signerName).toBe("דנה לוי");
      expect(signed.signerIp).toBe("203.0.113.7");
      expect(signed.signedAt).toBeInstanceOf(Date);
      expect(signed.fields.clientIdNumber).toBe(VALID_ID);
      const file = await getSignedPdf(t.db.db, scope(), c.id);
      expect(await sha256Hex(file.pdf)).toBe(sha256);
      expect(signed.pdfSha256).toBe(sha256);

      const again = await post(path, { ...signer, signature });
      expect(again.status).toBe(409);
      const revisit = await t.app.request(`${BASE}${path}`);
      expect(await revisit.text()).toContain("החוזה כבר נחתם");

      const audits = await t.db.db.select().from(auditLog).where(eq(auditLog.entityId, c.id));
      expect(audits.map((a) => a.action).sort()).toEqual(["contracts.create", "contracts.send", "contracts.sign"]);
    });

    test("signed PDF: Hebrew lines read right to left; signature image and integrity block on the page", async () => {
      const c = await newContract("brokerage_agreement");
      const { path } = await sendContract(t.db.db, scope(), { id: c.id });
      expect((await post(path, { ...signer, signature }, { "x-forwarded-for": "203.0.113.7" })).status).toBe(200);
      const { pdf } = await getSignedPdf(t.db.db, scope(), c.id);
      const [row] = await t.db.db.select().from(contracts).where(eq(contracts.id, c.id));
      expectRtlLines(pdf, [
        "שי דירות ומשרדים בע״מ",
        "הסכם תיווך",
        "שם הלקוח | דנה לוי",
        `מספר תעודת זהות | ${VALID_ID}`,
        "המחיר המבוקש | ₪2,450,000",
        "כתובת הלקוח | רחוב הרצל 5, תל אביב",
        "נחתם על ידי דנה לוי בתאריך",
        "כתובת IP של החותם | 203.0.113.7",
        `מזהה מסמך | ${c.id}`,
        `SHA-256 של תוכן החוזה | ${await contractContentSha256(row!)}`,
      ]);
      expect(pdfImageCount(pdf)).toBe(1);
    });

    test("tampering is detected by the SHA-256", async () => {
      const c = await newContract();
      const { path } = await sendContract(t.db.db, scope(), { id: c.id });
      await post(path, { ...signer, signature });
      const { pdf } = await getSignedPdf(t.db.db, scope(), c.id);
      expect((await verifyContractPdf(t.db.db, scope(), c.id, pdf)).providedMatches).toBe(true);
      const forged = new Uint8Array(pdf);
      const mid = Math.floor(forged.length / 2);
      forged[mid] = (forged[mid] ?? 0) ^ 0xff;
      expect((await verifyContractPdf(t.db.db, scope(), c.id, forged)).providedMatches).toBe(false);
      await t.db.db.update(contracts).set({ pdf: forged }).where(eq(contracts.id, c.id));
      expect((await verifyContractPdf(t.db.db, scope(), c.id)).storedIntact).toBe(false);
      await expect(getSignedPdf(t.db.db, scope(), c.id)).rejects.toThrow(AppError);
    });

    test("expired, rotated, voided and unknown links cannot sign", async () => {
      const c = await newContract();
      const first = await sendContract(t.db.db, scope(), { id: c.id });
      const second = await sendContract(t.db.db, scope(), { id: c.id });
      expect((await t.app.request(`${BASE}${first.path}`)).status).toBe(404);
      expect((await post(first.path, { ...signer, signature })).status).toBe(404);
      await t.db.db.update(contracts).set({ signTokenExpiresAt: new Date(Date.now() - 1000) }).where(eq(contracts.id, c.id));
      expect((await t.app.request(`${BASE}${second.path}`)).status).toBe(422);
      expect((await post(second.path, { ...signer, signature })).status).toBe(422);
      const third = await sendContract(t.db.db, scope(), { id: c.id });
      await voidContract(t.db.db, scope(), { id: c.id, reason: "הלקוח ויתר" });
      expect((await post(third.path, { ...signer, signature })).status).toBe(404);
      await expect(sendContract(t.db.db, scope(), { id: c.id })).rejects.toThrow(AppError);
      expect((await t.app.request(`${BASE}/sign/not-a-real-token-0123456789abcdef`)).status).toBe(404);
      expect((await t.app.request(`${BASE}/sign/x`)).status).toBe(404);
    });

    test("tenants: another business cannot read, send or void the contract", async () => {
      const c = await newContract();
      const other = scopeFor(otherId);
      await expect(getContract(t.db.db, other, c.id)).rejects.toThrow(AppError);
      await expect(sendContract(t.db.db, other, { id: c.id })).rejects.toThrow(AppError);
      await expect(voidContract(t.db.db, other, { id: c.id, reason: "ניסיון" })).rejects.toThrow(AppError);
      await expect(createContract(t.db.db, other, { template: "viewing_order", customerId: fixture.customer.id, fields: {} })).rejects.toThrow(AppError);
      const rows = await t.db.db.select().from(contracts).where(and(eq(contracts.id, c.id), eq(contracts.status, "draft")));
      expect(rows.length).toBe(1);
    });
  });
}
