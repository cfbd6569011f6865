import { TextDecoder } from 'node:util';
import { FeedError } from './feed-error';

export interface DecodedBody {
  text: string;
  /** set when invalid byte sequences were replaced by U+FFFD */
  warning?: string;
}

function charsetFromContentType(contentType: string | undefined): string | undefined {
  const m = contentType ? /charset\s*=\s*"?([A-Za-z0-9_.:-]{1,40})/i.exec(contentType) : null;
  return m ? m[1].toLowerCase() : undefined;
}

function charsetFromXmlDecl(bytes: Buffer): string | undefined {
  const head = bytes.subarray(0, 200).toString('latin1');
  const m = /^\s*<\?xml[^>]{0,150}?encoding\s*=\s*["']([A-Za-z0-9_.:-]{1,40})["']/.exec(head);
  return m ? m[1].toLowerCase() : undefined;
}

function decoderFor(label: string): TextDecoder {
  try {
    return new TextDecoder(label, { fatal: true });
  } catch {
    throw new FeedError('malformed', `unsupported charset "${label}"`);
  }
}

/**
 * Bytes to text. BOMs pick UTF-8/UTF-16; otherwise the Content-Type charset, then the XML declaration, then UTF-8.
 * Invalid sequences are not fatal: they become U+FFFD (the WHATWG decoder, so deterministic) and the result
 * carries a warning that parseDocument reports as a document-level entry in `errors`.
 */
export function decodeBody(body: Buffer | string, contentType?: string): DecodedBody {
  if (typeof body === 'string') return { text: body.charCodeAt(0) === 0xfeff ? body.slice(1) : body };
  let bytes = body;
  let label: string | undefined;
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    bytes = bytes.subarray(3);
    label = 'utf-8';
  } else if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) {
    bytes = bytes.subarray(2);
    label = 'utf-16le';
  } else if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) {
    bytes = bytes.subarray(2);
    label = 'utf-16be';
  }
  label ??= charsetFromContentType(contentType) ?? charsetFromXmlDecl(bytes) ?? 'utf-8';
  const decoder = decoderFor(label);
  try {
    return { text: decoder.decode(bytes) };
  } catch {
    const lenient = new TextDecoder(decoder.encoding, { fatal: false });
    return {
      text: lenient.decode(bytes),
      warning: `document: invalid ${decoder.encoding} byte sequences were replaced with U+FFFD`,
    };
  }
}
