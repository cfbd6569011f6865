import { FEED_FORMATS, type CanonicalPaper, type FeedFormat } from '@paperwire/contracts';
import { parseDocument } from '@paperwire/feeds';
import { createClassifier, loadDefaultModel, loadDefaultTaxonomy, type TopicDefinition } from '@paperwire/classification';
import { extractClaims } from '@paperwire/metrics';
import { out } from '../context';
import { STDIN, readInputFile } from '../input-file';

// Offline commands: read a file, print JSON Lines on stdout, touch neither Postgres nor Redis.

export function readPapers(file: string, format?: string): { papers: CanonicalPaper[]; errors: { message: string }[] } {
  if (format !== undefined && !(FEED_FORMATS as readonly string[]).includes(format)) {
    throw new Error(`unknown format "${format}"; one of: ${FEED_FORMATS.join(', ')}`);
  }
  const body = readInputFile(file);
  const res = parseDocument({ body, format: format as FeedFormat | undefined, fileName: file === STDIN ? undefined : file });
  return { papers: res.papers, errors: res.errors };
}

export function paperId(p: CanonicalPaper, index: number): string {
  return p.sighting.sourceItemId ?? p.externalIds.arxiv ?? p.externalIds.doi ?? String(index);
}

export function runParse(file: string, format?: string): number {
  const { papers, errors } = readPapers(file, format);
  for (const p of papers) {
    out({
      title: p.title,
      abstract: p.abstract,
      authors: p.authors.map((a) => ({ name: a.name })),
      externalIds: p.externalIds,
      ...(p.publishedAt ? { publishedAt: p.publishedAt } : {}),
      categories: p.categories,
      links: p.links,
    });
  }
  for (const e of errors) process.stderr.write(`entry error: ${e.message}\n`);
  return 0;
}

export function runClassify(file: string, format?: string, topics?: TopicDefinition[]): number {
  const { papers } = readPapers(file, format);
  const classifier = createClassifier(topics ?? loadDefaultTaxonomy(), loadDefaultModel());
  papers.forEach((p, i) => {
    const c = classifier.classify({ title: p.title, abstract: p.abstract, categories: p.categories });
    out({
      id: paperId(p, i),
      title: p.title,
      topics: c.topics.map((t) => ({ slug: t.slug, score: round(t.score), evidence: t.evidence })),
      primaryTopic: c.primaryTopic,
      contribution: c.contribution,
      ...(c.arxivCategory ? { arxivCategory: c.arxivCategory } : {}),
      version: c.version,
    });
  });
  return 0;
}

export function runExtract(file: string, format?: string): number {
  const { papers } = readPapers(file, format);
  papers.forEach((p, i) => {
    const claims = extractClaims(p.abstract).map((c) => ({
      start: c.start,
      end: c.end,
      text: c.text,
      value: c.value,
      low: c.low,
      unit: c.unit,
      category: c.category,
      kind: c.kind,
      metric: c.metric,
      baseline: c.baseline,
      comparedTo: c.comparedTo,
      dataset: c.dataset,
      qualifier: c.qualifier,
      unitText: c.unitText ?? null,
      improvement: c.improvement ?? null,
    }));
    out({ id: paperId(p, i), title: p.title, claims });
  });
  return 0;
}

function round(x: number): number {
  return Math.round(x * 1e4) / 1e4;
}
