ALTER TABLE "station_reports" ADD COLUMN "outcome" text;--> statement-breakpoint
ALTER TABLE "station_reports" ADD COLUMN "reply" text;--> statement-breakpoint
ALTER TABLE "station_reports" ADD COLUMN "replied_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "station_reports" ADD COLUMN "receipt" text;--> statement-breakpoint
ALTER TABLE "station_reports" ADD CONSTRAINT "station_reports_receipt_unique" UNIQUE("receipt");--> statement-breakpoint
ALTER TABLE "station_reports" ADD CONSTRAINT "station_reports_outcome_check" CHECK ("station_reports"."outcome" is null or "station_reports"."outcome" in ('resolved','not_a_problem','needs_union'));--> statement-breakpoint
UPDATE "station_reports" SET "outcome" = 'resolved' WHERE "status" = 'resolved';
