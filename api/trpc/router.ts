/**
 * The root tRPC router. Each area lives in api/trpc/<name>/router.ts; other
 * teams add theirs here (conversations, contracts, invoices, payments, testCall).
 */
import { analyticsRouter } from "./analytics/router";
import { appointmentsRouter } from "./appointments/router";
import { assignmentsRouter } from "./assignments/router";
import { auditRouter } from "./audit/router";
import { authRouter } from "./auth/router";
import { businessesRouter } from "./businesses/router";
import { callsRouter } from "./calls/router";
import { contractsRouter } from "./contracts/router";
import { conversationsRouter } from "./conversations/router";
import { customersRouter } from "./customers/router";
import { invoicesRouter } from "./invoices/router";
import { jobsRouter } from "./jobs/router";
import { paymentsRouter } from "./payments/router";
import { router } from "./init";
import { notificationsRouter } from "./notifications/router";
import { propertiesRouter } from "./properties/router";
import { calendarRouter } from "./calendar/router";
import { savedViewsRouter } from "./saved-views/router";
import { searchRouter } from "./search/router";
import { settingsRouter } from "./settings/router";
import { tasksRouter } from "./tasks/router";
import { usersRouter } from "./users/router";
import { testCallRouter } from "./test-call/router";
import { voiceRouter } from "./voice/router";

export const appRouter = router({
  auth: authRouter,
  customers: customersRouter,
  calls: callsRouter,
  properties: propertiesRouter,
  notifications: notificationsRouter,
  businesses: businessesRouter,
  users: usersRouter,
  appointments: appointmentsRouter,
  tasks: tasksRouter,
  settings: settingsRouter,
  analytics: analyticsRouter,
  audit: auditRouter,
  testCall: testCallRouter,
  conversations: conversationsRouter,
  contracts: contractsRouter,
  invoices: invoicesRouter,
  payments: paymentsRouter,
  search: searchRouter,
  calendar: calendarRouter,
  jobs: jobsRouter,
  voice: voiceRouter,
  assignments: assignmentsRouter,
  savedViews: savedViewsRouter,
});

/** Type of the whole API, for clients (`createKesherClient`, the dashboard). */
export type AppRouter = typeof appRouter;
