import { and, desc, eq, type SQL } from "drizzle-orm";
import { z } from "zod";
import type { TDb } from "../../../db/client";
import { contracts, customers } from "../../../db/schema";
import { AppError } from "../../../core/kernel/errors";
import { sha256Hex } from "../../../core/kernel/sha256";
import type { TScope } from "../../../core/domain/scope";
import { parseInput } from "../../lib/parse-input";

export const ZListContracts = z.object({
  status: z.enum(["draft", "sent", "signed", "void"]).optional(),
  customerId: z.uuid().optional(),
  limit: z.number().int().min(1).max(500).default(100),
});

const SUMMARY = {
  id: contracts.id,
  template: contracts.template,
  title: contracts.title,
  status: contracts.status,
  customerId: contracts.customerId,
  customerName: customers.fullName,
  propertyId: contracts.propertyId,
  signerName: contracts.signerName,
  signedAt: contracts.signedAt,
  signTokenExpiresAt: contracts.signTokenExpiresAt,
  pdfSha256: contracts.pdfSha256,
  createdAt: contracts.createdAt,
};

/** Contracts of the scope's business, newest first (no PDF bytes). */
export async function listContracts(db: TDb, scope: TScope, input: z.input<typeof ZListContracts> = {}) {
  const q = parseInput(ZListContracts, input);
  const where: SQL[] = [eq(contracts.businessId, scope.businessId)];
  if (q.status) where.push(eq(contracts.status, q.status));
  if (q.customerId) where.push(eq(contracts.customerId, q.customerId));
  return db
    .select(SUMMARY)
    .from(contracts)
    .leftJoin(customers, eq(customers.id, contracts.customerId))
    .where(and(...where))
    .orderBy(desc(contracts.createdAt))
    .limit(q.limit);
}

/** One contract with its text and fields. */
export async function getContract(db: TDb, scope: TScope, id: string) {
  const [row] = await db
    .select({ ...SUMMARY, body: contracts.body, fields: contracts.fields, signerIp: contracts.signerIp })
    .from(contracts)
    .leftJoin(customers, eq(customers.id, contracts.customerId))
    .where(and(eq(contracts.id, id), eq(contracts.businessId, scope.businessId)));
  if (!row) throw new AppError("NOT_FOUND", "contract not found", { userMessage: "החוזה לא נמצא" });
  return row;
}

/** The signed PDF bytes, refused if they no longer match the stored hash. */
export async function getSignedPdf(db: TDb, scope: TScope, id: string): Promise<{ filename: string; pdf: Uint8Array; sha256: string }> {
  const [row] = await db
    .select({ pdf: contracts.pdf, sha: contracts.pdfSha256, status: contracts.status })
    .from(contracts)
    .where(and(eq(contracts.id, id), eq(contracts.businessId, scope.businessId)));
  if (!row) throw new AppError("NOT_FOUND", "contract not found", { userMessage: "החוזה לא נמצא" });
  if (!row.pdf || !row.sha) throw new AppError("UNPROCESSABLE", "contract not signed", { userMessage: "החוזה טרם נחתם" });
  const actual = await sha256Hex(row.pdf);
  if (actual !== row.sha) throw new AppError("CONFLICT", "stored PDF does not match its hash", { userMessage: "המסמך השמור שונה מהמסמך שנחתם (חותמת SHA-256 אינה תואמת)" });
  return { filename: `contract-${id}.pdf`, pdf: row.pdf, sha256: row.sha };
}

/**
 * Tamper check: does this PDF (e.g. one a customer sends back) match the
 * SHA-256 recorded at signing, and does the stored copy still match it?
 */
export async function verifyContractPdf(db: TDb, scope: TScope, id: string, pdf?: Uint8Array): Promise<{ storedIntact: boolean; providedMatches: boolean | null; sha256: string | null }> {
  const [row] = await db
    .select({ pdf: contracts.pdf, sha: contracts.pdfSha256 })
    .from(contracts)
    .where(and(eq(contracts.id, id), eq(contracts.businessId, scope.businessId)));
  if (!row) throw new AppError("NOT_FOUND", "contract not found", { userMessage: "החוזה לא נמצא" });
  if (!row.sha) return { storedIntact: false, providedMatches: null, sha256: null };
  const storedIntact = row.pdf ? (await sha256Hex(row.pdf)) === row.sha : false;
  const providedMatches = pdf ? (await sha256Hex(pdf)) === row.sha : null;
  return { storedIntact, providedMatches, sha256: row.sha };
}
