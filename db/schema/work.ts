import { index, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { businesses } from "./businesses";
import { callLogs } from "./calls";
import { customers } from "./customers";
import { properties } from "./properties";
import { users } from "./users";
import { appointmentStatus, taskPriority, taskStatus } from "./enums";
import { timestamps } from "./timestamps";

/** Viewings requested by callers or booked by staff. */
export const appointmentRequests = pgTable(
  "appointment_requests",
  {
    id: uuid().primaryKey().defaultRandom(),
    businessId: uuid()
      .notNull()
      .references(() => businesses.id, { onDelete: "cascade" }),
    customerId: uuid().references(() => customers.id, { onDelete: "set null" }),
    propertyId: uuid().references(() => properties.id, { onDelete: "set null" }),
    callId: uuid().references(() => callLogs.id, { onDelete: "set null" }),
    assignedUserId: uuid().references(() => users.id, { onDelete: "set null" }),
    startsAt: timestamp({ withTimezone: true }).notNull(),
    endsAt: timestamp({ withTimezone: true }).notNull(),
    status: appointmentStatus().notNull().default("requested"),
    notes: text(),
    ...timestamps,
  },
  (t) => [
    index("appointments_business_starts_idx").on(t.businessId, t.startsAt),
    index("appointments_property_idx").on(t.propertyId, t.startsAt),
    // Call detail lists the viewings booked during the call.
    index("appointments_call_idx").on(t.callId),
    // "הצפיות שלי".
    index("appointments_assigned_idx").on(t.businessId, t.assignedUserId, t.startsAt),
  ],
);

export const tasks = pgTable(
  "tasks",
  {
    id: uuid().primaryKey().defaultRandom(),
    businessId: uuid()
      .notNull()
      .references(() => businesses.id, { onDelete: "cascade" }),
    customerId: uuid().references(() => customers.id, { onDelete: "set null" }),
    callId: uuid().references(() => callLogs.id, { onDelete: "set null" }),
    assignedUserId: uuid().references(() => users.id, { onDelete: "set null" }),
    title: text().notNull(),
    description: text(),
    dueAt: timestamp({ withTimezone: true }),
    remindAt: timestamp({ withTimezone: true }),
    remindedAt: timestamp({ withTimezone: true }),
    status: taskStatus().notNull().default("open"),
    priority: taskPriority().notNull().default("normal"),
    completedAt: timestamp({ withTimezone: true }),
    /**
     * Set by automatic writers that must create a task at most once (e.g.
     * `recording:<RecordingSid>`); unique per business, so a concurrent
     * redelivery's insert hits the constraint and does nothing.
     */
    dedupeKey: text(),
    ...timestamps,
  },
  (t) => [
    index("tasks_business_due_idx").on(t.businessId, t.status, t.dueAt),
    uniqueIndex("tasks_dedupe_key_uq").on(t.businessId, t.dedupeKey),
    // "המשימות שלי".
    index("tasks_assigned_idx").on(t.businessId, t.assignedUserId, t.status),
  ],
);
