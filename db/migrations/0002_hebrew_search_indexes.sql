-- Hebrew-aware search: one normalisation (dashes/maqaf → space, quote marks,
-- gershayim and niqqud removed, spaces collapsed, lower-case) used both in
-- queries and in the stored search columns (computed once on write, trigram
-- indexed; see 0003), so "רמת גן" finds "רמת-גן" at scale without
-- normalising every row per query. Must stay identical to
-- normalizeSearch() in api/services/search/hebrew-text.ts.
CREATE OR REPLACE FUNCTION kesher_norm(t text) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT lower(regexp_replace(regexp_replace(translate(coalesce(t, ''), '-־‐‑‒–—―', '        '), '["''׳״“”‘’`\u0591-\u05BD\u05BF-\u05C7]', '', 'g'), '\s+', ' ', 'g')) $$;
--> statement-breakpoint
-- array_to_string/concat_ws are only STABLE in general; for text and text[] they are deterministic.
CREATE OR REPLACE FUNCTION kesher_customer_doc(full_name text, notes text, email text, tags text[]) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT public.kesher_norm(concat_ws(' ', full_name, notes, email, array_to_string(tags, ' '))) $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION kesher_property_doc(title text, city text, neighborhood text, street text, description text) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT public.kesher_norm(concat_ws(' ', title, city, neighborhood, street, description)) $$;
