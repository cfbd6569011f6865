import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The catalogue's words for a search that matches nothing ("Did you mean transformer?"): every word of the papers'
 * titles, abstracts and author names as Postgres' `simple` parser splits them (lower case, unstemmed), with the number
 * of papers it occurs in. The sweeper counts the papers created since its last pass, a batch per sweep
 * (search-words.ts: refreshSearchWords), from where `search_words_state` says it stopped: its cost is that of the new
 * papers, never of the catalogue. Two indexes serve the spelling candidates of a word: per length within two of its
 * own, the most frequent words with its first letter, and those with its first three letters (the rare ones too), each
 * read in the index's order and stopped at a limit.
 */
export class SearchWords1796300000000 implements MigrationInterface {
  name = 'SearchWords1796300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "search_words" ("word" text PRIMARY KEY, "papers" integer NOT NULL)`);
    await queryRunner.query(
      `CREATE INDEX "idx_search_words_initial" ON "search_words" (left("word", 1), length("word"), "papers" DESC) INCLUDE ("word") WHERE "papers" >= 2`,
    );
    // The rare words the most-frequent lists above leave out (a surname one paper has): the same lists by the first
    // three letters, where a list is short enough to hold nearly every word of its length.
    await queryRunner.query(
      `CREATE INDEX "idx_search_words_prefix" ON "search_words" (left("word", 3), length("word"), "papers" DESC) INCLUDE ("word")`,
    );
    await queryRunner.query(
      `CREATE TABLE "search_words_state" ("one" boolean PRIMARY KEY DEFAULT true CHECK ("one"), "through_at" timestamptz NOT NULL,
         "through_id" uuid NOT NULL, "updated_at" timestamptz NOT NULL DEFAULT now())`,
    );
    await queryRunner.query(
      `INSERT INTO "search_words_state" ("through_at", "through_id") VALUES ('-infinity', '00000000-0000-0000-0000-000000000000')`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "search_words_state"`);
    await queryRunner.query(`DROP TABLE "search_words"`);
  }
}
