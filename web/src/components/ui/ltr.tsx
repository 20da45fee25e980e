import { formatMoney, formatPhone } from "../../lib/format";

/** A phone number isolated left-to-right inside Hebrew text; a tel: link, so a tap on a phone calls it. */
export function Phone(props: { value: string | null | undefined }) {
  const tel = () => (props.value ? props.value.replace(/[^\d+]/g, "") : "");
  return (
    <bdi dir="ltr" class="tabular whitespace-nowrap">
      {tel() ? (
        // Inside clickable table rows the link must not also open the row.
        <a href={`tel:${tel()}`} class="hover:underline" onClick={(e) => e.stopPropagation()}>
          {formatPhone(props.value)}
        </a>
      ) : (
        formatPhone(props.value)
      )}
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
