import type { DataSource } from 'typeorm';
import { FEED_FORMATS, type FeedFormat } from '@paperwire/contracts';
import { paperKey, parseDocument } from '@paperwire/feeds';

/**
 * Text captures of the Daily Papers page carry neither dates nor upvotes, and the parser writes all
 * their sightings in one statement (same first_seen_at, random ids), so the database alone cannot
 * tell their order. The raw document is immutable and kept, so the order is recovered by parsing it
 * again with the same pure parser and keying each paper the way the parser does (first occurrence
 * wins, as the parser's dedupe keeps a key at its first position). Results are cached per document.
 */
export interface CaptureOrder {
  /** paper_key → 0-based position in the capture */
  positions: Map<string, number>;
}

const MAX_CACHED = 32;
const isFormat = (s: string | null): s is FeedFormat =>
  s !== null && (FEED_FORMATS as readonly string[]).includes(s);

export function captureOrderOf(body: Buffer | string, format: string | null): CaptureOrder {
  const result = parseDocument({ body, format: isFormat(format) ? format : undefined });
  const positions = new Map<string, number>();
  result.papers.forEach((p) => {
    const key = paperKey(p);
    if (!positions.has(key)) positions.set(key, positions.size);
  });
  return { positions };
}

/** A small LRU of capture orders by raw document id (bodies never change once stored). */
export class CaptureOrderCache {
  private readonly cache = new Map<string, CaptureOrder>();

  constructor(private readonly ds: DataSource) {}

  async get(rawDocumentId: string): Promise<CaptureOrder> {
    const hit = this.cache.get(rawDocumentId);
    if (hit) {
      this.cache.delete(rawDocumentId);
      this.cache.set(rawDocumentId, hit);
      return hit;
    }
    const rows: { body: Buffer; format: string | null }[] = await this.ds.query(
      `SELECT body, format FROM raw_documents WHERE id = $1`,
      [rawDocumentId],
    );
    let order: CaptureOrder = { positions: new Map() };
    if (rows[0]) {
      try {
        order = captureOrderOf(rows[0].body, rows[0].format);
      } catch {
        // A document that no longer parses gives no order; its papers fall back to recency.
      }
    }
    this.cache.set(rawDocumentId, order);
    if (this.cache.size > MAX_CACHED) this.cache.delete(this.cache.keys().next().value as string);
    return order;
  }

  /**
   * Positions of papers across several captures of the same day: captures in the order they were
   * received, papers in document order within each.
   */
  async positions(rawDocumentIds: readonly string[]): Promise<{ paper_key: string; position: number }[]> {
    const out = new Map<string, number>();
    let base = 0;
    for (const id of rawDocumentIds) {
      const { positions } = await this.get(id);
      for (const [key, pos] of positions) if (!out.has(key)) out.set(key, base + pos);
      base += positions.size;
    }
    return [...out].map(([paper_key, position]) => ({ paper_key, position }));
  }
}
