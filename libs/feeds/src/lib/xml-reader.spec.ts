import { feedError } from '../../fixtures/fixtures';
import { parseDocument } from './parse-document';
import { parseXmlFully, readXml } from './xml-reader';

const ATOM = '<?xml version="1.0"?>\n<feed xmlns="http://www.w3.org/2005/Atom">\n';

// Wording a person uploading a feed cannot act on: the validator's JSON list, its codes, its "Invalid … found".
const INTERNALS = /Invalid '|\[\s*"|found\.|InvalidTag|InvalidXml|jPath|col \d/;

describe('malformed XML is described in plain words', () => {
  it.each([
    [`${ATOM}<entry><id>x</id><title>A title\n`, /^not well-formed XML: the document ends inside <title> \(in <entry> in <feed>\): expected <\/title>/],
    [`${ATOM}<entry><title>A</title>`, /the document ends inside <entry> \(in <feed>\): expected <\/entry>/],
    ['<feed><entry><title>A</title></entry>', /the document ends before <feed> is closed: expected <\/feed>/],
    [`${ATOM}<entry><title>A</entry></feed>`, /^not well-formed XML: line 3: <\/entry> closes <title> \(opened on line 3\): expected <\/title> first$/],
    ['<feed/></entry>', /line 1: <\/entry> closes an element that was never opened/],
    ['<feed><link href=x/></feed>', /line 1: attribute href has no quoted value: expected href="…"/],
    ['<feed><link a="1" a="2"/></feed>', /line 1: attribute a appears twice on one element/],
    ['<feed>Q&A</feed>', /line 1: a bare '&': expected &amp;/],
    ['<feed>a</feed><feed>b</feed>', /line 1: a second top-level element/],
    ['hello', /line 1: unexpected 'h' where an element was expected/],
  ])('%j', (xml, expected) => {
    const err = feedError(() => readXml(xml));
    expect(err.code).toBe('malformed');
    expect(err.message).toMatch(expected);
    expect(err.message).not.toMatch(INTERNALS);
    // The validator's own wording stays available for logs.
    expect(err.detail).toMatch(/^line \d+: \S/);
  });

  it('keeps the validator message as detail, out of the message', () => {
    const err = feedError(() => parseXmlFully('<feed><entry><title>x'));
    expect(err.detail).toBe(`line 1: Invalid '[    "feed",    "entry",    "title"]' found.`);
    expect(err.message).not.toContain('Invalid');
  });

  it('says the same through parseDocument for a truncated Atom upload', () => {
    const err = feedError(() => parseDocument({ body: Buffer.from(`${ATOM}<entry><id>http://arxiv.org/abs/2401.00001v1</id><title>x\n`), format: 'arxiv-api' }));
    expect(err.message).toContain('<title>');
    expect(err.message).not.toMatch(INTERNALS);
  });
});
