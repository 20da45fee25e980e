import { formatDateTime } from "../../../core/kernel/format";
import { sha256Hex } from "../../../core/kernel/sha256";
import { loadTemplate, renderTypstPdf } from "../../lib/typst/render-typst-pdf";
import { CONTRACT_TEMPLATES, type TContractTemplate } from "./contract-templates";
import type { TContractRow } from "./create-contract";

const TEMPLATE = new URL("./contract.typ", import.meta.url);

/** Fields whose values read left to right (numbers, phones, dates, amounts). */
const LTR_FIELDS = new Set(["brokerLicense", "clientPhone", "clientIdNumber", "price", "fee", "date"]);

/**
 * SHA-256 of what was agreed (title, text, field values), printed on the
 * page: the PDF's own hash can't be inside it, so the stored PDF hash and
 * this content hash together show the document was not changed.
 */
export async function contractContentSha256(contract: Pick<TContractRow, "title" | "body" | "fields">): Promise<string> {
  const fields = Object.fromEntries(Object.entries(contract.fields).sort(([a], [b]) => a.localeCompare(b)));
  return sha256Hex(new TextEncoder().encode(JSON.stringify({ title: contract.title, body: contract.body, fields })));
}

/**
 * The signed contract as a Hebrew PDF typeset by Typst: the filled text,
 * the field table, the drawn signature and the signing record (signer, time,
 * IP, document id, content SHA-256).
 */
export async function renderContractPdf(
  contract: Pick<TContractRow, "id" | "template" | "title" | "body" | "fields">,
  signing: { signerName: string; signedAt: Date; ip: string | null; signaturePng: Uint8Array },
): Promise<Uint8Array> {
  const template: TContractTemplate | undefined = CONTRACT_TEMPLATES[contract.template as TContractTemplate["id"]];
  const signedAt = formatDateTime(signing.signedAt);
  const data = {
    title: contract.title,
    brokerName: contract.fields.brokerName ?? "",
    paragraphs: contract.body.split("\n").filter((p) => p.trim()),
    fields: (template?.fields ?? []).map((f) => ({ label: f.label, value: contract.fields[f.key]?.trim() || "—", ltr: LTR_FIELDS.has(f.key) })),
    signedCaption: `נחתם על ידי ${signing.signerName} בתאריך ${signedAt}`,
    integrity: [
      { label: "שם החותם", value: signing.signerName },
      { label: "מועד החתימה (שעון ישראל)", value: signedAt, ltr: true },
      { label: "כתובת IP של החותם", value: signing.ip ?? "לא ידועה", ltr: Boolean(signing.ip) },
      { label: "מזהה מסמך", value: contract.id, ltr: true },
      { label: "SHA-256 של תוכן החוזה", value: await contractContentSha256(contract), ltr: true },
    ],
  };
  return renderTypstPdf({ template: loadTemplate(TEMPLATE), data, files: { "signature.png": signing.signaturePng } });
}
