CREATE TABLE "holiday_calendars" (
	"calendar" text PRIMARY KEY NOT NULL,
	"version" bigint DEFAULT 1 NOT NULL,
	"published_through" date,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "holiday_years" (
	"calendar" text NOT NULL,
	"year" integer NOT NULL,
	"source" text NOT NULL,
	"published_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "holiday_years_calendar_year_pk" PRIMARY KEY("calendar","year")
);
--> statement-breakpoint
CREATE TABLE "holidays" (
	"calendar" text NOT NULL,
	"date" date NOT NULL,
	"kind" text NOT NULL,
	"name_zh" text NOT NULL,
	"name_en" text,
	"source" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "holidays_calendar_date_pk" PRIMARY KEY("calendar","date"),
	CONSTRAINT "holidays_kind_check" CHECK ("holidays"."kind" in ('holiday', 'workday'))
);
