/**
 * The route table. Each page is loaded lazily (small first load). To add a
 * page: one entry here and, for the sidebar, one in components/nav.ts. The
 * `permission` / `adminOnly` guard matches the nav entry.
 */
import { lazy, type Component } from "solid-js";

export interface TRouteDef {
  path: string;
  component: Component;
  permission?: string;
  adminOnly?: boolean;
}

export const ROUTES: TRouteDef[] = [
  { path: "/", component: lazy(() => import("./home")) },
  { path: "/calls", component: lazy(() => import("./calls/calls-page")), permission: "calls" },
  { path: "/calls/:id", component: lazy(() => import("./calls/call-page")), permission: "calls" },
  { path: "/test-call", component: lazy(() => import("./test-call/test-call-page")), permission: "calls" },
  { path: "/customers", component: lazy(() => import("./customers/customers-page")), permission: "customers" },
  { path: "/customers/:id", component: lazy(() => import("./customers/customer-page")), permission: "customers" },
  { path: "/properties", component: lazy(() => import("./properties/properties-page")), permission: "properties" },
  { path: "/properties/:id", component: lazy(() => import("./properties/property-page")), permission: "properties" },
  { path: "/viewings", component: lazy(() => import("./viewings/viewings-page")), permission: "appointments" },
  { path: "/tasks", component: lazy(() => import("./tasks/tasks-page")), permission: "tasks" },
  { path: "/inbox", component: lazy(() => import("./inbox/inbox-page")), permission: "whatsapp" },
  { path: "/inbox/:customerId", component: lazy(() => import("./inbox/inbox-page")), permission: "whatsapp" },
  { path: "/whatsapp", component: lazy(() => import("./whatsapp/whatsapp-page")), permission: "settings" },
  { path: "/settings", component: lazy(() => import("./settings/settings-page")), permission: "settings" },
  { path: "/contracts", component: lazy(() => import("./contracts/contracts-page")), permission: "billing" },
  { path: "/invoices", component: lazy(() => import("./invoices/invoices-page")), permission: "billing" },
  { path: "/payments", component: lazy(() => import("./payments/payments-page")), permission: "billing" },
  { path: "/analytics", component: lazy(() => import("./analytics/analytics-page")), permission: "analytics" },
  { path: "/users", component: lazy(() => import("./admin/users-page")), adminOnly: true },
  { path: "/audit", component: lazy(() => import("./admin/audit-page")), adminOnly: true },
  { path: "/jobs", component: lazy(() => import("./admin/jobs-page")), adminOnly: true },
];
