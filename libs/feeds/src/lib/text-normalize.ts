// Text normalisation: sanitising raw strings for storage, and turning LaTeX-ish abstracts into plain text.
// Everything here is linear-time: hand-written scanners or regexes without nested quantifiers.
// The parser normalises every title, abstract and author several times per paper (contentHash re-normalises
// already normalised text), so each pass first checks cheaply whether it can change anything at all.

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
// C0/C1 controls except tab, newline, carriage return; Postgres text rejects NUL.
// eslint-disable-next-line no-control-regex
const CONTROL_CHARS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g;
/**
 * Invisible format characters that reorder or hide text, so a title can read differently from what it is
 * ("Trojan Source"): bidi embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069), the directional
 * marks (U+200E/U+200F, U+061C), the soft hyphen, invisible operators and the word joiner (U+2060-U+2064), the
 * deprecated format controls (U+206A-U+206F), the Mongolian vowel separator, interlinear annotation
 * (U+FFF9-U+FFFB) and Unicode tag characters (U+E0000-U+E007F, "ASCII smuggling"). ZWJ/ZWNJ stay (scripts and
 * emoji need them); U+200B and U+FEFF are whitespace to WHITESPACE_TO_COLLAPSE.
 */
const INVISIBLE_FORMAT =
  /[\u00AD\u061C\u180E\u200E\u200F\u202A-\u202E\u2060-\u2064\u2066-\u206F\uFFF9-\uFFFB]|\uDB40[\uDC00-\uDC7F]/g;
/** Anything sanitizeRaw could change: one scan instead of two for the (usual) clean string. */
const UNSAFE_CHAR =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u00AD\u061C\u180E\u200E\u200F\u202A-\u202E\u2060-\u2064\u2066-\u206F\uD800-\uDFFF\uFFF9-\uFFFB]/;
/**
 * A whitespace run that is not already a single space. Collapsing every maximal run of [\s\u200B\uFEFF] to one
 * space gives the same result, but a lone space (the gap between two words) is no match, so clean text is
 * neither cut up nor copied.
 */
const WHITESPACE_TO_COLLAPSE = /[^\S ][\s\u200B\uFEFF]*|[\u200B\uFEFF][\s\u200B\uFEFF]*| [\s\u200B\uFEFF]+/g;

/**
 * Makes a raw string safe to store and to show: no lone surrogates (-> U+FFFD), no control characters, no
 * invisible bidi/format characters (INVISIBLE_FORMAT).
 */
export function sanitizeRaw(s: string): string {
  if (!UNSAFE_CHAR.test(s)) return s;
  return s.replace(INVISIBLE_FORMAT, '').replace(LONE_SURROGATE, '\uFFFD').replace(CONTROL_CHARS, '');
}

/** Whitespace collapse + NFC only: for text that users gave us verbatim (text captures, JSONL). */
export function normalizePlain(s: string): string {
  return sanitizeRaw(s).normalize('NFC').replace(WHITESPACE_TO_COLLAPSE, ' ').trim();
}

export interface NormalizeOptions {
  /** convert simple LaTeX to text (default true) */
  latex?: boolean;
  /**
   * Remember the result when it is a fixpoint (normalizeText(result) === result), so that normalising it again
   * (contentHash, titleKey on a parsed paper's title and abstract) returns it at once.
   */
  remember?: boolean;
}

/**
 * normalizeText's (LaTeX on) fixpoints seen lately, one per slot; a slot is picked from the length and two
 * characters, not from a hash of the whole string (a Set would hash every abstract). `===` compares content,
 * so a string equal to a remembered one is found, and anything else is merely recomputed.
 */
const FIXPOINTS = new Map<number, string>();
/**
 * Entries are forgotten all together every MAX_FIXPOINTS insertions (a few chunks' titles and abstracts: the hash
 * of a chunk's papers follows their parsing). Counted by insertion, not by size: a remembered string may be a
 * slice of a whole decoded page, which it keeps alive, and slots shared by similar strings would keep an old
 * entry, and its page, for as long as the size stayed under the bound (+80 MB peak RSS in the 20k bench).
 */
const MAX_FIXPOINTS = 2048;
let insertions = 0;

const slotOf = (s: string): number =>
  (s.length * 31 + s.charCodeAt(s.length >> 1)) * 31 + s.charCodeAt(s.length - 1);

