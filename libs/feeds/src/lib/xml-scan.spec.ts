// The scanner against what it replaces: whenever scanXml accepts a document, the validator accepts it too and
// fast-xml-parser builds the same tree (parseXmlFully); documents it refuses go to fast-xml-parser unchanged.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { parseXmlFully } from './xml-reader';
import { scanXml } from './xml-scan';

const FIXTURES = join(__dirname, '..', '..', 'fixtures');
const RUNS = Math.max(1, Number(process.env['FUZZ_RUNS'] ?? '300'));

function xmlFixtures(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return xmlFixtures(p);
    return /\.(xml|html)$/.test(name) ? [p] : [];
  });
}

/** Same tree as fast-xml-parser when scanned; returns whether the scanner took the document. */
function agrees(xml: string): boolean {
  const scanned = scanXml(xml);
  if (scanned === null) return false;
  expect(scanned).toStrictEqual(parseXmlFully(xml));
  return true;
}

describe('scanXml', () => {
  it('builds fast-xml-parser’s tree for every XML fixture it reads, and reads every well-formed feed fixture', () => {
    const taken: string[] = [];
    for (const file of xmlFixtures(FIXTURES)) if (agrees(readFileSync(file, 'utf8'))) taken.push(file);
    const names = taken.map((f) => f.slice(FIXTURES.length + 1));
    expect(names).toEqual(
      expect.arrayContaining(
        xmlFixtures(join(FIXTURES, 'ok'))
          .filter((f) => f.endsWith('.xml'))
          .map((f) => f.slice(FIXTURES.length + 1)),
      ),
    );
    // DTDs, a BOM before the declaration, HTML and truncated pages are left to fast-xml-parser.
    for (const name of [
      'bom_atom.xml',
      'dtd_plain-doctype_oai.xml',
      'truncated_oai.xml',
      'html_without-data-props.html',
    ])
      expect(names.some((n) => n.endsWith(name))).toBe(false);
  });

  it.each([
    [
      'text, repeated elements, attributes',
      '<r><a>x</a><a> y </a><b c="1"/><b c=\'2\' >z</b></r>',
      { r: { a: ['x', 'y'], b: [{ '@_c': '1' }, { '@_c': '2', '#text': 'z' }] } },
    ],
    [
      'prefixes and namespace declarations dropped',
      '<p:r xmlns="u" xmlns:p="v" p:k=" 1 "><p:t>a&amp;b</p:t></p:r>',
      { r: { '@_k': '1', t: 'a&amp;b' } },
    ],
    [
      'mixed content concatenated, empty elements',
      '<?xml version="1.0" encoding="UTF-8"?>\n<r> a <e/> b <e></e>\r\nc</r>',
      { r: { e: ['', ''], '#text': 'abc' } },
    ],
    ['carriage returns normalised', '<r a="x\r\ny">1\r2</r>', { r: { '@_a': 'x\ny', '#text': '1\n2' } }],
  ])('%s', (_name, xml, tree) => {
    expect(scanXml(xml)).toStrictEqual(tree);
    expect(parseXmlFully(xml)).toStrictEqual(tree);
  });

  it.each([
    ['a comment', '<r><!-- c --></r>'],
    ['CDATA', '<r><![CDATA[x]]></r>'],
    ['a processing instruction', '<r><?p x?></r>'],
    ['a declaration not at the start', ' <?xml version="1.0"?><r/>'],
    ['a lone ampersand', '<r>a & b</r>'],
    ['an upper-case hex reference', '<r>&#X41;</r>'],
    ['a repeated attribute', '<r a="1" a="2"/>'],
    ['an attribute without a value', '<r a/>'],
    ['attributes without a space between them', '<r a="1"b="2"/>'],
    ['a mismatched closing tag', '<r><a></b></r>'],
    ['a closing tag with a space', '<r></r >'],
    ['two roots', '<r/><s/>'],
    ['text outside the root', 'x<r/>'],
    ['an unclosed element', '<r><a>'],
    ['a prototype member as a name', '<r><constructor/></r>'],
    ['the CDATA property as a name', '<r><__cdata>x</__cdata></r>'],
    ['a non-ASCII name', '<r><é/></r>'],
    ['a byte order mark', '\ufeff<r/>'],
  ])('leaves %s to fast-xml-parser', (_name, xml) => {
    expect(scanXml(xml)).toBeNull();
  });

  it('agrees with fast-xml-parser on generated well-formed documents', () => {
    const name = fc.constantFrom('a', 'b', 'p:a', 'q:b', 'c.d', 'e-f', 'x_1');
    // Inside tags, mostly XML whitespace; now and then one the validator and fast-xml-parser do not skip.
    const space = fc.oneof(
      { arbitrary: fc.constantFrom('', ' ', '\n', '\t', ' \r\n '), weight: 20 },
      { arbitrary: fc.constantFrom('\u00a0', '\u2003'), weight: 1 },
    );
    const text = fc
      .array(
        fc.constantFrom(
          'x',
          'y z',
          '&amp;',
          '&#10;',
          '&#x1F600;',
          '&lt;b&gt;',
          '>',
          '"',
          "'",
          ']]>',
          'é',
          ' ',
          '\n',
          '\r',
          '\u00a0',
          '\ufeff',
        ),
        {
          maxLength: 6,
        },
      )
      .map((parts) => parts.join(''));
    const attr = fc.tuple(
      fc.constantFrom('k', 'v', 'p:w', 'q:z', 'xmlns', 'xmlns:p', 'l', 'p:k'),
      space,
      fc.constantFrom('"', "'"),
      text,
    );
    const element: fc.Memo<string> = fc.memo((depth) =>
      fc
        .tuple(
          name,
          fc.uniqueArray(attr, { maxLength: 3, selector: (a) => a[0] }),
          space,
          depth > 1
            ? fc.array(fc.oneof(text, element(depth - 1)), { maxLength: 4 })
            : fc.array(text, { maxLength: 1 }),
          fc.boolean(),
        )
        .map(([tag, attrs, ws, content, selfClose]) => {
          const a = attrs.map(([k, sp, q, v]) => ` ${k}${sp}=${sp}${q}${v.split(q).join('')}${q}`).join('');
          return selfClose && content.length === 0
            ? `<${tag}${a}${ws}/>`
            : `<${tag}${a}${ws}>${content.join('')}</${tag}>`;
        }),
    );
    let taken = 0;
    fc.assert(
      fc.property(fc.boolean(), space, element(4), (decl, ws, root) => {
        if (agrees(`${decl ? '<?xml version="1.0" encoding="UTF-8"?>' : ''}${ws}${root}\n`)) taken++;
      }),
      { numRuns: RUNS * 3 },
    );
    // Most generated documents are plain XML: the comparison above is not vacuous.
    expect(taken).toBeGreaterThan(RUNS);
  });

  it('never accepts what fast-xml-parser reads differently, on mutated documents', () => {
    const base = readFileSync(
      join(FIXTURES, 'ok', 'arxiv-oai', 'arXivOAIHarvester_GetRecord_arXivRaw.xml'),
      'utf8',
    );
    const piece = fc.constantFrom(
      '<',
      '>',
      '/',
      '&',
      ';',
      '"',
      "'",
      '=',
      ' ',
      ':',
      '!',
      '?',
      '<a>',
      '</a>',
      '<!--x-->',
      '&#;',
      '&#x;',
      '&amp',
      '\r',
      '\ufeff',
      'é',
    );
    let taken = 0;
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(base.length), fc.nat(3), piece), { minLength: 1, maxLength: 3 }),
        (edits) => {
          let xml = base;
          for (const [at, cut, p] of edits)
            xml = xml.slice(0, at % xml.length) + p + xml.slice((at % xml.length) + cut);
          let full: unknown;
          try {
            full = parseXmlFully(xml);
          } catch {
            expect(scanXml(xml)).toBeNull();
            return;
          }
          const scanned = scanXml(xml);
          if (scanned !== null) {
            taken++;
            expect(scanned).toStrictEqual(full);
          }
        },
      ),
      { numRuns: RUNS * 3 },
    );
    expect(taken).toBeGreaterThan(0);
  });
});
