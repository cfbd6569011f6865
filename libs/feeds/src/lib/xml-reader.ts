// Safe XML reading: DTDs and entity declarations are refused before any parser sees the document, the
// parser runs with entity processing off, and we decode only the five predefined entities and char refs.
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { FeedError } from './feed-error';
import { scanXml } from './xml-scan';

export type XmlNode = Record<string, unknown>;

/** What follows `<!` in a DTD or declaration (matched at one position: the document is scanned by indexOf). */
const DTD_KEYWORD = /DOCTYPE|ENTITY|ELEMENT|ATTLIST/iy;
const ENTITY_RE = /&(#[xX][0-9a-fA-F]{1,6}|#[0-9]{1,7}|amp|lt|gt|quot|apos);/g;

/** Same test as /<!(?:DOCTYPE|ENTITY|ELEMENT|ATTLIST)/i, but that regex scans a multi-MB document slower than indexOf. */
export function refuseDtd(xml: string): void {
  for (let at = xml.indexOf('<!'); at >= 0; at = xml.indexOf('<!', at + 2)) {
    DTD_KEYWORD.lastIndex = at + 2;
    if (DTD_KEYWORD.test(xml)) throw new FeedError('refused', 'XML with a DOCTYPE, DTD or entity declaration is refused');
  }
}

function decodeCodePoint(cp: number): string {
  const invalid = !Number.isFinite(cp) || cp === 0 || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff);
  return invalid ? '\uFFFD' : String.fromCodePoint(cp);
}

export function decodeXmlEntities(s: string): string {
  if (!s.includes('&')) return s;
  return s.replace(ENTITY_RE, (_m, ref: string) => {
    switch (ref) {
      case 'amp':
        return '&';
      case 'lt':
        return '<';
      case 'gt':
        return '>';
      case 'quot':
        return '"';
      case 'apos':
        return "'";
      default:
        return decodeCodePoint(ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10));
    }
  });
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  removeNSPrefix: true,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  processEntities: false,
  htmlEntities: false,
  cdataPropName: '__cdata',
  ignoreDeclaration: true,
  ignorePiTags: true,
  maxNestedTags: 64,
  // No callback of ours looks at the path, so do not build a jPath string for every tag, text and attribute.
  jPath: false,
});

/** Parses an XML document into a plain object tree; throws FeedError for DTDs and malformed XML. */
export function readXml(xml: string): XmlNode {
  refuseDtd(xml);
  // Plain XML (most feeds) is read in one pass into the same tree; anything else goes through the validator
  // and fast-xml-parser, which give every error message.
  return scanXml(xml) ?? parseXmlFully(xml);
}

/** readXml without the fast path: XMLValidator, then fast-xml-parser (exported for the scanner's specs). */
export function parseXmlFully(xml: string): XmlNode {
  const valid = XMLValidator.validate(xml, { allowBooleanAttributes: true });
  if (valid !== true) {
    const { msg, line } = valid.err;
    throw new FeedError('malformed', `not well-formed XML: ${plainXmlProblem(msg, line)}`, `line ${line}: ${msg}`);
  }
  try {
    return parser.parse(xml) as XmlNode;
  } catch (err) {
    const detail = err instanceof Error ? err.message : String(err);
    throw new FeedError('malformed', 'not well-formed XML: the document could not be read as XML', detail);
  }
}

const quoted = (name: string): string => `<${name}>`;

/**
 * What a validator message means, in words a person uploading a feed can act on: which element, what was expected.
 * The validator's own message (e.g. `Invalid '[ "feed", "entry" ]' found.`) goes to logs only (FeedError.detail).
 */
