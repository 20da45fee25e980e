import { formatMoney, formatPhone } from "../../lib/format";

/** A phone number isolated left-to-right inside Hebrew text. */
export function Phone(props: { value: string | null | undefined }) {
  return (
    <bdi dir="ltr" class="tabular whitespace-nowrap">
      {formatPhone(props.value)}
    </bdi>
  );
}

/** An amount in ₪ isolated left-to-right. */
export function Money(props: { value: number | string | null | undefined }) {
  return (
    <bdi dir="ltr" class="tabular whitespace-nowrap">
      {formatMoney(props.value)}
    </bdi>
  );
}

/** Any code, id or number that must read left-to-right. */
export function Ltr(props: { children: string | number | null | undefined; class?: string }) {
  return (
    <bdi dir="ltr" class={`tabular ${props.class ?? ""}`}>
      {props.children ?? "—"}
    </bdi>
  );
}