function rememberFixpoint(s: string): void {
  if (++insertions > MAX_FIXPOINTS) {
    FIXPOINTS.clear();
    insertions = 1;
  }
  FIXPOINTS.set(slotOf(s), s);
}

const isRememberedFixpoint = (s: string): boolean => FIXPOINTS.get(slotOf(s)) === s;

/** Whitespace collapse, Unicode NFC and simple LaTeX ($...$, \emph{}, \%, --, ~ ...) to text. Idempotent. */
export function normalizeText(s: string, options: NormalizeOptions = {}): string {
  const latex = options.latex !== false;
  // (Raw text being remembered is seldom normalised already: not worth hashing it for the look-up.)
  if (latex && !options.remember && isRememberedFixpoint(s)) return s;
  let out = normalizePlain(s);
  if (!latex) return out;
  // Run to a fixpoint so that normalizeText(normalizeText(x)) === normalizeText(x) (contentHash relies on it):
  // one conversion can expose another ("\\$x$", "$$$h$$$"). Real abstracts settle in one or two passes.
  for (let pass = 0; pass < 8; pass++) {
    const converted = latexToText(out);
    // `out` is normalizePlain's output and normalizePlain is idempotent: nothing converted, nothing to redo.
    // Either way out, normalizeText(out) would run these same steps and return `out`: it is a fixpoint.
    const next = converted === out ? out : normalizePlain(converted);
    if (next === out) {
      if (options.remember) rememberFixpoint(out);
      return out;
    }
    out = next;
  }
  return out;
}

// Maps, not object literals: a command named \constructor must not find Object.prototype members.
const SYMBOLS = new Map<string, string>(Object.entries({
  times: '×', sim: '~', approx: '≈', simeq: '≃', leq: '≤', le: '≤', geq: '≥', ge: '≥', neq: '≠', ne: '≠',
  pm: '±', mp: '∓', cdot: '·', ll: '≪', gg: '≫', infty: '∞', rightarrow: '→', to: '→', leftarrow: '←',
  Rightarrow: '⇒', leftrightarrow: '↔', uparrow: '↑', downarrow: '↓', in: '∈', notin: '∉', subset: '⊂',
  subseteq: '⊆', cup: '∪', cap: '∩', sum: 'Σ', prod: 'Π', int: '∫', partial: '∂', nabla: '∇', sqrt: '√',
  propto: '∝', circ: '∘', ldots: '…', cdots: '⋯', dots: '…', forall: '∀', exists: '∃', neg: '¬',
  alpha: 'α', beta: 'β', gamma: 'γ', delta: 'δ', epsilon: 'ε', varepsilon: 'ε', zeta: 'ζ', eta: 'η',
  theta: 'θ', iota: 'ι', kappa: 'κ', lambda: 'λ', mu: 'μ', nu: 'ν', xi: 'ξ', pi: 'π', rho: 'ρ', sigma: 'σ',
  tau: 'τ', upsilon: 'υ', phi: 'φ', varphi: 'φ', chi: 'χ', psi: 'ψ', omega: 'ω', Gamma: 'Γ', Delta: 'Δ',
  Theta: 'Θ', Lambda: 'Λ', Xi: 'Ξ', Pi: 'Π', Sigma: 'Σ', Phi: 'Φ', Psi: 'Ψ', Omega: 'Ω', ell: 'ℓ',
  '%': '%', '&': '&', '_': '_', '#': '#', '{': '{', '}': '}', ',': ' ', ';': ' ', '!': '', '\\': ' ', quad: ' ', qquad: ' ',
}));
const TEXT_MACROS = new Map<string, string>(
  Object.entries({ eg: 'e.g.', ie: 'i.e.', etal: 'et al.', etc: 'etc.', LaTeX: 'LaTeX', TeX: 'TeX' }),
);
const WRAPPERS =
  'emph|textbf|textit|texttt|textsc|textrm|textsf|textnormal|underline|text|mathrm|mathbf|mathit|mathsf|mathtt|mathcal|mathbb|mathfrak|boldsymbol|bm|operatorname|url|mbox|hbox';
