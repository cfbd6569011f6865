// A fast reader for the plain XML that feeds are made of: elements, attributes and text, nothing else. It returns
// exactly the tree readXml's fast-xml-parser configuration builds (xml-reader.ts: prefixes removed, `@_`
// attributes, values trimmed and kept as strings, entities left as written, repeated elements as arrays), or null
// for anything outside that subset (comments, CDATA, processing instructions, DTDs, non-ASCII names, a character
// the validator might refuse...), which readXml then validates and parses with fast-xml-parser as before. Every
// document it accepts is one XMLValidator accepts, so it changes no answer, only the cost: one pass, no
// character-by-character string building, no intermediate ordered tree (issue #19: the parser's CPU per paper).
import type { XmlNode } from './xml-reader';

/** Element nesting beyond which the scanner leaves the document to fast-xml-parser (its own limit is 64). */
const MAX_DEPTH = 48;

/** Tag names fast-xml-parser renames or refuses (prototype members), and its reserved `__cdata` / `#text`. */
const SPECIAL_NAMES = new Set<string>([...Object.getOwnPropertyNames(Object.prototype), 'prototype']);

/** The characters String.prototype.trim removes (WhiteSpace and LineTerminator). */
function isTrimmed(c: number): boolean {
  return c <= 0x20
    ? c === 0x20 || (c >= 0x09 && c <= 0x0d)
    : c === 0xa0 ||
        c === 0x1680 ||
        (c >= 0x2000 && c <= 0x200a) ||
        c === 0x2028 ||
        c === 0x2029 ||
        c === 0x202f ||
        c === 0x205f ||
        c === 0x3000 ||
        c === 0xfeff;
}

/** Whitespace to the validator (outside the root element and inside tags). */
const isXmlSpace = (c: number): boolean => c === 0x20 || c === 0x0a || c === 0x09 || c === 0x0d;

