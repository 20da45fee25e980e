-- Requirements as typed, indexed columns (#17, #15 "one requirements schema"): the
-- generated req_* columns on customers (next migration) are computed by these
-- functions from customers.requirements, so every writer (dashboard, CSV import,
-- the AI's lead tool) keeps writing one JSON object and no column can drift.
-- IMMUTABLE: they depend only on their arguments.
CREATE OR REPLACE FUNCTION kesher_req_text(r jsonb, k text) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT CASE WHEN jsonb_typeof(r -> k) = 'string' THEN r ->> k END $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION kesher_req_num(r jsonb, k text) RETURNS numeric
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT CASE WHEN jsonb_typeof(r -> k) = 'number' THEN (r ->> k)::numeric END $$;
--> statement-breakpoint
-- Distinct normalised words of a JSON array of place names; '{*}' when there are
-- none, meaning "any city", so listing → leads matching is one GIN-indexed
-- `req_city_words && array['*', <words of the listing's city>]`.
CREATE OR REPLACE FUNCTION kesher_req_words(places jsonb) RETURNS text[]
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT coalesce(array_agg(DISTINCT w ORDER BY w), '{*}')
        FROM jsonb_array_elements_text(CASE WHEN jsonb_typeof(places) = 'array' THEN places ELSE '[]'::jsonb END) AS p(name),
             regexp_split_to_table(public.kesher_norm(p.name), ' ') AS w
        WHERE w <> '' $$;
--> statement-breakpoint
-- Wanted cities and neighbourhoods as one normalised text (null when none).
CREATE OR REPLACE FUNCTION kesher_req_places(r jsonb) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT nullif(public.kesher_norm(concat_ws(' ',
          (SELECT string_agg(x, ' ') FROM jsonb_array_elements_text(CASE WHEN jsonb_typeof(r -> 'cities') = 'array' THEN r -> 'cities' ELSE '[]'::jsonb END) AS a(x)),
          (SELECT string_agg(x, ' ') FROM jsonb_array_elements_text(CASE WHEN jsonb_typeof(r -> 'neighborhoods') = 'array' THEN r -> 'neighborhoods' ELSE '[]'::jsonb END) AS b(x)))), '') $$;
