/** `calendar.myFeed`: the path of the signed-in agent's private ICS feed of their viewings. */
import { z } from "zod";
import { paymentSecret } from "../../billing/payment-secret";
import { icsToken } from "../../services/calendar/agent-ics";
import { router, staffProcedure } from "../init";

export const calendarRouter = router({
  myFeed: staffProcedure
    .input(z.object({}).optional())
    .output(z.object({ path: z.string() }))
    .query(({ ctx }) => ({ path: `/ics/${icsToken(paymentSecret(ctx.deps), ctx.user.id)}.ics` })),
});