const isNameStart = (c: number): boolean =>
  (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || c === 0x5f;
const isNameChar = (c: number): boolean =>
  isNameStart(c) || (c >= 0x30 && c <= 0x39) || c === 0x2d || c === 0x2e;

/** `&` followed by what the validator reads as a reference: `&#digits;`, `&#xhex;` or `&name;` (≤ 20 word chars). */
const REFERENCE = /&(?:#[0-9]+|#x[0-9a-fA-F]+|[A-Za-z0-9_]{1,20});/y;

/** A leading XML declaration whose attribute values hold no `?`, `<` or `>`. */
const DECLARATION =
  /<\?xml(?:[ \t\n]+[A-Za-z_][\w.-]*[ \t\n]*=[ \t\n]*(?:"[^"<>?]*"|'[^'<>?]*'))*[ \t\n]*\?>/y;

interface Frame {
  raw: string;
  key: string;
  attrs: Record<string, string> | null;
  kids: Record<string, unknown> | null;
  text: string | undefined;
}

class Unsupported extends Error {}
const UNSUPPORTED = new Unsupported();

/** The end of the name starting at `at` (one optional `prefix:`), or throws Unsupported. */
function nameEnd(xml: string, at: number): number {
  if (!isNameStart(xml.charCodeAt(at))) throw UNSUPPORTED;
  let i = at + 1;
  while (isNameChar(xml.charCodeAt(i))) i++;
  if (xml.charCodeAt(i) === 0x3a) {
    if (!isNameStart(xml.charCodeAt(i + 1))) throw UNSUPPORTED;
    i += 2;
    while (isNameChar(xml.charCodeAt(i))) i++;
  }
  return i;
}

/** A name without its prefix, as fast-xml-parser's removeNSPrefix gives it; refuses names it treats specially. */
function localName(raw: string): string {
  const colon = raw.indexOf(':');
  const name = colon < 0 ? raw : raw.slice(colon + 1);
  if (SPECIAL_NAMES.has(name) || name.startsWith('__')) throw UNSUPPORTED;
  return name;
}

function addKid(frame: Frame, key: string, value: unknown): void {
  const kids = (frame.kids ??= {});
  if (!Object.prototype.hasOwnProperty.call(kids, key)) kids[key] = value;
  else {
    const prev = kids[key];
    if (Array.isArray(prev)) prev.push(value);
    else kids[key] = [prev, value];
  }
}

/** What fast-xml-parser's compress step makes of an element: text, '' or an object. */
function valueOf(frame: Frame): unknown {
  if (frame.attrs === null) {
    if (frame.kids === null) return frame.text ?? '';
    if (frame.text !== undefined) frame.kids['#text'] = frame.text;
    return frame.kids;
  }
  const value: Record<string, unknown> = frame.kids ?? {};
  if (frame.text !== undefined) value['#text'] = frame.text;
  for (const k in frame.attrs) value[k] = frame.attrs[k];
  return value;
}

/** Text between two tags: trimmed, references checked as the validator does; outside the root only whitespace. */
function addText(xml: string, from: number, to: number, frame: Frame | undefined): void {
  let a = from;
  let b = to;
  while (a < b && isTrimmed(xml.charCodeAt(a))) a++;
  while (b > a && isTrimmed(xml.charCodeAt(b - 1))) b--;
  if (a === b) {
    // Trimmed away: only the validator's own whitespace may stand outside the root.
    if (frame === undefined)
      for (let i = from; i < to; i++) if (!isXmlSpace(xml.charCodeAt(i))) throw UNSUPPORTED;
    return;
  }
  if (frame === undefined) throw UNSUPPORTED;
  for (let amp = xml.indexOf('&', a); amp >= 0 && amp < b; amp = xml.indexOf('&', amp + 1)) {
    REFERENCE.lastIndex = amp;
    if (!REFERENCE.test(xml)) throw UNSUPPORTED;
  }
  const piece = xml.slice(a, b);
  frame.text = frame.text === undefined ? piece : frame.text + piece;
}

/** Reads the attributes from `at` (just after the tag's name) to its `>`; returns the index of that `>`. */
function readAttributes(xml: string, at: number, frame: Frame): { end: number; selfClosing: boolean } {
  let i = at;
  const seen: string[] = [];
  for (;;) {
    const start = i;
    while (isXmlSpace(xml.charCodeAt(i))) i++;
    const c = xml.charCodeAt(i);
    if (c === 0x3e) return { end: i, selfClosing: false };
    if (c === 0x2f) {
      if (xml.charCodeAt(i + 1) !== 0x3e) throw UNSUPPORTED;
      return { end: i + 1, selfClosing: true };
    }
    // An attribute must follow whitespace (the validator's "has no space in starting").
    if (i === start) throw UNSUPPORTED;
    const nameTo = nameEnd(xml, i);
    const raw = xml.slice(i, nameTo);
    if (seen.includes(raw)) throw UNSUPPORTED;
    seen.push(raw);
    i = nameTo;
    while (isXmlSpace(xml.charCodeAt(i))) i++;
    if (xml.charCodeAt(i) !== 0x3d) throw UNSUPPORTED;
    i++;
    while (isXmlSpace(xml.charCodeAt(i))) i++;
    const quote = xml.charCodeAt(i);
    if (quote !== 0x22 && quote !== 0x27) throw UNSUPPORTED;
    const close = xml.indexOf(quote === 0x22 ? '"' : "'", i + 1);
    if (close < 0) throw UNSUPPORTED;
    const parts = raw.split(':');
    if (parts[0] !== 'xmlns') {
      const key = `@_${parts.length === 2 ? parts[1] : raw}`;
      const attrs = (frame.attrs ??= {});
      if (Object.prototype.hasOwnProperty.call(attrs, key)) throw UNSUPPORTED;
      attrs[key] = xml.slice(i + 1, close).trim();
    }
    i = close + 1;
  }
}

function scan(xml: string): XmlNode {
  let pos = 0;
  if (xml.startsWith('<?xml')) {
    DECLARATION.lastIndex = 0;
    if (!DECLARATION.test(xml)) throw UNSUPPORTED;
    pos = DECLARATION.lastIndex;
  }
  const stack: Frame[] = [];
  let result: XmlNode | undefined;
  for (;;) {
    const lt = xml.indexOf('<', pos);
    const top = stack.length > 0 ? stack[stack.length - 1] : undefined;
    if (lt < 0) {
      addText(xml, pos, xml.length, top);
      if (top !== undefined || result === undefined) throw UNSUPPORTED;
      return result;
    }
    if (lt > pos) addText(xml, pos, lt, top);
    const c = xml.charCodeAt(lt + 1);
    if (c === 0x2f) {
      // </name>, exactly, closing the innermost open element
      if (
        top === undefined ||
        !xml.startsWith(top.raw, lt + 2) ||
        xml.charCodeAt(lt + 2 + top.raw.length) !== 0x3e
      )
        throw UNSUPPORTED;
      stack.pop();
      const value = valueOf(top);
      if (stack.length > 0) addKid(stack[stack.length - 1], top.key, value);
      else result = { [top.key]: value };
      pos = lt + 3 + top.raw.length;
      continue;
    }
    // An element: none after the root, none nested too deep, and nothing that is not an element (<!, <?).
    if (result !== undefined || stack.length >= MAX_DEPTH) throw UNSUPPORTED;
    const nameTo = nameEnd(xml, lt + 1);
    const raw = xml.slice(lt + 1, nameTo);
    const frame: Frame = { raw, key: localName(raw), attrs: null, kids: null, text: undefined };
    const { end, selfClosing } = readAttributes(xml, nameTo, frame);
    pos = end + 1;
    if (!selfClosing) {
      stack.push(frame);
      continue;
    }
    const value = valueOf(frame);
    if (top !== undefined) addKid(top, frame.key, value);
    else result = { [frame.key]: value };
  }
}

/**
 * The tree readXml's fast-xml-parser would build for `xml`, when `xml` is plain XML (see the file's head);
 * null when fast-xml-parser must read it. Carriage returns are normalised first, as fast-xml-parser does.
 */
export function scanXml(xml: string): XmlNode | null {
  const text = xml.includes('\r') ? xml.replace(/\r\n?/g, '\n') : xml;
  try {
    return scan(text);
  } catch (err) {
    if (err === UNSUPPORTED) return null;
    throw err;
  }
}
