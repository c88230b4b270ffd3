CREATE TABLE "station_change_counter" (
	"singleton" boolean PRIMARY KEY DEFAULT true NOT NULL,
	"version" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "station_change_counter_singleton" CHECK ("station_change_counter"."singleton")
);
--> statement-breakpoint
CREATE TABLE "station_change_log" (
	"version" bigint PRIMARY KEY NOT NULL,
	"xid" "xid8" NOT NULL,
	"reset" boolean DEFAULT false NOT NULL,
	"committed_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "station_tombstones" (
	"station_id" integer PRIMARY KEY NOT NULL,
	"xid" "xid8" NOT NULL
);
--> statement-breakpoint
ALTER TABLE "stations" ADD COLUMN "data_xid" "xid8";--> statement-breakpoint
CREATE INDEX "station_change_log_xid_idx" ON "station_change_log" USING btree ("xid");--> statement-breakpoint
CREATE INDEX "station_tombstones_xid_idx" ON "station_tombstones" USING btree ("xid");--> statement-breakpoint
CREATE INDEX "stations_data_xid_idx" ON "stations" USING btree ("data_xid");--> statement-breakpoint
-- Station mirrors (server/modules/stations/station-mirror.ts) keep a copy of the stations in each
-- API process and ask, on every request, only for what changed since the version they hold. Every
-- transaction that writes stations is logged once, as it commits, with a version from this counter:
-- the counter's row lock is taken last (a deferred trigger), so it orders commits without ever
-- waiting while holding a station row another writer wants (no new deadlocks), and a snapshot that
-- sees version V sees every transaction logged up to V.
INSERT INTO "station_change_counter" ("singleton", "version") VALUES (true, 0);
--> statement-breakpoint
CREATE OR REPLACE FUNCTION stations_stamp_xid() RETURNS trigger AS $$
BEGIN
  NEW.data_xid := pg_current_xact_id();
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER stations_stamp_xid_trg
  BEFORE INSERT OR UPDATE ON stations
  FOR EACH ROW EXECUTE FUNCTION stations_stamp_xid();
--> statement-breakpoint
CREATE OR REPLACE FUNCTION stations_log_change() RETURNS trigger AS $$
BEGIN
  -- Constraint triggers are per row; the transaction-local setting makes it one entry per transaction.
  IF current_setting('warm_posts.stations_logged', true) IS DISTINCT FROM 'yes' THEN
    PERFORM set_config('warm_posts.stations_logged', 'yes', true);
    WITH next AS (
      UPDATE station_change_counter SET version = version + 1 RETURNING version
    )
    INSERT INTO station_change_log (version, xid) SELECT version, pg_current_xact_id() FROM next;
    -- Delivered at commit, to every listening API process: their mirrors sync on the next request.
    PERFORM pg_notify('station_changes', 'stations');
  END IF;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER stations_log_change_trg
  AFTER INSERT OR UPDATE OR DELETE ON stations
  DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW EXECUTE FUNCTION stations_log_change();
--> statement-breakpoint
CREATE OR REPLACE FUNCTION stations_tombstone() RETURNS trigger AS $$
BEGIN
  INSERT INTO station_tombstones (station_id, xid) VALUES (OLD.id, pg_current_xact_id())
  ON CONFLICT (station_id) DO UPDATE SET xid = excluded.xid;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER stations_tombstone_trg
  AFTER DELETE ON stations
  FOR EACH ROW EXECUTE FUNCTION stations_tombstone();
--> statement-breakpoint
-- TRUNCATE fires no row triggers: log a reset, and every mirror reloads everything.
CREATE OR REPLACE FUNCTION stations_log_reset() RETURNS trigger AS $$
BEGIN
  WITH next AS (
    UPDATE station_change_counter SET version = version + 1 RETURNING version
  )
  INSERT INTO station_change_log (version, xid, reset)
  SELECT version, pg_current_xact_id(), true FROM next;
  PERFORM pg_notify('station_changes', 'stations');
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER stations_log_reset_trg
  AFTER TRUNCATE ON stations
  FOR EACH STATEMENT EXECUTE FUNCTION stations_log_reset();
--> statement-breakpoint
-- Mirrors also keep which road network is current (straight-line or network ETAs): an import or a
-- removal must reach them too.
CREATE OR REPLACE FUNCTION road_networks_notify() RETURNS trigger AS $$
BEGIN
  PERFORM pg_notify('station_changes', 'roads');
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER road_networks_notify_trg
  AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON road_networks
  FOR EACH STATEMENT EXECUTE FUNCTION road_networks_notify();
