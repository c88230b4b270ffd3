-- PostGIS first: every geometry column depends on it. On a server the role must be allowed to create
-- it (or an admin creates it beforehand: IF NOT EXISTS then makes this a no-op).
CREATE EXTENSION IF NOT EXISTS postgis;
