-- User names become unique whatever their case ('Admin' is 'admin'): sign-in matches lower(username)
-- and the lock-out counters are keyed on the lower-cased name. Names that only differed in case
-- before keep working for the oldest account; each later one gets its id appended ('Admin-7'), so the
-- index can be built and an admin sees in the user list who was renamed.
UPDATE "users" u SET "username" = u."username" || '-' || u."id"
WHERE EXISTS (SELECT 1 FROM "users" v WHERE lower(v."username") = lower(u."username") AND v."id" < u."id");--> statement-breakpoint
ALTER TABLE "users" DROP CONSTRAINT "users_username_unique";--> statement-breakpoint
CREATE UNIQUE INDEX "users_username_lower_key" ON "users" USING btree (lower("username"));
