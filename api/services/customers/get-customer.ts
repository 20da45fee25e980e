import { z } from "zod";
import type { TDb } from "../../../db/client";
import type { TScope } from "../../../core/domain/scope";
import { toCustomerDto, ZCustomer } from "./customer-dto";
import { findCustomer } from "./customer-input";
import { customerTimeline, ZTimelineItem } from "./customer-timeline";

export { ZTimelineItem, type TTimelineItem } from "./customer-timeline";

export const ZCustomerDetail = z.object({ customer: ZCustomer, timeline: z.array(ZTimelineItem) });

/** A customer with everything that happened with them, newest first (customer-timeline.ts). */
export async function getCustomer(db: TDb, scope: TScope, id: string): Promise<z.infer<typeof ZCustomerDetail>> {
  const customer = await findCustomer(db, scope.businessId, id);
  const timeline = await customerTimeline(db, scope.businessId, id, { text: customer.notes, at: customer.updatedAt });
  return { customer: toCustomerDto(customer), timeline };
}
