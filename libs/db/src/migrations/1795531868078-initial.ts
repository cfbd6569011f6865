import type { MigrationInterface, QueryRunner } from 'typeorm';
import { PAPERS_SEARCH_EXPRESSION } from '../entities/paper.entity';

export class Initial1795531868078 implements MigrationInterface {
  name = 'Initial1795531868078';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "sources" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "name" text NOT NULL, "kind" text NOT NULL, "url" text, "params" jsonb NOT NULL DEFAULT '{}', "every_seconds" integer, "enabled" boolean NOT NULL DEFAULT true, "allow_private" boolean NOT NULL DEFAULT false, "min_interval_ms" integer NOT NULL DEFAULT '1000', "checkpoint" jsonb, "etag" text, "last_modified" text, "last_attempt_at" TIMESTAMP WITH TIME ZONE, "last_success_at" TIMESTAMP WITH TIME ZONE, "last_status" integer, "last_error" text, "consecutive_failures" integer NOT NULL DEFAULT '0', "newest_item_at" TIMESTAMP WITH TIME ZONE, "last_item_count" integer, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "UQ_ee4027d72bd2c0c01c4d1fc1109" UNIQUE ("name"), CONSTRAINT "PK_85523beafe5a2a6b90b02096443" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE TABLE "raw_documents" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "source_id" uuid, "content_hash" text NOT NULL, "url" text, "content_type" text, "format_hint" text, "format" text, "body" bytea NOT NULL, "byte_size" integer NOT NULL, "status" text NOT NULL DEFAULT 'fetched', "error" text, "paper_count" integer, "entry_errors" jsonb NOT NULL DEFAULT '[]', "fetched_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "parsed_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "UQ_3b366947c0cca20b0e61bc0dceb" UNIQUE ("content_hash"), CONSTRAINT "PK_6b12adcd023ef189e4f9134ffbd" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "idx_raw_documents_status" ON "raw_documents" ("status", "fetched_at") `);
    // The generated full-text column is recorded for TypeORM's schema diff, in whatever database and
    // schema this runs in (tests use one schema per file).
    // TypeORM creates this table itself only while some entity has a generated column.
    await queryRunner.query(
      `CREATE TABLE IF NOT EXISTS "typeorm_metadata" ("type" varchar NOT NULL, "database" varchar, "schema" varchar, "table" varchar, "name" varchar, "value" text)`,
    );
    const database = await queryRunner.getCurrentDatabase();
    const schema = await queryRunner.getCurrentSchema();
    await queryRunner.query(
      `INSERT INTO "typeorm_metadata"("database", "schema", "table", "type", "name", "value") VALUES ($1, $2, $3, $4, $5, $6)`,
      [database, schema, 'papers', 'GENERATED_COLUMN', 'search', PAPERS_SEARCH_EXPRESSION],
    );
    await queryRunner.query(`CREATE TABLE "papers" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "paper_key" text NOT NULL, "arxiv_id" text, "doi" text, "title" text NOT NULL, "abstract" text NOT NULL, "original_title" text, "original_abstract" text, "authors" jsonb NOT NULL DEFAULT '[]', "categories" text array NOT NULL DEFAULT '{}', "links" jsonb NOT NULL DEFAULT '{"code": [], "project": []}', "comment" text, "has_code" boolean NOT NULL DEFAULT false, "version" integer, "published_at" TIMESTAMP WITH TIME ZONE, "source_updated_at" TIMESTAMP WITH TIME ZONE, "content_hash" text NOT NULL, "stage" text NOT NULL DEFAULT 'parsed', "stage_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "parsed_at" TIMESTAMP WITH TIME ZONE, "classified_at" TIMESTAMP WITH TIME ZONE, "extracted_at" TIMESTAMP WITH TIME ZONE, "notified_at" TIMESTAMP WITH TIME ZONE, "primary_topic" text, "contribution" text, "predicted_category" text, "classifier_version" text, "extractor_version" text, "trending_score" double precision NOT NULL DEFAULT '0', "search" tsvector GENERATED ALWAYS AS (setweight(to_tsvector('english', coalesce("title", '')), 'A') || setweight(to_tsvector('english', coalesce("abstract", '')), 'B')) STORED NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "UQ_5d3b643f1c4c11023a79a65aeb7" UNIQUE ("paper_key"), CONSTRAINT "PK_17518c36f185ea42ddc59eeb8a8" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "idx_papers_arxiv_id" ON "papers" ("arxiv_id") `);
    await queryRunner.query(`CREATE INDEX "idx_papers_published" ON "papers" ("published_at") `);
    await queryRunner.query(`CREATE INDEX "idx_papers_stage" ON "papers" ("stage", "stage_at") `);
    // TypeORM cannot declare GIN indexes; the entity marks this one synchronize: false.
    await queryRunner.query(`CREATE INDEX "idx_papers_search" ON "papers" USING GIN ("search")`);
    await queryRunner.query(`CREATE TABLE "paper_versions" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "paper_id" uuid NOT NULL, "version" integer, "content_hash" text NOT NULL, "title" text NOT NULL, "abstract" text NOT NULL, "raw_document_id" uuid, "seen_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "uq_paper_versions_paper_hash" UNIQUE ("paper_id", "content_hash"), CONSTRAINT "PK_3f4d7901b90b7ce0687bb7f868f" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE TABLE "paper_sources" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "paper_id" uuid NOT NULL, "source_id" uuid NOT NULL, "source_kind" text NOT NULL, "raw_document_id" uuid, "source_item_id" text, "upvotes" integer, "comments" integer, "github_stars" integer, "announce_type" text, "featured_at" TIMESTAMP WITH TIME ZONE, "submitted_by" text, "first_seen_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "last_seen_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "uq_paper_sources_paper_source" UNIQUE ("paper_id", "source_id"), CONSTRAINT "PK_c4f79708ebd70c2f925eff2fdd9" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "idx_paper_sources_featured" ON "paper_sources" ("featured_at") `);
    await queryRunner.query(`CREATE TABLE "topics" ("slug" text NOT NULL, "name" text NOT NULL, "description" text NOT NULL, "keywords" text array NOT NULL DEFAULT '{}', "examples" jsonb NOT NULL DEFAULT '[]', "origin" text NOT NULL DEFAULT 'user', "enabled" boolean NOT NULL DEFAULT true, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_97c66ab0029f49fde30517f8199" PRIMARY KEY ("slug"))`);
    await queryRunner.query(`CREATE TABLE "paper_topics" ("paper_id" uuid NOT NULL, "topic_slug" text NOT NULL, "score" real NOT NULL, "is_primary" boolean NOT NULL DEFAULT false, "evidence" jsonb NOT NULL DEFAULT '[]', "model_version" text NOT NULL, "content_hash" text NOT NULL, "classified_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_deab239ad1495b73de94e0f8a88" PRIMARY KEY ("paper_id", "topic_slug"))`);
    await queryRunner.query(`CREATE INDEX "idx_paper_topics_topic" ON "paper_topics" ("topic_slug", "score") `);
    await queryRunner.query(`CREATE TABLE "paper_claims" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "paper_id" uuid NOT NULL, "start" integer NOT NULL, "end" integer NOT NULL, "text" text NOT NULL, "value" double precision NOT NULL, "low" double precision, "unit" text NOT NULL, "unit_text" text, "category" text NOT NULL, "kind" text NOT NULL, "metric" text, "improvement" boolean, "baseline" jsonb, "compared_to" text, "dataset" text, "qualifier" text, "is_headline" boolean NOT NULL DEFAULT false, "extractor_version" text NOT NULL, "content_hash" text NOT NULL, "extracted_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "uq_paper_claims_span" UNIQUE ("paper_id", "start", "end"), CONSTRAINT "PK_2ec29170322b424bf3c7fd857c7" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "idx_paper_claims_search" ON "paper_claims" ("kind", "unit", "value") `);
    await queryRunner.query(`CREATE TABLE "subscriptions" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "owner_key_id" uuid, "name" text NOT NULL, "channel" text NOT NULL, "target" text NOT NULL, "secrets" jsonb NOT NULL DEFAULT '[]', "filters" jsonb NOT NULL DEFAULT '{}', "mode" text NOT NULL DEFAULT 'instant', "schedule" jsonb, "status" text NOT NULL DEFAULT 'active', "status_reason" text, "consecutive_failures" integer NOT NULL DEFAULT '0', "confirmed_at" TIMESTAMP WITH TIME ZONE, "last_digest_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_a87248d73155605cf782be9ee5e" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "idx_subscriptions_status" ON "subscriptions" ("status", "mode") `);
    await queryRunner.query(`CREATE TABLE "deliveries" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "subscription_id" uuid NOT NULL, "paper_id" uuid, "digest_key" text, "detail" jsonb NOT NULL DEFAULT '{}', "status" text NOT NULL DEFAULT 'pending', "attempts" integer NOT NULL DEFAULT '0', "last_status_code" integer, "last_error" text, "delivered_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "uq_deliveries_subscription_digest" UNIQUE ("subscription_id", "digest_key"), CONSTRAINT "uq_deliveries_subscription_paper" UNIQUE ("subscription_id", "paper_id"), CONSTRAINT "PK_a6ef225c5c5f0974e503bfb731f" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "idx_deliveries_status" ON "deliveries" ("status", "updated_at") `);
    await queryRunner.query(`CREATE TABLE "api_keys" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "name" text NOT NULL, "prefix" text NOT NULL, "key_hash" text NOT NULL, "scopes" text array NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "last_used_at" TIMESTAMP WITH TIME ZONE, "revoked_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "UQ_6f6105c8efe05b310d046cbdb3d" UNIQUE ("prefix"), CONSTRAINT "PK_5c8a79801b44bd27b79228e1dad" PRIMARY KEY ("id"))`);
    await queryRunner.query(`ALTER TABLE "raw_documents" ADD CONSTRAINT "FK_7cc8ee55c9ae97f849f193d1d87" FOREIGN KEY ("source_id") REFERENCES "sources"("id") ON DELETE SET NULL ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "paper_versions" ADD CONSTRAINT "FK_b68a83bb7a7c6dd8b854c3daf41" FOREIGN KEY ("paper_id") REFERENCES "papers"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "paper_sources" ADD CONSTRAINT "FK_6e136a4c6138865cbe9b5bf99c3" FOREIGN KEY ("paper_id") REFERENCES "papers"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "paper_sources" ADD CONSTRAINT "FK_d12cdfa486d83bb91a8854be592" FOREIGN KEY ("source_id") REFERENCES "sources"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "paper_topics" ADD CONSTRAINT "FK_fed93697c903b530178570008ea" FOREIGN KEY ("paper_id") REFERENCES "papers"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "paper_topics" ADD CONSTRAINT "FK_af84fa4569ec4176e46c152e723" FOREIGN KEY ("topic_slug") REFERENCES "topics"("slug") ON DELETE CASCADE ON UPDATE CASCADE`);
    await queryRunner.query(`ALTER TABLE "paper_claims" ADD CONSTRAINT "FK_94c24c8c9ecbc50dae3804f13ec" FOREIGN KEY ("paper_id") REFERENCES "papers"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "deliveries" ADD CONSTRAINT "FK_475d7dfa30fed80412dcf59e403" FOREIGN KEY ("subscription_id") REFERENCES "subscriptions"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "deliveries" DROP CONSTRAINT "FK_475d7dfa30fed80412dcf59e403"`);
    await queryRunner.query(`ALTER TABLE "paper_claims" DROP CONSTRAINT "FK_94c24c8c9ecbc50dae3804f13ec"`);
    await queryRunner.query(`ALTER TABLE "paper_topics" DROP CONSTRAINT "FK_af84fa4569ec4176e46c152e723"`);
    await queryRunner.query(`ALTER TABLE "paper_topics" DROP CONSTRAINT "FK_fed93697c903b530178570008ea"`);
    await queryRunner.query(`ALTER TABLE "paper_sources" DROP CONSTRAINT "FK_d12cdfa486d83bb91a8854be592"`);
    await queryRunner.query(`ALTER TABLE "paper_sources" DROP CONSTRAINT "FK_6e136a4c6138865cbe9b5bf99c3"`);
    await queryRunner.query(`ALTER TABLE "paper_versions" DROP CONSTRAINT "FK_b68a83bb7a7c6dd8b854c3daf41"`);
    await queryRunner.query(`ALTER TABLE "raw_documents" DROP CONSTRAINT "FK_7cc8ee55c9ae97f849f193d1d87"`);
    await queryRunner.query(`DROP TABLE "api_keys"`);
    await queryRunner.query(`DROP INDEX "idx_deliveries_status"`);
    await queryRunner.query(`DROP TABLE "deliveries"`);
    await queryRunner.query(`DROP INDEX "idx_subscriptions_status"`);
    await queryRunner.query(`DROP TABLE "subscriptions"`);
    await queryRunner.query(`DROP INDEX "idx_paper_claims_search"`);
    await queryRunner.query(`DROP TABLE "paper_claims"`);
    await queryRunner.query(`DROP INDEX "idx_paper_topics_topic"`);
    await queryRunner.query(`DROP TABLE "paper_topics"`);
    await queryRunner.query(`DROP TABLE "topics"`);
    await queryRunner.query(`DROP INDEX "idx_paper_sources_featured"`);
    await queryRunner.query(`DROP TABLE "paper_sources"`);
    await queryRunner.query(`DROP TABLE "paper_versions"`);
    await queryRunner.query(`DROP INDEX "idx_papers_search"`);
    await queryRunner.query(`DROP INDEX "idx_papers_stage"`);
    await queryRunner.query(`DROP INDEX "idx_papers_published"`);
    await queryRunner.query(`DROP INDEX "idx_papers_arxiv_id"`);
    await queryRunner.query(`DROP TABLE "papers"`);
    await queryRunner.query(`DELETE FROM "typeorm_metadata" WHERE "type" = $1 AND "name" = $2 AND "table" = $3`, ['GENERATED_COLUMN', 'search', 'papers']);
    await queryRunner.query(`DROP INDEX "idx_raw_documents_status"`);
    await queryRunner.query(`DROP TABLE "raw_documents"`);
    await queryRunner.query(`DROP TABLE "sources"`);
  }
}
