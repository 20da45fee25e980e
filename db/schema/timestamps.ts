import { timestamp } from "drizzle-orm/pg-core";

/** created_at / updated_at, timezone-aware, set by the database. */
export const timestamps = {
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp({ withTimezone: true })
    .notNull()
    .defaultNow()
    .$onUpdate(() => new Date()),
};
