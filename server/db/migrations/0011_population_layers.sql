CREATE TABLE "demand_cells" (
	"layer_id" integer NOT NULL,
	"cell" integer NOT NULL,
	"geom" geometry(Point,4326) NOT NULL,
	"weights" real[] NOT NULL,
	CONSTRAINT "demand_cells_layer_id_cell_pk" PRIMARY KEY("layer_id","cell")
);
--> statement-breakpoint
ALTER TABLE "demand_layers" ADD COLUMN "kind" text DEFAULT 'points' NOT NULL;--> statement-breakpoint
ALTER TABLE "demand_layers" ADD COLUMN "cell_m" real;--> statement-breakpoint
ALTER TABLE "demand_layers" ADD COLUMN "slots" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "demand_layers" ADD COLUMN "source_crs" text;--> statement-breakpoint
ALTER TABLE "demand_layers" ADD COLUMN "citation" text;--> statement-breakpoint
ALTER TABLE "demand_layers" ADD COLUMN "loaded_at" timestamp with time zone DEFAULT now();--> statement-breakpoint
ALTER TABLE "demand_cells" ADD CONSTRAINT "demand_cells_layer_id_demand_layers_id_fk" FOREIGN KEY ("layer_id") REFERENCES "public"."demand_layers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "demand_cells_geom_gist" ON "demand_cells" USING gist ("geom");--> statement-breakpoint
ALTER TABLE "demand_layers" ADD CONSTRAINT "demand_layers_kind_check" CHECK ("demand_layers"."kind" in ('points', 'population'));