const WRAPPER_RE = new RegExp(`\\\\(?:${WRAPPERS})\\s*\\{([^{}]*)\\}`, 'g');
const HREF_RE = /\\href\s*\{[^{}]*\}\s*\{([^{}]*)\}/g;
const GROUP_FONT_RE = /\{\\(?:em|bf|it|tt|sc|rm|sf)\s+([^{}]*)\}/g;
const ESCAPED_RE = /\\([\\%&_#{}$,;!])/g;
const COMMAND_RE = /\\([A-Za-z]+)(?![A-Za-z])( ?)/g;

function replaceCommand(all: string, name: string, space: string, inMath: boolean): string {
  const sym = SYMBOLS.get(name);
  if (sym !== undefined) return sym;
  const macro = TEXT_MACROS.get(name);
  if (macro !== undefined) return macro + space;
  // Unknown command: keep it outside math (it may be meaningful), drop the backslash inside math.
  return inMath ? name + space : all;
}

function convertMath(body: string): string {
  let out = body;
  for (let i = 0; i < 3; i++) out = out.replace(WRAPPER_RE, '$1');
  out = out.replace(ESCAPED_RE, (_m, c: string) => SYMBOLS.get(c) ?? c);
  out = out.replace(COMMAND_RE, (all, name: string, space: string) => replaceCommand(all, name, space, true));
  // Grouping braces carry no meaning once commands are gone: ^{11} -> ^11.
  return out.replace(/[{}]/g, '');
}

/** An odd run of backslashes before `i` escapes the character at `i` (`\\$` is a line break then a dollar). */
function isEscaped(s: string, i: number): boolean {
  let n = 0;
  while (i - n - 1 >= 0 && s[i - n - 1] === '\\') n++;
  return n % 2 === 1;
}

function nextUnescaped(s: string, token: string, from: number): number {
  let at = s.indexOf(token, from);
  while (at >= 0 && isEscaped(s, at)) at = s.indexOf(token, at + 1);
  return at;
}

/** Finds $...$ spans the way pandoc does: no space just inside the delimiters, no digit right after. */
function replaceMathSpans(s: string): string {
  let out = '';
  let i = 0;
  while (i < s.length) {
    const open = s.indexOf('$', i);
    if (open < 0) break;
    if (isEscaped(s, open)) {
      out += s.slice(i, open + 1);
      i = open + 1;
      continue;
    }
    const double = s[open + 1] === '$';
    const start = open + (double ? 2 : 1);
    const close = nextUnescaped(s, double ? '$$' : '$', start);
    const body = close < 0 ? '' : s.slice(start, close);
    const after = close < 0 ? '' : s[close + (double ? 2 : 1)] ?? '';
    const valid =
      close >= 0 &&
      body.length > 0 &&
      body.length <= 500 &&
      !/^\s/.test(body) &&
      !/\s$/.test(body) &&
      // "$5 and $10" is money; "$\sim$10" is math: a digit may follow only a body with math syntax.
      (!/[0-9]/.test(after) || /[\\^_{]/.test(body));
    if (!valid) {
      out += s.slice(i, start);
      i = start;
      continue;
    }
    out += s.slice(i, open) + convertMath(body);
    i = close + (double ? 2 : 1);
  }
  return out + s.slice(i);
}

function latexToText(s: string): string {
  if (!/[\\$~`'{-]/.test(s)) return s;
  let out = s.includes('$') ? replaceMathSpans(s) : s;
  // Each rewrite below needs a character that indexOf finds far faster than its regex can fail to match.
  if (out.includes('\\')) {
    for (let i = 0; i < 3; i++) out = out.replace(WRAPPER_RE, '$1').replace(GROUP_FONT_RE, '$1');
    out = out.replace(HREF_RE, '$1');
    out = out.replace(ESCAPED_RE, (_m, c: string) => SYMBOLS.get(c) ?? c);
    out = out.replace(COMMAND_RE, (all, name: string, space: string) => replaceCommand(all, name, space, false));
  }
  if (out.includes('--')) out = out.replace(/---/g, '—').replace(/--/g, '–');
  if (out.includes('``')) out = out.replace(/``/g, '"');
  if (out.includes("''")) out = out.replace(/''/g, '"');
  // A tie between words/abbreviations (Fig.~1) is a space; a leading ~ (~10x) means "about" and stays.
  if (out.includes('~')) out = out.replace(/([\p{L}\p{N}.,:;)])~(?=\S)/gu, '$1 ');
  return out;
}
