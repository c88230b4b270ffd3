CREATE TABLE "road_hierarchies" (
	"network_id" integer NOT NULL,
	"profile" text NOT NULL,
	"format" integer NOT NULL,
	"build_ms" integer NOT NULL,
	"bytes" integer NOT NULL,
	"built_at" timestamp with time zone DEFAULT now() NOT NULL,
	"data" "bytea" NOT NULL,
	CONSTRAINT "road_hierarchies_network_id_profile_pk" PRIMARY KEY("network_id","profile"),
	CONSTRAINT "road_hierarchies_profile_check" CHECK ("road_hierarchies"."profile" in ('walk', 'bike', 'drive'))
);
--> statement-breakpoint
ALTER TABLE "road_hierarchies" ADD CONSTRAINT "road_hierarchies_network_id_road_networks_id_fk" FOREIGN KEY ("network_id") REFERENCES "public"."road_networks"("id") ON DELETE cascade ON UPDATE no action;