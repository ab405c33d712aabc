-- HAND-WRITTEN (issue 8, item 4; branch org): backfill of the organization's facts into `settings`.
-- The organization's name and security contact now live in one place (core settings) that the trust
-- center, the disclosure program, mails and exports read. An install upgraded from an older release keeps
-- what it showed: the trust profile's company name, and as security contact the newest published
-- program's e-mail contact, else the trust profile's e-mail contact. Placeholders (security@localhost,
-- reserved names) are not copied: security.txt stays 404 until the owner gives a real address.
-- A security contact already in `settings` wins; a fresh install has no rows to copy.
INSERT INTO "settings" ("key", "value")
SELECT 'organizationName', to_jsonb("company_name") FROM "trust_profile"
WHERE "id" = 1 AND btrim("company_name") <> ''
-- The trust center's name is the public one: it wins over a differing settings value, unless it is the
-- seeded default.
ON CONFLICT ("key") DO UPDATE SET "value" = excluded."value", "updated_at" = now()
WHERE excluded."value" <> '"Attest"'::jsonb;
--> statement-breakpoint
INSERT INTO "settings" ("key", "value")
SELECT 'securityContact', to_jsonb("contact") FROM (
  SELECT lower(substring("c"."contact"->>'value' from 8)) AS "contact", 0 AS "rank", -"v"."version" AS "version"
  FROM "disclosure_program_versions" "v",
       LATERAL jsonb_array_elements("v"."source"->'contacts') AS "c"("contact")
  WHERE "c"."contact"->>'kind' = 'email' AND "c"."contact"->>'value' LIKE 'mailto:%'
  UNION ALL
  SELECT lower(btrim("security_contact")), 1, 0 FROM "trust_profile" WHERE "id" = 1 AND "security_contact" LIKE '%@%'
) AS "candidates"
WHERE "contact" ~ '^[^@[:space:]]+@[^@[:space:]]+\.[^@[:space:]]+$'
  AND "contact" !~ '(\.|@)(localhost|local|localdomain|test|example|invalid|internal)$'
  AND "contact" !~ '(\.|@)example\.(com|org|net)$'
ORDER BY "rank", "version"
LIMIT 1
ON CONFLICT ("key") DO NOTHING;
