-- Listing → leads (matchCustomers) reads its candidates from this narrow table
-- instead of the customers heap: one row per open lead and wanted city word
-- ('*' for a lead who names no city), holding what the SQL prefilter and the
-- score bound read. Its primary key covers those columns, so the candidates
-- of one city are an index-only scan of a few thousand small entries rather
-- than a bitmap heap scan of ~8,000 wide customer rows (one page each).
-- Kept by statement triggers on customers; a customer's keys are rewritten on
-- every update (a transition table cannot name columns). Not in the drizzle
-- schema: only api/services/properties reads it, through SQL.
CREATE TABLE customer_match_keys (
  business_id uuid NOT NULL,
  city_word text NOT NULL,
  customer_id uuid NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
  deal_type text,
  property_type text,
  budget_max numeric,
  rooms_min numeric,
  rooms_max numeric,
  any_city boolean NOT NULL,
  wants_neighborhood boolean NOT NULL,
  wants_size boolean NOT NULL,
  PRIMARY KEY (business_id, city_word, customer_id) INCLUDE (deal_type, property_type, budget_max, rooms_min, rooms_max, any_city, wants_neighborhood, wants_size)
);
--> statement-breakpoint
CREATE INDEX customer_match_keys_customer_idx ON customer_match_keys (customer_id);
--> statement-breakpoint
CREATE OR REPLACE FUNCTION kesher_match_keys_write() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
BEGIN
  -- An update rewrites the customer's keys (old_rows exists only for UPDATE; the statement is planned only here).
  IF TG_OP = 'UPDATE' THEN
    DELETE FROM customer_match_keys k USING old_rows o WHERE k.customer_id = o.id;
  END IF;
  INSERT INTO customer_match_keys (business_id, city_word, customer_id, deal_type, property_type, budget_max, rooms_min, rooms_max, any_city, wants_neighborhood, wants_size)
  SELECT DISTINCT n.business_id, w, n.id, n.req_deal_type, n.req_property_type, n.req_budget_max, n.req_rooms_min, n.req_rooms_max,
         n.req_city_words = '{*}'::text[], n.requirements ? 'neighborhoods', n.requirements ? 'sizeMin'
  FROM new_rows n, unnest(n.req_city_words) AS w
  WHERE n.status NOT IN ('won', 'lost') AND n.requirements <> '{}'::jsonb
  ORDER BY 1, 2, 3
  ON CONFLICT DO NOTHING;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER customers_match_keys_ins AFTER INSERT ON customers REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION kesher_match_keys_write();
--> statement-breakpoint
CREATE TRIGGER customers_match_keys_upd AFTER UPDATE ON customers REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION kesher_match_keys_write();
--> statement-breakpoint
-- The customers already there (the trigger's insert, over the table instead of a transition table).
INSERT INTO customer_match_keys (business_id, city_word, customer_id, deal_type, property_type, budget_max, rooms_min, rooms_max, any_city, wants_neighborhood, wants_size)
SELECT DISTINCT n.business_id, w, n.id, n.req_deal_type, n.req_property_type, n.req_budget_max, n.req_rooms_min, n.req_rooms_max,
       n.req_city_words = '{*}'::text[], n.requirements ? 'neighborhoods', n.requirements ? 'sizeMin'
FROM customers n, unnest(n.req_city_words) AS w
WHERE n.status NOT IN ('won', 'lost') AND n.requirements <> '{}'::jsonb
ON CONFLICT DO NOTHING;
--> statement-breakpoint
-- Statistics now; the visibility map (index-only reads) comes with autovacuum, as after any bulk write.
ANALYZE customer_match_keys;
