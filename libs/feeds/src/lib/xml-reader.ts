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
    throw new FeedError('malformed', `malformed XML at line ${valid.err.line}: ${valid.err.msg}`);
  }
  try {
    return parser.parse(xml) as XmlNode;
  } catch (err) {
    throw new FeedError('malformed', `malformed XML: ${err instanceof Error ? err.message : String(err)}`);
  }
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
