import { and, eq } from "drizzle-orm";
import { z } from "zod";
import type { TDb } from "../../../db/client";
import { contracts } from "../../../db/schema";
import { AppError } from "../../../core/kernel/errors";
import { sha256Hex } from "../../../core/kernel/sha256";
import { writeAudit } from "../../../core/domain/write-audit";
import { CONTRACT_TEMPLATES, fillText, isValidIsraeliId, type TContractTemplate } from "./contract-templates";
import { renderContractPdf } from "./render-contract-pdf";
import { hashSignToken } from "./send-contract";
import { parseSignaturePng } from "./signature-image";
import { parseInput } from "../../lib/parse-input";

export const ZSignContract = z.object({
  signerName: z.string().trim().min(2, "יש להזין שם מלא").max(120),
  idNumber: z.string().trim().regex(/^\d{5,9}$/, "מספר תעודת זהות אינו תקין"),
  address: z.string().trim().min(3, "יש להזין כתובת").max(300),
  signature: z.string().min(1, "יש לחתום לפני השליחה").max(800_000, "קובץ החתימה גדול מדי"),
});
export type TSignContract = z.infer<typeof ZSignContract>;

/** What the signing page shows; no internal ids beyond the contract's. */
export interface TSigningView {
  title: string;
  businessName: string;
  body: string;
  status: "sent" | "signed";
  signedAt: Date | null;
}

const linkInvalid = () => new AppError("NOT_FOUND", "signing token unknown", { userMessage: "קישור החתימה אינו תקף. בקשו מהמשרד קישור חדש." });

async function findByToken(db: TDb, token: string) {
  if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) throw linkInvalid();
  const [row] = await db.select().from(contracts).where(eq(contracts.signTokenHash, hashSignToken(token)));
  return row;
}

/** The contract behind a signing link, if the link is still good (or already used: then it says so). */
export async function getSigningView(db: TDb, token: string, now = new Date()): Promise<TSigningView> {
  const row = await findByToken(db, token);
  if (!row || (row.status !== "sent" && row.status !== "signed")) throw linkInvalid();
  if (row.status === "sent" && row.signTokenExpiresAt && row.signTokenExpiresAt <= now) {
    throw new AppError("UNPROCESSABLE", "signing token expired", { userMessage: "תוקף קישור החתימה פג. בקשו מהמשרד קישור חדש." });
  }
  return { title: row.title, businessName: row.fields.brokerName ?? "", body: row.body, status: row.status, signedAt: row.signedAt };
}

/**
 * Sign through a link: the token is single use (the row must still be
 * "sent" and unexpired, checked under a row lock), the signer's ID number
 * must pass its check digit, and the drawn signature must have ink. The
 * signed PDF is stored with its SHA-256, the signer's name, IP and time.
 */
export async function signContract(
  db: TDb,
  token: string,
  input: TSignContract,
  meta: { ip: string | null; now?: Date },
): Promise<{ contractId: string; businessId: string; pdfSha256: string }> {
  const data = parseInput(ZSignContract, input);
  if (!isValidIsraeliId(data.idNumber)) throw new AppError("BAD_REQUEST", "bad id number", { userMessage: "מספר תעודת הזהות אינו תקין" });
  const png = await parseSignaturePng(data.signature);
  const now = meta.now ?? new Date();
  const hash = hashSignToken(token);
  const found = await findByToken(db, token);
  if (!found) throw linkInvalid();

  return db.transaction(async (tx) => {
    const [row] = await tx.select().from(contracts).where(eq(contracts.id, found.id)).for("update");
    if (!row || row.signTokenHash !== hash) throw linkInvalid();
    if (row.status === "signed") throw new AppError("CONFLICT", "already signed", { userMessage: "החוזה כבר נחתם. קישור החתימה הוא לשימוש חד-פעמי." });
    if (row.status !== "sent") throw linkInvalid();
    if (row.signTokenExpiresAt && row.signTokenExpiresAt <= now) {
      throw new AppError("UNPROCESSABLE", "signing token expired", { userMessage: "תוקף קישור החתימה פג. בקשו מהמשרד קישור חדש." });
    }
    const fields = { ...row.fields, clientIdNumber: data.idNumber, clientAddress: data.address, signerName: data.signerName };
    const body = fillText(row.body, fields);
    const pdf = await renderContractPdf({ ...row, body, fields }, { signerName: data.signerName, signedAt: now, ip: meta.ip, signaturePng: png });
    const pdfSha256 = await sha256Hex(pdf);
    const updated = await tx
      .update(contracts)
      .set({ status: "signed", body, fields, signerName: data.signerName, signerIp: meta.ip, signedAt: now, pdf, pdfSha256 })
      .where(and(eq(contracts.id, row.id), eq(contracts.status, "sent"), eq(contracts.signTokenHash, hash)))
      .returning({ id: contracts.id });
    if (updated.length !== 1) throw new AppError("CONFLICT", "contract changed while signing", { userMessage: "החוזה כבר נחתם" });
    await writeAudit(
      tx,
      { businessId: row.businessId, userId: null, ip: meta.ip },
      { action: "contracts.sign", entityType: "contract", entityId: row.id, before: { status: "sent" }, after: { status: "signed", signerName: data.signerName, pdfSha256 } },
    );
    return { contractId: row.id, businessId: row.businessId, pdfSha256 };
  });
}

/** Template of a row, for callers that show field labels. */
export function templateOf(id: string): TContractTemplate | undefined {
  return CONTRACT_TEMPLATES[id as TContractTemplate["id"]];
}
