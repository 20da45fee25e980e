/**
 * Who acts and on which business. Every CRM service takes a scope and filters
 * every query by `scope.businessId`: tenant isolation lives here, in the
 * service layer, not in the UI.
 */
export interface TScope {
  businessId: string;
  /** The acting user (null for system actions such as webhooks). */
  userId: string | null;
  ip: string | null;
}