export function plainXmlProblem(msg: string, line: number): string {
  const at = `line ${line}: `;
  let m: RegExpExecArray | null;
  if ((m = /^Invalid '(\[.*\])' found\.$/s.exec(msg))) {
    let open: string[] = [];
    try {
      const parsed: unknown = JSON.parse(m[1]);
      if (Array.isArray(parsed)) open = parsed.filter((t): t is string => typeof t === 'string');
    } catch {
      // not the list we expect: say it generally
    }
    if (open.length === 0) return 'the document ends before its elements are closed (is the file cut short?)';
    const innermost = open[open.length - 1];
    const outer = open.slice(0, -1).reverse().map(quoted).join(' in ');
    return `the document ends inside ${quoted(innermost)}${outer ? ` (in ${outer})` : ''}: expected </${innermost}> and the closing tags after it (is the file cut short?)`;
  }
  if ((m = /^Unclosed tag '([^']*)'\.$/.exec(msg)))
    return `the document ends before ${quoted(m[1])} is closed: expected </${m[1]}> (is the file cut short?)`;
  if ((m = /^Expected closing tag '([^']*)' \(opened in line (\d+), col \d+\) instead of closing tag '([^']*)'\.$/.exec(msg)))
    return `${at}</${m[3]}> closes ${quoted(m[1])} (opened on line ${m[2]}): expected </${m[1]}> first`;
  if ((m = /^Closing tag '([^']*)' has not been opened\.$/.exec(msg)))
    return `${at}</${m[1]}> closes an element that was never opened`;
  if ((m = /^Closing tag '([^']*)' doesn't have proper closing\.$/.exec(msg)))
    return `${at}</${m[1]}> is not finished with '>'`;
  if ((m = /^Closing tag '([^']*)' can't have attributes or invalid starting\.$/.exec(msg)))
    return `${at}</${m[1]}> has something after its name: expected just </${m[1]}>`;
  if ((m = /^Attributes for '([^']*)' have open quote\.$/.exec(msg)))
    return `${at}an attribute of ${quoted(m[1])} has no closing quote`;
  if ((m = /^Attribute '([^']*)' is without value\.$/.exec(msg)) || (m = /^attribute (\S+) has no value assigned\.$/.exec(msg)))
    return `${at}attribute ${m[1]} has no quoted value: expected ${m[1]}="…"`;
  if ((m = /^boolean attribute '([^']*)' is not allowed\.$/.exec(msg)))
    return `${at}attribute ${m[1]} has no value: expected ${m[1]}="…"`;
  if ((m = /^Attribute '([^']*)' is repeated\.$/.exec(msg))) return `${at}attribute ${m[1]} appears twice on one element`;
  if ((m = /^Attribute '([^']*)' (?:is an invalid name|has no space in starting)\.$/.exec(msg)))
    return `${at}attribute ${m[1]} is not written as name="value" after a space`;
  if (/^Multiple possible root nodes found\.$/.test(msg))
    return `${at}a second top-level element: expected the whole feed inside one element`;
  if (/^Extra text at the end/.test(msg)) return `${at}text after the end of the top-level element`;
  if (/^Start tag expected\.$/.test(msg)) return 'no XML element found: expected the feed to start with an element';
  if ((m = /^char '&' is not expected\.$/.exec(msg))) return `${at}a bare '&': expected &amp; (or another entity) in text`;
  if ((m = /^char '(.)' is not expected\.$/s.exec(msg))) return `${at}unexpected '${m[1]}' where an element was expected`;
  if (/^XML declaration allowed only at the start/.test(msg)) return `${at}<?xml …?> after the start of the document: it must come first`;
  if (/^Invalid space after '<'\.$/.test(msg)) return `${at}a space after '<': expected an element name`;
  if ((m = /^Tag '([^']*)' is an invalid name\.$/.exec(msg))) return `${at}${quoted(m[1])} is not a valid element name`;
  return `${at}the XML is not well-formed there`;
}

export function asArray(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

export function isNode(value: unknown): value is XmlNode {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Text content of an element: plain string, or `#text` / CDATA of an element with attributes. */
export function textOf(value: unknown): string {
  if (typeof value === 'string') return decodeXmlEntities(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return value.length > 0 ? textOf(value[0]) : '';
  if (isNode(value)) {
    const text = value['#text'];
    const cdata = value['__cdata'];
    const parts: string[] = [];
    if (text !== undefined) parts.push(textOf(text));
    for (const c of asArray(cdata)) if (typeof c === 'string') parts.push(c);
    return parts.join('');
  }
  return '';
}

export function attrOf(node: unknown, name: string): string | undefined {
  if (!isNode(node)) return undefined;
  const v = node[`@_${name}`];
  return typeof v === 'string' ? decodeXmlEntities(v) : undefined;
}

export function child(node: unknown, name: string): unknown {
  return isNode(node) ? node[name] : undefined;
}

/** The root element name of an XML document (prefix stripped), skipping prolog, comments and PIs. */
export function xmlRootName(xml: string): string | null {
  let i = 0;
  const n = Math.min(xml.length, 100_000);
  while (i < n) {
    const lt = xml.indexOf('<', i);
    if (lt < 0 || lt >= n) return null;
    if (xml.startsWith('<?', lt)) {
      const end = xml.indexOf('?>', lt + 2);
      if (end < 0) return null;
      i = end + 2;
    } else if (xml.startsWith('<!--', lt)) {
      const end = xml.indexOf('-->', lt + 4);
      if (end < 0) return null;
      i = end + 3;
    } else if (xml.startsWith('<!', lt)) {
      const end = xml.indexOf('>', lt + 2);
      if (end < 0) return null;
      i = end + 1;
    } else {
      const m = /^<([A-Za-z_][\w.-]*(?::[A-Za-z_][\w.-]*)?)/.exec(xml.slice(lt, lt + 200));
      if (!m) return null;
      const name = m[1];
      const colon = name.indexOf(':');
      return colon >= 0 ? name.slice(colon + 1) : name;
    }
  }
  return null;
}
