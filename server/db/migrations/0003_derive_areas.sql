-- District and sub-district are derived from the position on every write, whatever the code path
-- (API edit, bulk import, seed), so they can never disagree with geom.
CREATE OR REPLACE FUNCTION stations_derive_areas() RETURNS trigger AS $$
BEGIN
  NEW.district_code := (
    SELECT d.code FROM districts d WHERE ST_Intersects(d.geom, NEW.geom) ORDER BY d.code LIMIT 1
  );
  NEW.subdistrict_code := (
    SELECT s.code FROM subdistricts s WHERE ST_Intersects(s.geom, NEW.geom) ORDER BY s.code LIMIT 1
  );
  -- Fallback boundaries are coarse (~100 m): a station just outside every polygon still belongs to
  -- the nearest district within 500 m rather than to none.
  IF NEW.district_code IS NULL THEN
    NEW.district_code := (
      SELECT d.code FROM districts d
      WHERE ST_DWithin(d.geom::geography, NEW.geom::geography, 500)
      ORDER BY d.geom <-> NEW.geom LIMIT 1
    );
  END IF;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER stations_derive_areas_trg
  BEFORE INSERT OR UPDATE OF geom ON stations
  FOR EACH ROW EXECUTE FUNCTION stations_derive_areas();
