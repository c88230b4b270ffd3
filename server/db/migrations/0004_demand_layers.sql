CREATE TABLE "demand_layers" (
	"id" serial PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"description" text,
	"weight_label" text,
	"source" text,
	"point_count" integer DEFAULT 0 NOT NULL,
	"total_weight" real DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "demand_points" (
	"id" serial PRIMARY KEY NOT NULL,
	"layer_id" integer NOT NULL,
	"name" text,
	"weight" real DEFAULT 1 NOT NULL,
	"geom" geometry(Point,4326) NOT NULL,
	CONSTRAINT "demand_points_weight_check" CHECK ("demand_points"."weight" >= 0)
);
--> statement-breakpoint
ALTER TABLE "demand_points" ADD CONSTRAINT "demand_points_layer_id_demand_layers_id_fk" FOREIGN KEY ("layer_id") REFERENCES "public"."demand_layers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "demand_points_geom_gist" ON "demand_points" USING gist ("geom");--> statement-breakpoint
CREATE INDEX "demand_points_layer_idx" ON "demand_points" USING btree ("layer_id");