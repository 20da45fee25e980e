/**
 * The root tRPC router. Each area lives in api/trpc/<name>/router.ts; other
 * teams add theirs here (conversations, contracts, invoices, payments, testCall).
 */
import { authRouter } from "./auth/router";
import { callsRouter } from "./calls/router";
import { customersRouter } from "./customers/router";
import { router } from "./init";
import { notificationsRouter } from "./notifications/router";
import { propertiesRouter } from "./properties/router";
import { testCallRouter } from "./test-call/router";

export const appRouter = router({
  auth: authRouter,
  customers: customersRouter,
  calls: callsRouter,
  properties: propertiesRouter,
  notifications: notificationsRouter,
  testCall: testCallRouter,
});

/** Type of the whole API, for clients (`createKesherClient`, the dashboard). */
export type AppRouter = typeof appRouter;
