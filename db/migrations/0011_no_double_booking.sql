-- One listing, one viewing at a time; one agent, one viewing at a time.
-- The booking service checks first (with a clear Hebrew message and a next free
-- slot); these constraints make a double booking impossible even if a writer
-- skips the service. btree_gist gives GiST the uuid "=" operator.
CREATE EXTENSION IF NOT EXISTS btree_gist;
--> statement-breakpoint
-- Databases that already hold overlapping active viewings (written before this
-- rule) keep the earliest-created one active and mark the later ones cancelled,
-- with a note, so the constraint can be added and staff can see what happened.
UPDATE "appointment_requests" a
SET "status" = 'cancelled',
    "notes" = concat_ws(E'\n', a."notes", 'בוטלה אוטומטית: חפפה לפגישה אחרת באותו נכס/נציג')
WHERE a."status" IN ('requested', 'confirmed')
  AND EXISTS (
    SELECT 1 FROM "appointment_requests" b
    WHERE b."id" <> a."id"
      AND b."status" IN ('requested', 'confirmed')
      AND b."starts_at" < a."ends_at" AND b."ends_at" > a."starts_at"
      AND ((a."property_id" IS NOT NULL AND b."property_id" = a."property_id")
        OR (a."assigned_user_id" IS NOT NULL AND b."assigned_user_id" = a."assigned_user_id"))
      AND (b."created_at", b."id") < (a."created_at", a."id")
  );
--> statement-breakpoint
ALTER TABLE "appointment_requests" ADD CONSTRAINT "appointments_property_no_overlap"
  EXCLUDE USING gist ("property_id" WITH =, tstzrange("starts_at", "ends_at", '[)') WITH &&)
  WHERE ("property_id" IS NOT NULL AND "status" IN ('requested', 'confirmed'));
--> statement-breakpoint
ALTER TABLE "appointment_requests" ADD CONSTRAINT "appointments_agent_no_overlap"
  EXCLUDE USING gist ("assigned_user_id" WITH =, tstzrange("starts_at", "ends_at", '[)') WITH &&)
  WHERE ("assigned_user_id" IS NOT NULL AND "status" IN ('requested', 'confirmed'));
