import 'reflect-metadata';
import { seedPaper, seedSource, seedTopic } from '@paperwire/testing';
import { useTestApi } from '../testing/use-test-api';

jest.setTimeout(60_000);

const ABSTRACT_V1 = 'We propose FastAttn, a kernel for long-context transformers. It is 2.1x faster than FlashAttention on A100 GPUs.';
const ABSTRACT_V2 =
  'We propose FastAttn, an exact attention kernel for long-context transformers. It is 3.4x faster than FlashAttention on A100 GPUs and reduces memory by 40% on LongBench.';

const LATEX_TITLE = 'Sparse $O(n^2)$ attention: $2\\times$ faster \\textbf{$\\alpha$-entmax} <b>';
const LATEX_HTML = 'Sparse O(n<sup>2</sup>) attention: 2× faster α-entmax &lt;b&gt;';
const LATEX_TEXT = 'Sparse O(n²) attention: 2× faster α-entmax &lt;b&gt;';

describe('the paper page /papers/{id}', () => {
  const ids: Record<string, string> = {};

  const api = useTestApi(
    't_paperpage',
    async ({ ds }) => {
      await seedTopic(ds, 'efficiency', 'Efficient inference');
      await seedTopic(ds, 'vision', 'Computer vision');
      const hf = await seedSource(ds, 'hf-daily', 'hf-daily-papers');
      const start = ABSTRACT_V2.indexOf('3.4x');
      ids.main = await seedPaper(ds, {
        title: 'FastAttn: exact attention kernels <fast> & "long"',
        abstract: ABSTRACT_V2,
        arxivId: '2601.01234',
        authors: ['Ada Lovelace', 'Alan Turing'],
        hasCode: true,
        topics: [{ slug: 'efficiency', score: 0.91, primary: true, evidence: ['keyword "attention kernels" (title) x2', 'term "faster"', 'term "GPU" x3', 'description similarity 0.21'] }],
        claims: [
          { value: 3.4, unit: 'x', kind: 'speedup', metric: 'throughput', comparedTo: 'FlashAttention', text: '3.4x', start, end: start + 4 },
          { value: 40, unit: '%', kind: 'reduction', metric: 'memory', dataset: 'LongBench', text: '40%', start: ABSTRACT_V2.indexOf('40%'), end: ABSTRACT_V2.indexOf('40%') + 3 },
        ],
        sightings: [{ sourceId: hf, sourceKind: 'hf-daily-papers', upvotes: 42, comments: 3, featuredAt: '2026-01-05T00:00:00Z' }],
      });
      // An older version, stored before the current one.
      await ds.query(
        `INSERT INTO paper_versions (paper_id, version, content_hash, title, abstract, seen_at) VALUES ($1, 0, 'old', $2, $3, now() - interval '10 days')`,
        [ids.main, 'FastAttn: attention kernels', ABSTRACT_V1],
      );
      await ds.query(`UPDATE paper_versions SET version = 2 WHERE paper_id = $1 AND content_hash <> 'old'`, [ids.main]);
      await ds.query(`UPDATE paper_versions SET version = 1 WHERE paper_id = $1 AND content_hash = 'old'`, [ids.main]);
      ids.near = await seedPaper(ds, {
        title: 'Faster exact attention kernels for long-context transformers',
        abstract: 'An attention kernel for long-context transformers on A100 GPUs, faster than FlashAttention.',
        topics: [{ slug: 'efficiency', score: 0.7, primary: true }],
      });
      ids.far = await seedPaper(ds, {
        title: 'Segmenting cells in microscopy images',
        abstract: 'We segment cells in microscopy images with a U-Net.',
        topics: [{ slug: 'vision', score: 0.9, primary: true }],
      });
      ids.bare = await seedPaper(ds, { title: 'A paper with nothing else', abstract: '', authors: [] });
      ids.waiting = await seedPaper(ds, { title: 'A paper the classifier has not seen', abstract: 'Parsed only.', stage: 'parsed' });
      ids.latex = await seedPaper(ds, {
        title: LATEX_TITLE,
        abstract: 'Inline math in the title.',
        sightings: [{ sourceId: hf, sourceKind: 'hf-daily-papers', upvotes: 1, featuredAt: '2026-01-07T00:00:00Z' }],
      });
      // review 25: an upload (another feed) whose v2 dropped the end of a title with inline math
      const upload = await seedSource(ds, 'my-upload', 'file');
      ids.upload = await seedPaper(ds, {
        title: 'Efficient Inference',
        abstract: 'We make inference efficient.',
        arxivId: '2612.00042',
        sightings: [{ sourceId: upload, sourceKind: 'file', featuredAt: '2026-12-03T00:00:00Z' }],
      });
      await ds.query(
        `INSERT INTO paper_versions (paper_id, version, content_hash, title, abstract, seen_at) VALUES ($1, 1, 'v1', $2, $3, now() - interval '2 days')`,
        [ids.upload, 'Efficient Inference on $O(n^2)$ Attention', 'We make inference efficient.'],
      );
      await ds.query(`UPDATE paper_versions SET version = 2 WHERE paper_id = $1 AND content_hash <> 'v1'`, [ids.upload]);
      // a source without version numbers: its one version is known by the day it was seen
      await ds.query(`UPDATE paper_versions SET version = NULL, seen_at = '2026-01-07T09:00:00Z' WHERE paper_id = $1`, [ids.latex]);
    },
    { PUBLIC_URL: 'https://papers.example.org' },
  );
  const http = api.http;

  it('renders title, authors, links, topics, sightings, highlighted claims, OpenGraph and alternates', async () => {
    const res = await http().get(`/papers/${ids.main}`).expect(200);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    const html = res.text;
    expect(html).toContain('FastAttn: exact attention kernels &lt;fast&gt; &amp; &quot;long&quot;');
    expect(html).not.toContain('<fast>');
    expect(html).toContain('Ada Lovelace, Alan Turing');
    expect(html).toContain('<link rel="canonical" href="https://papers.example.org/papers/2601.01234">');
    expect(html).toContain('<meta property="og:url" content="https://papers.example.org/papers/2601.01234">');
    expect(html).toMatch(/<meta property="og:title" content="FastAttn/);
    expect(html).toContain(`type="application/json" title="This paper as JSON" href="/v1/papers/${ids.main}"`);
    // the API record is offered to developers in the footer, labelled as what it is (review 27: a bare "JSON" on each card)
    expect(html).toContain(
      `<footer><p data-testid="for-developers">For developers: this paper’s record in the PaperWire API (<a href="/v1/papers/${ids.main}" data-testid="paper-json">JSON</a>)`,
    );
    expect(html).toContain('type="application/atom+xml" title="This paper as Atom" href="/papers/2601.01234.atom"');
    expect(html).toContain('href="/favicon.svg"');
    const marks = [...html.matchAll(/<mark class="claim-span" tabindex="0"[^>]*>([^<]*)<span class="tip" role="tooltip"[^>]*>(.*?)<\/span><\/mark>/g)];
    expect(marks.map((m) => m[1])).toEqual(['3.4x', '40%']);
    expect(marks[0][2]).toContain('<span class="k">Metric:</span> throughput');
    expect(marks[0][2]).toContain('<span class="k">Baseline:</span> vs FlashAttention');
    expect(marks[1][2]).toContain('<span class="k">Dataset:</span> LongBench');
    expect(html).toContain('https://arxiv.org/abs/2601.01234');
    expect(html).toContain('https://arxiv.org/pdf/2601.01234');
    expect(html.match(/data-testid="link-code"/g)).toHaveLength(1);
    expect(html).toMatch(/data-topic="efficiency"><th scope="row"><a[^>]*>Efficient inference<\/a> <small>\(primary\)<\/small><\/th><td class="num">0\.91<\/td><td>matched “attention kernels” in the title; “attention kernels” \(twice\), “faster” and “GPU” \(3 times\) in the abstract<\/td>/);
    expect(html).not.toMatch(/keyword|similarity 0\.21|term &quot;/);
    // the public feed a sighting stands for, never the operator's name for the source
    expect(html).toMatch(/<th scope="row">Hugging Face Daily Papers<\/th><td class="num">42<\/td><td class="num">3<\/td>/);
    expect(html).not.toContain('hf-daily');
    // a link back to the day it was listed on
    expect(html).toContain('Listed in the Daily Papers of <a href="/?date=2026-01-05" data-testid="listed-day"><time datetime="2026-01-05">2026-01-05</time></a>');
    // review 27: the same day once ("Listed in the Daily Papers of 2026-01-05 … Published … · Featured 2026-01-05")
    expect(html).not.toContain('Featured 2026-01-05');
    expect(html).toMatch(/data-testid="dates">Published <time datetime="[^"]+">\d{4}-\d{2}-\d{2}<\/time> · Added to PaperWire/);
  });

  it('diffs titles as shown (spaces kept, math rendered) and says "Daily Papers" only of a Daily Papers feed (review 25)', async () => {
    const html = (await http().get('/papers/2612.00042').expect(200)).text;
    const change = /<section class="version-change"[\s\S]*?<\/section>/.exec(html)?.[0] ?? '';
    expect(change).toContain('<strong>Title:</strong> Efficient Inference <del class="diff" data-testid="diff-removed">on O(n²) Attention</del>');
    expect(change).not.toContain('$');
    expect(html).toMatch(/<th scope="row">Another feed<\/th>/);
    expect(html).not.toContain('Listed in the Daily Papers');
    // review 27: "On PaperWire’s page of 2014-11-19" read awkwardly
    expect(html).toMatch(/data-testid="listed">Listed by PaperWire on <a href="\/\?date=\d{4}-\d{2}-\d{2}"/);
    expect(html).not.toContain('PaperWire’s page of');
  });

  it('is reachable by arXiv id (a version suffix moves to the page without it) and shows what changed between versions', async () => {
    const moved = await http().get('/papers/2601.01234v2').expect(301);
    expect(moved.headers.location).toBe('/papers/2601.01234');
    const res = await http().get('/papers/2601.01234').expect(200);
    const html = res.text;
    expect(html).toContain(`data-paper-id="${ids.main}"`);
    const change = /<section class="version-change"[\s\S]*?<\/section>/.exec(html)?.[0] ?? '';
    expect(change).toContain('v1</h3>'.replace('v1', 'v1 → v2'));
    expect(change).toMatch(/<ins class="diff" data-testid="diff-added">exact <\/ins>/);
    expect(change).toMatch(/<del class="diff" data-testid="diff-removed">2\.1x <\/del><ins class="diff" data-testid="diff-added">3\.4x <\/ins>/);
    expect(change).toMatch(/<del class="diff" data-testid="diff-removed">a <\/del><ins class="diff" data-testid="diff-added">an exact attention <\/ins>kernel/);
    expect(change).toMatch(/data-change="changed">changed: 2\.1x speedup[^<]*→ 3\.4x speedup/);
    expect(change).toMatch(/data-change="added">added: 40%/);
  });

  it('lists the nearest neighbour first among similar papers, never the paper itself', async () => {
    const html = (await http().get(`/papers/${ids.main}`).expect(200)).text;
    const similar = /<ol data-testid="similar">([\s\S]*?)<\/ol>/.exec(html)?.[1] ?? '';
    const linked = [...similar.matchAll(/href="\/papers\/([^"]+)"/g)].map((m) => m[1]);
    expect(linked[0]).toBe(ids.near);
    expect(linked).not.toContain('2601.01234');
    expect(linked).not.toContain(ids.main);
  });

  it("names a file or upload source's sighting by the feed its document was read as, never the source's name", async () => {
    const [{ id: file }] = await api.db.ds.query(
      `INSERT INTO sources (name, kind, url, params) VALUES ('sample-arxiv-api', 'file', '/srv/x.xml', '{"format": "arxiv-api"}') RETURNING id`,
    );
    await api.db.ds.query(`INSERT INTO paper_sources (paper_id, source_id, source_kind) VALUES ($1, $2, 'file')`, [ids.bare, file]);
    const html = (await http().get(`/papers/${ids.bare}`).expect(200)).text;
    expect(html).toMatch(/<th scope="row">arXiv<\/th>/);
    expect(html).not.toContain('sample-arxiv-api');
    expect(html).not.toContain('(file)');
    const json = (await http().get(`/v1/papers/${ids.bare}`).expect(200)).body;
    expect(json.sightings.map((s: { feed: string | null }) => s.feed)).toEqual(['arxiv-api']);
  });

  it('shows no similarity number and no neighbour below the floor', async () => {
    const html = (await http().get(`/papers/${ids.main}`).expect(200)).text;
    expect(html).not.toMatch(/similarity \d/);
    // the microscopy paper shares no vocabulary with the attention kernels: below the floor, not listed
    expect(html).not.toContain(`/papers/${ids.far}`);
  });

  it('renders a paper without authors, abstract or links', async () => {
    const html = (await http().get(`/papers/${ids.bare}`).expect(200)).text;
    expect(html).toContain('Authors not given by the source.');
    expect(html).toContain('No abstract given by the source.');
    expect(html).toContain('No links known.');
  });

  it('tells a paper the classifier found no topic for from one it has not seen yet', async () => {
    const classified = (await http().get(`/papers/${ids.bare}`).expect(200)).text;
    expect(classified).toContain('No topic of the taxonomy fits this paper.');
    expect(classified).not.toContain('Not classified into any topic yet.');
    const waiting = (await http().get(`/papers/${ids.waiting}`).expect(200)).text;
    expect(waiting).toContain('Not classified into any topic yet.');
  });

  it('answers an unknown paper with an HTML 404 page (what is no id with a 400 page) and the API path with a JSON 404', async () => {
    for (const id of ['2601.99999', '00000000-0000-0000-0000-000000000000', 'doi:10.1234/none']) {
      const res = await http().get(`/papers/${encodeURIComponent(id)}`).expect(404);
      expect(res.headers['content-type']).toMatch(/text\/html/);
      expect(res.text).toContain('Paper not found');
    }
    for (const id of ['no such paper', '<script>']) {
      const res = await http().get(`/papers/${encodeURIComponent(id)}`).expect(400);
      expect(res.headers['content-type']).toMatch(/text\/html/);
      expect(res.text).toContain('Not a paper id');
      expect(res.text).not.toContain('<script>');
    }
    const api = await http().get('/v1/papers/2601.99999').expect(404);
    expect(api.headers['content-type']).toMatch(/json/);
  });

  it('shows inline LaTeX of a title as text on the paper page and the home page; the stored title, the API and the feed keep it as written', async () => {
    const page = (await http().get(`/papers/${ids.latex}`).expect(200)).text;
    expect(page).toContain(`<h1 id="paper-title" data-testid="paper-title">${LATEX_HTML}</h1>`);
    // the document and OpenGraph titles are the same reading as plain text, escaped: no dollar signs, no commands
    expect(page).toContain(`<title>${LATEX_TEXT} — PaperWire</title>`);
    expect(page).toContain(`<meta property="og:title" content="${LATEX_TEXT} — PaperWire">`);
    const home = (await http().get('/?date=2026-01-07').expect(200)).text;
    expect(home).toContain(`data-testid="paper-title">${LATEX_HTML}</a>`);
    expect((await http().get(`/v1/papers/${ids.latex}`).expect(200)).body.title).toBe(LATEX_TITLE);
    expect((await http().get(`/papers/${ids.latex}.atom`).expect(200)).text).toContain('Sparse $O(n^2)$ attention: $2\\times$ faster \\textbf{$\\alpha$-entmax} &lt;b&gt;');
    const [{ title }] = await api.db.ds.query(`SELECT title FROM papers WHERE id = $1`, [ids.latex]);
    expect(title).toBe(LATEX_TITLE);
  });

  it('names each version once: by number and the day first seen, or (unnumbered) by that day alone', async () => {
    const numbered = (await http().get(`/papers/${ids.main}`).expect(200)).text;
    const items = (html: string) => [...html.matchAll(/<li data-testid="version">(.*?)<\/li>/g)].map((m) => m[1].replace(/<[^>]+>/g, ''));
    expect(items(numbered)).toEqual([expect.stringMatching(/^v1 — first seen by PaperWire \d{4}-\d{2}-\d{2}$/), expect.stringMatching(/^v2 — first seen by PaperWire \d{4}-\d{2}-\d{2}$/)]);
    const unnumbered = (await http().get(`/papers/${ids.latex}`).expect(200)).text;
    expect(items(unnumbered)).toEqual(['First seen by PaperWire 2026-01-07']);
    expect(unnumbered).not.toContain('seen 2026-01-07 — first seen');
  });

  it('serves the paper as a one-entry Atom feed and a favicon', async () => {
    const atom = await http().get('/papers/2601.01234.atom').expect(200);
    expect(atom.headers['content-type']).toMatch(/application\/atom\+xml/);
    expect(atom.text).toContain('<link rel="alternate" type="text/html" href="https://papers.example.org/papers/2601.01234"/>');
    const icon = await http().get('/favicon.svg').expect(200);
    expect(icon.headers['content-type']).toMatch(/image\/svg\+xml/);
  });

  it('sends /papers/X.json, and a client that prefers JSON, to the paper as JSON; browsers and curl get the page', async () => {
    for (const [path, accept] of [
      ['/papers/2601.01234.json', '*/*'],
      ['/papers/2601.01234', 'application/json'],
      ['/papers/2601.01234', 'application/json, text/html;q=0.5'],
    ]) {
      const res = await http().get(path).set('Accept', accept).expect(303);
      expect(res.headers.location).toBe('/v1/papers/2601.01234');
      expect(res.headers.vary).toMatch(/Accept/);
      const json = await http().get(res.headers.location).expect(200);
      expect(json.body.arxivId).toBe('2601.01234');
    }
    // an id written another way keeps its suffix on the way to the id as read
    expect((await http().get('/papers/arXiv:2601.01234v2.json').expect(301)).headers.location).toBe('/papers/2601.01234.json');
    for (const accept of ['text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8', '*/*']) {
      const page = await http().get('/papers/2601.01234').set('Accept', accept).expect(200);
      expect(page.headers['content-type']).toMatch(/text\/html/);
      expect(page.headers.vary).toMatch(/Accept/);
    }
    // no such paper: the API's 404, not a 400 "not a paper id"
    const missing = await http().get('/papers/2612.99999.json').expect(303);
    await http().get(missing.headers.location).expect(404);
    // what is no paper id, asked for as JSON: a problem document, not an HTML page
    for (const [path, accept] of [['/papers/nope.json', '*/*'], ['/papers/nope', 'application/json']]) {
      const bad = await http().get(path).set('Accept', accept).expect(400);
      expect(bad.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(bad.body.detail).toMatch(/is not a paper id/);
    }
  });
});
