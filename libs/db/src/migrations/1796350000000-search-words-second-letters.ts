import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Spelling suggestions for a word whose first letter is the typo ("ransformer", "gransformer" → transformer): the
 * candidate lists of SearchWords1796300000000 are keyed by the first letter(s), so such a word found none. This index
 * keys the words by their second to fourth letters (then length, most frequent first), the lists a word with its first
 * letter changed or dropped shares with the word it stands for (search-words.ts: SPELLING_FIRST_LETTER_SQL, read only
 * for a word the first-letter lists leave without a candidate). The vocabulary is small (a word per row): built in one
 * statement.
 */
export class SearchWordsSecondLetters1796350000000 implements MigrationInterface {
  name = 'SearchWordsSecondLetters1796350000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE INDEX "idx_search_words_second" ON "search_words" (substr("word", 2, 3), length("word"), "papers" DESC) INCLUDE ("word")`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "idx_search_words_second"`);
  }
}
