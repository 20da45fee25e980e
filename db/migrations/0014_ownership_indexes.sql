CREATE INDEX "customers_assigned_idx" ON "customers" USING btree ("business_id","assigned_user_id","created_at");--> statement-breakpoint
CREATE INDEX "appointments_assigned_idx" ON "appointment_requests" USING btree ("business_id","assigned_user_id","starts_at");--> statement-breakpoint
CREATE INDEX "tasks_assigned_idx" ON "tasks" USING btree ("business_id","assigned_user_id","status");