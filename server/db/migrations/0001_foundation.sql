CREATE TABLE "districts" (
	"code" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"pinyin" text,
	"source" text NOT NULL,
	"geom" geometry(MultiPolygon,4326) NOT NULL,
	"imported_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "subdistricts" (
	"code" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"pinyin" text,
	"district_code" text NOT NULL,
	"source" text NOT NULL,
	"geom" geometry(MultiPolygon,4326) NOT NULL,
	"imported_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "stations" (
	"id" serial PRIMARY KEY NOT NULL,
	"external_id" text,
	"name" text NOT NULL,
	"name_en" text,
	"kind" text DEFAULT 'warm_post' NOT NULL,
	"address" text,
	"geom" geometry(Point,4326) NOT NULL,
	"district_code" text,
	"subdistrict_code" text,
	"amenities" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"opening_hours" text,
	"hours_overrides" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"closures" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"phone" text,
	"seats" integer,
	"verified_at" timestamp with time zone,
	"version" integer DEFAULT 1 NOT NULL,
	"is_sample" boolean DEFAULT false NOT NULL,
	"location_note" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "stations_external_id_unique" UNIQUE("external_id"),
	CONSTRAINT "stations_kind_check" CHECK ("stations"."kind" in ('warm_post','smart_24h','rider_home','mother_baby','other')),
	CONSTRAINT "stations_seats_check" CHECK ("stations"."seats" is null or "stations"."seats" >= 0)
);
--> statement-breakpoint
CREATE INDEX "districts_geom_gist" ON "districts" USING gist ("geom");--> statement-breakpoint
CREATE INDEX "subdistricts_geom_gist" ON "subdistricts" USING gist ("geom");--> statement-breakpoint
CREATE INDEX "subdistricts_district_idx" ON "subdistricts" USING btree ("district_code");--> statement-breakpoint
CREATE INDEX "stations_geom_gist" ON "stations" USING gist ("geom");--> statement-breakpoint
CREATE INDEX "stations_amenities_gin" ON "stations" USING gin ("amenities");--> statement-breakpoint
CREATE INDEX "stations_district_idx" ON "stations" USING btree ("district_code");--> statement-breakpoint
CREATE INDEX "stations_subdistrict_idx" ON "stations" USING btree ("subdistrict_code");