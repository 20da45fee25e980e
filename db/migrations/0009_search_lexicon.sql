-- Search lexicon (#17): every normalised word of 3–40 letters (no digits) that
-- appears in a business's searchable text. A query word with no exact hit is
-- corrected to its nearest lexicon words (trigram similarity over this small,
-- GIN-indexed table: "גולדבג" → "גולדברג") and searched exactly, instead of a
-- word-similarity scan over every customer and transcript line.
-- Statement-level triggers with transition tables: one INSERT per statement
-- (bulk loads stay fast). Terms go in sorted order so concurrent writers take
-- index locks in one order; a deadlock or lock timeout in the lexicon is
-- swallowed: it only helps typo correction and must never fail a real write.
--> statement-breakpoint
CREATE OR REPLACE FUNCTION kesher_terms_from_customers() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
BEGIN
  BEGIN
    INSERT INTO search_terms (business_id, term)
    SELECT DISTINCT n.business_id, w
    FROM new_rows n, regexp_split_to_table(concat_ws(' ', n.search_doc, n.req_places), '[^0-9a-zא-ת]+') AS w
    WHERE length(w) BETWEEN 3 AND 40 AND w !~ '[0-9]'
    ORDER BY 1, 2
    ON CONFLICT DO NOTHING;
  EXCEPTION WHEN deadlock_detected OR lock_not_available THEN
    NULL;
  END;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER customers_terms_ins AFTER INSERT ON customers REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION kesher_terms_from_customers();
--> statement-breakpoint
CREATE TRIGGER customers_terms_upd AFTER UPDATE ON customers REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION kesher_terms_from_customers();
--> statement-breakpoint
INSERT INTO search_terms (business_id, term)
SELECT DISTINCT n.business_id, w FROM customers n, regexp_split_to_table(concat_ws(' ', n.search_doc, n.req_places), '[^0-9a-zא-ת]+') AS w
WHERE length(w) BETWEEN 3 AND 40 AND w !~ '[0-9]'
ON CONFLICT DO NOTHING;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION kesher_terms_from_properties() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
BEGIN
  BEGIN
    INSERT INTO search_terms (business_id, term)
    SELECT DISTINCT n.business_id, w
    FROM new_rows n, regexp_split_to_table(n.search_doc, '[^0-9a-zא-ת]+') AS w
    WHERE length(w) BETWEEN 3 AND 40 AND w !~ '[0-9]'
    ORDER BY 1, 2
    ON CONFLICT DO NOTHING;
  EXCEPTION WHEN deadlock_detected OR lock_not_available THEN
    NULL;
  END;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER properties_terms_ins AFTER INSERT ON properties REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION kesher_terms_from_properties();
--> statement-breakpoint
CREATE TRIGGER properties_terms_upd AFTER UPDATE ON properties REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION kesher_terms_from_properties();
--> statement-breakpoint
INSERT INTO search_terms (business_id, term)
SELECT DISTINCT n.business_id, w FROM properties n, regexp_split_to_table(n.search_doc, '[^0-9a-zא-ת]+') AS w
WHERE length(w) BETWEEN 3 AND 40 AND w !~ '[0-9]'
ON CONFLICT DO NOTHING;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION kesher_terms_from_call_logs() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
BEGIN
  BEGIN
    INSERT INTO search_terms (business_id, term)
    SELECT DISTINCT n.business_id, w
    FROM new_rows n, regexp_split_to_table(n.summary_norm, '[^0-9a-zא-ת]+') AS w
    WHERE length(w) BETWEEN 3 AND 40 AND w !~ '[0-9]'
    ORDER BY 1, 2
    ON CONFLICT DO NOTHING;
  EXCEPTION WHEN deadlock_detected OR lock_not_available THEN
    NULL;
  END;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER call_logs_terms_ins AFTER INSERT ON call_logs REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION kesher_terms_from_call_logs();
--> statement-breakpoint
CREATE TRIGGER call_logs_terms_upd AFTER UPDATE ON call_logs REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION kesher_terms_from_call_logs();
--> statement-breakpoint
INSERT INTO search_terms (business_id, term)
SELECT DISTINCT n.business_id, w FROM call_logs n, regexp_split_to_table(n.summary_norm, '[^0-9a-zא-ת]+') AS w
WHERE length(w) BETWEEN 3 AND 40 AND w !~ '[0-9]'
ON CONFLICT DO NOTHING;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION kesher_terms_from_conversation_turns() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
BEGIN
  BEGIN
    INSERT INTO search_terms (business_id, term)
    SELECT DISTINCT n.business_id, w
    FROM new_rows n, regexp_split_to_table(n.text_norm, '[^0-9a-zא-ת]+') AS w
    WHERE length(w) BETWEEN 3 AND 40 AND w !~ '[0-9]'
    ORDER BY 1, 2
    ON CONFLICT DO NOTHING;
  EXCEPTION WHEN deadlock_detected OR lock_not_available THEN
    NULL;
  END;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER conversation_turns_terms_ins AFTER INSERT ON conversation_turns REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION kesher_terms_from_conversation_turns();
--> statement-breakpoint
INSERT INTO search_terms (business_id, term)
SELECT DISTINCT n.business_id, w FROM conversation_turns n, regexp_split_to_table(n.text_norm, '[^0-9a-zא-ת]+') AS w
WHERE length(w) BETWEEN 3 AND 40 AND w !~ '[0-9]'
ON CONFLICT DO NOTHING;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION kesher_terms_from_whatsapp_messages() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
BEGIN
  BEGIN
    INSERT INTO search_terms (business_id, term)
    SELECT DISTINCT n.business_id, w
    FROM new_rows n, regexp_split_to_table(n.body_norm, '[^0-9a-zא-ת]+') AS w
    WHERE length(w) BETWEEN 3 AND 40 AND w !~ '[0-9]'
    ORDER BY 1, 2
    ON CONFLICT DO NOTHING;
  EXCEPTION WHEN deadlock_detected OR lock_not_available THEN
    NULL;
  END;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER whatsapp_messages_terms_ins AFTER INSERT ON whatsapp_messages REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION kesher_terms_from_whatsapp_messages();
--> statement-breakpoint
CREATE TRIGGER whatsapp_messages_terms_upd AFTER UPDATE ON whatsapp_messages REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION kesher_terms_from_whatsapp_messages();
--> statement-breakpoint
INSERT INTO search_terms (business_id, term)
SELECT DISTINCT n.business_id, w FROM whatsapp_messages n, regexp_split_to_table(n.body_norm, '[^0-9a-zא-ת]+') AS w
WHERE length(w) BETWEEN 3 AND 40 AND w !~ '[0-9]'
ON CONFLICT DO NOTHING;
