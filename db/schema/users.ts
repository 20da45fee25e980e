import { bigint, boolean, index, inet, integer, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { businesses } from "./businesses";
import { userRole } from "./enums";
import { timestamps } from "./timestamps";

export const PERMISSIONS = ["calls", "customers", "properties", "appointments", "tasks", "whatsapp", "billing", "analytics", "settings", "users"] as const;
export type TPermission = (typeof PERMISSIONS)[number];

export const users = pgTable(
  "users",
  {
    id: uuid().primaryKey().defaultRandom(),
    /** Null only for platform admins not tied to one business. */
    businessId: uuid().references(() => businesses.id, { onDelete: "cascade" }),
    email: text().notNull().unique(),
    passwordHash: text().notNull(),
    fullName: text().notNull(),
    role: userRole().notNull().default("business"),
    permissions: text().array().$type<TPermission[]>().notNull().default([]),
    active: boolean().notNull().default(true),
    lastLoginAt: timestamp({ withTimezone: true }),
    ...timestamps,
  },
  (t) => [index("users_business_idx").on(t.businessId)],
);

/** Server-side sessions; the cookie carries a random token whose SHA-256 is the id. */
export const sessions = pgTable(
  "sessions",
  {
    id: text().primaryKey(),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
    ip: inet(),
    userAgent: text(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("sessions_user_idx").on(t.userId)],
);

/**
 * Login throttle state, shared by every API instance. One row per key: a
 * SHA-256 of "pair:<email>|<address>" or "addr:<address>". Attempts are
 * reserved atomically (insert … on conflict do update) before a password is
 * verified; times are epoch milliseconds so both drivers agree.
 */
export const loginThrottle = pgTable(
  "login_throttle",
  {
    key: text().primaryKey(),
    attempts: integer().notNull().default(0),
    windowStartMs: bigint({ mode: "number" }).notNull(),
    blockedUntilMs: bigint({ mode: "number" }),
    /** How many times this key was blocked in a row: the next block lasts twice as long. */
    strikes: integer().notNull().default(0),
  },
  (t) => [index("login_throttle_window_idx").on(t.windowStartMs)],
);
