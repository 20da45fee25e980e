import { createHebrewPdf } from "../../lib/hebrew-pdf";
import { CONTRACT_TEMPLATES, type TContractTemplate } from "./contract-templates";
import type { TContractRow } from "./create-contract";

/** Israel local date and time, DD.MM.YYYY HH:MM. */
export function israelDateTime(at: Date): string {
  const parts = new Intl.DateTimeFormat("en-GB", {
    timeZone: "Asia/Jerusalem",
    day: "2-digit",
    month: "2-digit",
    year: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    hour12: false,
  }).formatToParts(at);
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? "";
  return `${get("day")}.${get("month")}.${get("year")} ${get("hour")}:${get("minute")}`;
}

/**
 * The signed contract as a Hebrew PDF: the filled text, the field table,
 * the drawn signature and the signing record (name, ID, time, IP).
 */
export async function renderContractPdf(
  contract: Pick<TContractRow, "id" | "template" | "title" | "body" | "fields">,
  signing: { signerName: string; signedAt: Date; ip: string | null; signaturePng: Uint8Array },
): Promise<Uint8Array> {
  const template: TContractTemplate | undefined = CONTRACT_TEMPLATES[contract.template as TContractTemplate["id"]];
  const doc = await createHebrewPdf({ title: contract.title, subject: contract.fields.brokerName });
  doc.paragraph(contract.fields.brokerName ?? "", { size: 13, bold: true });
  doc.heading(contract.title);
  for (const p of contract.body.split("\n")) doc.paragraph(p, { gap: 8 });
  if (template) {
    doc.space(6);
    doc.fields(template.fields.map((f) => [f.label, contract.fields[f.key] ?? ""]));
  }
  doc.space(10);
  await doc.image(signing.signaturePng, {
    width: 200,
    height: 80,
    caption: `נחתם על ידי ${signing.signerName} בתאריך ${israelDateTime(signing.signedAt)}`,
  });
  doc.paragraph(`כתובת IP של החותם: ${signing.ip ?? "לא ידועה"}`, { size: 8 });
  doc.paragraph(`מזהה מסמך: ${contract.id}`, { size: 8 });
  return doc.save();
}
