CREATE TABLE "area_levels" (
	"name" text PRIMARY KEY NOT NULL,
	"depth" integer NOT NULL,
	"label" text NOT NULL,
	"label_en" text,
	CONSTRAINT "area_levels_depth_unique" UNIQUE("depth")
);
--> statement-breakpoint
CREATE TABLE "areas" (
	"code" text PRIMARY KEY NOT NULL,
	"level" text NOT NULL,
	"parent_code" text,
	"name" text NOT NULL,
	"name_en" text,
	"pinyin" text,
	"source" text NOT NULL,
	"geom" geometry(MultiPolygon,4326) NOT NULL,
	"imported_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "stations" ADD COLUMN "area_codes" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "areas" ADD CONSTRAINT "areas_level_area_levels_name_fk" FOREIGN KEY ("level") REFERENCES "public"."area_levels"("name") ON DELETE no action ON UPDATE cascade;--> statement-breakpoint
CREATE INDEX "areas_geom_gist" ON "areas" USING gist ("geom");--> statement-breakpoint
CREATE INDEX "areas_level_idx" ON "areas" USING btree ("level","code");--> statement-breakpoint
CREATE INDEX "areas_parent_idx" ON "areas" USING btree ("parent_code");--> statement-breakpoint
CREATE INDEX "stations_area_codes_gin" ON "stations" USING gin ("area_codes");--> statement-breakpoint
-- Hand-written below: the districts and sub-districts move into areas (levels 'district' and
-- 'subdistrict'), and the two old tables become views over it so every reader of them keeps working.
INSERT INTO "area_levels" ("name", "depth", "label", "label_en")
  SELECT 'district', 1, '区', 'District' WHERE EXISTS (SELECT 1 FROM "districts")
  UNION ALL
  SELECT 'subdistrict', 2, '街道/乡/镇', 'Sub-district' WHERE EXISTS (SELECT 1 FROM "subdistricts");
--> statement-breakpoint
INSERT INTO "areas" ("code", "level", "parent_code", "name", "pinyin", "source", "geom", "imported_at")
  SELECT "code", 'district', NULL, "name", "pinyin", "source", "geom", "imported_at" FROM "districts";
--> statement-breakpoint
INSERT INTO "areas" ("code", "level", "parent_code", "name", "pinyin", "source", "geom", "imported_at")
  SELECT "code", 'subdistrict', NULLIF("district_code", ''), "name", "pinyin", "source", "geom", "imported_at"
  FROM "subdistricts";
--> statement-breakpoint
DROP TABLE "districts";
--> statement-breakpoint
DROP TABLE "subdistricts";
--> statement-breakpoint
CREATE VIEW "districts" AS
  SELECT "code", "name", "pinyin", "source", "geom", "imported_at" FROM "areas" WHERE "level" = 'district';
--> statement-breakpoint
CREATE VIEW "subdistricts" AS
  SELECT "code", "name", "pinyin", "parent_code" AS "district_code", "source", "geom", "imported_at"
  FROM "areas" WHERE "level" = 'subdistrict';
--> statement-breakpoint
-- A station's areas are the deepest area containing it and that area's ancestors (parent_code),
-- top level first; district_code and subdistrict_code are the levels of those names. Levels are
-- tried from the deepest, so an inside station costs one small point-in-polygon test, never one
-- against a whole city's outline. A station in no area takes the nearest area within 500 m
-- (coarse boundaries leave slivers), deepest level first, found through the GiST index: a box of
-- the 500 m in degrees first, then the exact WGS-84 distance, so a station far outside every area
-- costs a few empty index probes.
CREATE OR REPLACE FUNCTION stations_derive_areas() RETURNS trigger AS $$
DECLARE
  lvl record;
  found text;
  lat_box float8;
  lng_box float8;
  cos_lat float8;
BEGIN
  FOR lvl IN SELECT name FROM area_levels ORDER BY depth DESC LOOP
    SELECT a.code INTO found FROM areas a
    WHERE a.level = lvl.name AND ST_Intersects(a.geom, NEW.geom)
    ORDER BY a.code LIMIT 1;
    EXIT WHEN found IS NOT NULL;
  END LOOP;
  IF found IS NULL THEN
    -- A degree of latitude is >= 110,574 m, of longitude >= 111,319 m x cos(lat); 1 % to spare.
    lat_box := 500 * 1.01 / 110574;
    cos_lat := cos(radians(least(90, abs(ST_Y(NEW.geom)) + lat_box)));
    lng_box := CASE WHEN cos_lat < 1e-6 THEN 360 ELSE least(360, 500 * 1.01 / (111319 * cos_lat)) END;
    SELECT a.code INTO found
    FROM areas a JOIN area_levels l ON l.name = a.level
    WHERE a.geom && ST_Expand(NEW.geom, lng_box, lat_box)
      AND ST_DWithin(a.geom::geography, NEW.geom::geography, 500)
    ORDER BY l.depth DESC, a.geom <-> NEW.geom
    LIMIT 1;
  END IF;
  IF found IS NULL THEN
    NEW.area_codes := '{}';
    NEW.district_code := NULL;
    NEW.subdistrict_code := NULL;
    RETURN NEW;
  END IF;
  WITH RECURSIVE path(code, level, parent_code, n) AS (
    SELECT a.code, a.level, a.parent_code, 0 FROM areas a WHERE a.code = found
    UNION ALL
    SELECT p.code, p.level, p.parent_code, path.n + 1
    FROM path JOIN areas p ON p.code = path.parent_code
    WHERE path.n < 16
  )
  SELECT array_agg(code ORDER BY n DESC),
         (array_agg(code) FILTER (WHERE level = 'district'))[1],
         (array_agg(code) FILTER (WHERE level = 'subdistrict'))[1]
    INTO NEW.area_codes, NEW.district_code, NEW.subdistrict_code
  FROM path;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
UPDATE "stations" SET "geom" = "geom";
