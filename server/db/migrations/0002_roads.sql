CREATE TABLE "road_edges" (
	"id" integer PRIMARY KEY NOT NULL,
	"source" integer NOT NULL,
	"target" integer NOT NULL,
	"geom" geometry(LineString,4326) NOT NULL,
	"length_m" real NOT NULL,
	"name" text,
	"highway" text NOT NULL,
	"osm_way_id" bigint NOT NULL,
	"walk_fwd_s" real,
	"walk_bwd_s" real,
	"bike_fwd_s" real,
	"bike_bwd_s" real,
	"drive_fwd_s" real,
	"drive_bwd_s" real
);
--> statement-breakpoint
CREATE TABLE "road_networks" (
	"id" serial PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"source" text NOT NULL,
	"imported_at" timestamp with time zone DEFAULT now() NOT NULL,
	"bbox" geometry(Polygon,4326) NOT NULL,
	"node_count" integer NOT NULL,
	"edge_count" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "road_nodes" (
	"id" integer PRIMARY KEY NOT NULL,
	"osm_id" bigint NOT NULL,
	"geom" geometry(Point,4326) NOT NULL
);
--> statement-breakpoint
CREATE INDEX "road_edges_geom_gist" ON "road_edges" USING gist ("geom");--> statement-breakpoint
CREATE INDEX "road_networks_bbox_gist" ON "road_networks" USING gist ("bbox");--> statement-breakpoint
CREATE INDEX "road_nodes_geom_gist" ON "road_nodes" USING gist ("geom");