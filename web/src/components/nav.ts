/**
 * The sidebar. Each area adds one entry here (and one route in
 * routes/index.tsx). `permission` hides the entry from users without it;
 * `adminOnly` shows it to role "admin" only. Order = order in the sidebar.
 */
import type { TIconName } from "./icons";

export interface TNavItem {
  href: string;
  label: string;
  icon: TIconName;
  permission?: string;
  adminOnly?: boolean;
  /** Visual group heading the entry sits under. */
  group?: "main" | "crm" | "business" | "admin";
}

export const NAV_ITEMS: TNavItem[] = [
  { href: "/", label: "סקירה", icon: "home", group: "main" },
  { href: "/calls", label: "שיחות", icon: "phone", permission: "calls", group: "main" },
  { href: "/inbox", label: "תיבת שיחות", icon: "chat", permission: "whatsapp", group: "main" },
  { href: "/test-call", label: "שיחת ניסיון", icon: "mic", permission: "calls", group: "main" },
  { href: "/customers", label: "לקוחות ולידים", icon: "users", permission: "customers", group: "crm" },
  { href: "/properties", label: "נכסים", icon: "building", permission: "properties", group: "crm" },
  { href: "/viewings", label: "פגישות צפייה", icon: "calendar", permission: "appointments", group: "crm" },
  { href: "/tasks", label: "משימות", icon: "check", permission: "tasks", group: "crm" },
  { href: "/contracts", label: "חוזים", icon: "list", permission: "billing", group: "business" },
  { href: "/invoices", label: "חשבוניות", icon: "receipt", permission: "billing", group: "business" },
  { href: "/payments", label: "תשלומים", icon: "receipt", permission: "billing", group: "business" },
  { href: "/analytics", label: "אנליטיקה", icon: "chart", permission: "analytics", group: "business" },
  { href: "/whatsapp", label: "חיבור וואטסאפ", icon: "chat", permission: "settings", group: "admin" },
  { href: "/settings", label: "הגדרות", icon: "settings", permission: "settings", group: "admin" },
  { href: "/users", label: "משתמשים", icon: "users", adminOnly: true, group: "admin" },
  { href: "/audit", label: "יומן פעולות", icon: "shield", adminOnly: true, group: "admin" },
  { href: "/jobs", label: "משימות רקע", icon: "list", adminOnly: true, group: "admin" },
];

export const NAV_GROUPS: Record<NonNullable<TNavItem["group"]>, string> = {
  main: "ראשי",
  crm: "ניהול לקוחות",
  business: "עסק",
  admin: "ניהול",
};

export interface TNavUser {
  role: string;
  permissions: readonly string[];
}

/** Whether a user may see an entry (also used by routes to guard pages). */
export function canSee(user: TNavUser | null | undefined, item: { permission?: string; adminOnly?: boolean }): boolean {
  if (!user) return false;
  if (item.adminOnly) return user.role === "admin";
  if (user.role === "admin") return true;
  return !item.permission || user.permissions.includes(item.permission);
}
