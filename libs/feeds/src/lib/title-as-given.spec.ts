import { parseDocument } from './parse-document';
import { contentHash, paperKey } from './paper-identity';
import { normalizeText } from './text-normalize';

// Review 26: an arXiv title was flattened at ingest ("Sub-O(n^2) …", 10^{6} as "10^6") while a Hugging Face or JSONL
// title was kept as given, so the API, feeds, mails and pages showed LaTeX two ways. Every source's title is now
// stored as given (whitespace + NFC only); the readers render it (titleHtml / titleText).
describe('a title is stored as the source gave it, whatever the source', () => {
  const title = 'Sub-$O(n^2)$ Attention with $\\alpha$-Entmax at 10^{6} Tokens';
  const abstract = 'We study $\\mathcal{O}(n\\log n)$ attention.';
  const atom = `<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><entry><id>http://arxiv.org/abs/2612.01234v1</id>
    <title>${title}</title><summary>${abstract}</summary><published>2026-12-01T00:00:00Z</published><author><name>A</name></author></entry></feed>`;
  const hf = JSON.stringify([{ paper: { id: '2612.01234', title, summary: abstract, authors: [{ name: 'A' }] } }]);
  const jsonl = JSON.stringify({ title, abstract, arxivId: '2612.01234' });

  it.each([
    ['arxiv-api', atom],
    ['hf-daily-papers', hf],
    ['jsonl', jsonl],
  ] as const)('%s keeps the LaTeX of the title; the key and content hash are those of the flattened title', (format, body) => {
    const [p] = parseDocument({ body: Buffer.from(body), format }).papers;
    expect(p.title).toBe(title);
    // identity and versioning read the title with its LaTeX made text: the same as when arXiv titles were stored flat
    expect(paperKey(p)).toBe('arxiv:2612.01234');
    const flattened = normalizeText(title); // what the arXiv parsers stored before
    expect(flattened).not.toBe(title);
    expect(paperKey({ externalIds: {}, title: p.title })).toBe(paperKey({ externalIds: {}, title: flattened }));
    expect(contentHash(p.title, 'x')).toBe(contentHash(flattened, 'x'));
  });
});
