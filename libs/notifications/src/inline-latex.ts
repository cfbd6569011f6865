import { escapeHtml } from './html';

// Titles with inline LaTeX ("$O(n^2)$ attention", "$\times$", "\textbf{Fast}") as PaperWire's pages and mails show them:
// a small plain-text rendering on the server (the pages' CSP forbids scripts), never a change to stored
// data, feeds or the API. Every character of the input is escaped; the only markup added is <sup>/<sub>.
// A math segment holding anything not understood here is shown as it was written (escaped), whole.
// The same reading as plain text (titleText) is what <title> and the OpenGraph tags carry.

const SYMBOLS: Record<string, string> = {
  times: '×', cdot: '·', pm: '±', mp: '∓', div: '÷', ast: '∗', star: '⋆', circ: '∘', bullet: '•',
  leq: '≤', le: '≤', geq: '≥', ge: '≥', neq: '≠', ne: '≠', approx: '≈', sim: '∼', simeq: '≃', equiv: '≡', propto: '∝',
  ll: '≪', gg: '≫', infty: '∞', partial: '∂', nabla: '∇', sum: '∑', prod: '∏', int: '∫', sqrt: '√',
  to: '→', rightarrow: '→', leftarrow: '←', leftrightarrow: '↔', Rightarrow: '⇒', Leftarrow: '⇐', Leftrightarrow: '⇔',
  mapsto: '↦', uparrow: '↑', downarrow: '↓', in: '∈', notin: '∉', subset: '⊂', subseteq: '⊆', cup: '∪', cap: '∩',
  forall: '∀', exists: '∃', emptyset: '∅', neg: '¬', wedge: '∧', vee: '∨', oplus: '⊕', otimes: '⊗',
  ell: 'ℓ', hbar: 'ℏ', dots: '…', ldots: '…', cdots: '⋯', prime: '′', deg: '°', langle: '⟨', rangle: '⟩',
  alpha: 'α', beta: 'β', gamma: 'γ', delta: 'δ', epsilon: 'ϵ', varepsilon: 'ε', zeta: 'ζ', eta: 'η', theta: 'θ',
  vartheta: 'ϑ', iota: 'ι', kappa: 'κ', lambda: 'λ', mu: 'μ', nu: 'ν', xi: 'ξ', pi: 'π', varpi: 'ϖ', rho: 'ρ',
  varrho: 'ϱ', sigma: 'σ', varsigma: 'ς', tau: 'τ', upsilon: 'υ', phi: 'ϕ', varphi: 'φ', chi: 'χ', psi: 'ψ', omega: 'ω',
  Gamma: 'Γ', Delta: 'Δ', Theta: 'Θ', Lambda: 'Λ', Xi: 'Ξ', Pi: 'Π', Sigma: 'Σ', Upsilon: 'Υ', Phi: 'Φ', Psi: 'Ψ', Omega: 'Ω',
  log: 'log', exp: 'exp', max: 'max', min: 'min', sin: 'sin', cos: 'cos', lim: 'lim', arg: 'arg',
  ln: 'ln', tan: 'tan', det: 'det', dim: 'dim', ker: 'ker', gcd: 'gcd',
};

/** Operator names (\log, \max …): set apart from a letter, digit or bracket written against them, as LaTeX spaces them ("n\log n" is "n log n"). */
const OPERATORS = new Set(['log', 'exp', 'max', 'min', 'sin', 'cos', 'lim', 'arg', 'ln', 'tan', 'det', 'dim', 'ker', 'gcd']);
const OPERAND = /[\p{L}\p{N})\]}]/u;

/** Commands whose one argument is shown as plain text (fonts, \text, \operatorname). */
const FONTS = new Set([
  'mathrm', 'mathbf', 'mathit', 'mathcal', 'mathbb', 'mathsf', 'mathtt', 'mathfrak', 'boldsymbol', 'bm', 'operatorname',
  'text', 'textbf', 'textit', 'textrm', 'textsf', 'texttt', 'textsc', 'emph', 'hat', 'bar', 'tilde', 'vec', 'widetilde', 'overline',
]);
/** Text-mode commands outside math that are stripped to their argument. */
const TEXT_FONTS = new Set(['textbf', 'textit', 'textrm', 'textsf', 'texttt', 'textsc', 'emph', 'text']);
const SPACES: Record<string, string> = { ',': ' ', ';': ' ', ':': ' ', ' ': ' ', '!': '', quad: ' ', qquad: ' ' };
const ESCAPED = new Set(['{', '}', '%', '$', '&', '#', '_']);
/** \left( … \right): the delimiters alone. */
const SIZES = new Set(['left', 'right', 'big', 'Big', 'bigg', 'Bigg', 'bigl', 'bigr', 'Bigl', 'Bigr']);

const MAX_DEPTH = 8;

class NotUnderstood extends Error {}

/** What the readers write: HTML (escaped text, <sup>/<sub>) or plain text. */
interface Output {
  text(s: string): string;
  script(tag: 'sup' | 'sub', inner: string): string;
}

const HTML: Output = { text: escapeHtml, script: (tag, inner) => `<${tag}>${inner}</${tag}>` };

const SUPERSCRIPT: Record<string, string> = {
  '0': '⁰', '1': '¹', '2': '²', '3': '³', '4': '⁴', '5': '⁵', '6': '⁶', '7': '⁷', '8': '⁸', '9': '⁹',
  '+': '⁺', '-': '⁻', '−': '⁻', '=': '⁼', '(': '⁽', ')': '⁾', n: 'ⁿ', i: 'ⁱ',
};
const SUBSCRIPT: Record<string, string> = {
  '0': '₀', '1': '₁', '2': '₂', '3': '₃', '4': '₄', '5': '₅', '6': '₆', '7': '₇', '8': '₈', '9': '₉',
  '+': '₊', '-': '₋', '−': '₋', '=': '₌', '(': '₍', ')': '₎',
  a: 'ₐ', e: 'ₑ', o: 'ₒ', x: 'ₓ', h: 'ₕ', k: 'ₖ', l: 'ₗ', m: 'ₘ', n: 'ₙ', p: 'ₚ', s: 'ₛ', t: 'ₜ', i: 'ᵢ', j: 'ⱼ',
};

/** n² and x₁ where Unicode has every character's superscript or subscript, else n^(k+1) and x_(ij). */
function plainScript(tag: 'sup' | 'sub', inner: string): string {
  const map = tag === 'sup' ? SUPERSCRIPT : SUBSCRIPT;
  const chars = [...inner];
  if (chars.length > 0 && chars.every((c) => Object.hasOwn(map, c))) return chars.map((c) => map[c]).join('');
  const mark = tag === 'sup' ? '^' : '_';
  return chars.length === 1 ? `${mark}${inner}` : `${mark}(${inner})`;
}

const PLAIN: Output = { text: (s) => s, script: plainScript };

const LETTERS = /[A-Za-z]+/y;

/** The name of the command whose backslash precedes `at`: its letters, else the one character there. */
function commandName(s: string, at: number): string | undefined {
  LETTERS.lastIndex = at;
  return LETTERS.exec(s)?.[0] ?? s[at];
}

/** A recursive reader of one math segment's source; throws NotUnderstood on anything else. */
class MathReader {
  private i = 0;
  constructor(
    private readonly s: string,
    private readonly out: Output,
  ) {}

  /** The whole segment as the output's text. */
  all(): string {
    const html = this.seq(0);
    if (this.i < this.s.length) throw new NotUnderstood();
    return html;
  }

  /** Atoms up to a closing brace (left for the caller) or the end. */
  private seq(depth: number): string {
    if (depth > MAX_DEPTH) throw new NotUnderstood();
    let out = '';
    while (this.i < this.s.length && this.s[this.i] !== '}') out += this.atom(depth);
    return out;
  }

  private group(depth: number): string {
    this.i++; // {
    const html = this.seq(depth + 1);
    if (this.s[this.i] !== '}') throw new NotUnderstood();
    this.i++;
    return html;
  }

  /** One argument: a {group}, a command, or one character. */
  private argument(depth: number): string {
    while (this.s[this.i] === ' ') this.i++;
    if (this.i >= this.s.length || this.s[this.i] === '}' || this.s[this.i] === '^' || this.s[this.i] === '_') throw new NotUnderstood();
    return this.atom(depth + 1);
  }

  private atom(depth: number): string {
    const c = this.s[this.i];
    if (c === '{') return this.group(depth);
    if (c === '^' || c === '_') {
      this.i++;
      return this.out.script(c === '^' ? 'sup' : 'sub', this.argument(depth));
    }
    if (c === '\\') return this.command(depth);
    if (c === '~') {
      this.i++;
      return ' ';
    }
    // one code point (a character outside the BMP is two code units)
    const ch = String.fromCodePoint(this.s.codePointAt(this.i) ?? 0xfffd);
    this.i += ch.length;
    return this.out.text(ch);
  }

  private command(depth: number): string {
    this.i++; // backslash
    const name = commandName(this.s, this.i);
    if (name === undefined) throw new NotUnderstood();
    this.i += name.length;
    if (Object.hasOwn(SPACES, name)) return SPACES[name];
    if (ESCAPED.has(name)) return this.out.text(name);
    if (OPERATORS.has(name)) {
      const before = this.s[this.i - name.length - 2];
      const after = this.s[this.i];
      return `${before !== undefined && OPERAND.test(before) ? ' ' : ''}${SYMBOLS[name]}${after !== undefined && /[\p{L}\p{N}]/u.test(after) ? ' ' : ''}`;
    }
    if (Object.hasOwn(SYMBOLS, name)) return SYMBOLS[name];
    if (FONTS.has(name)) return this.argument(depth);
    if (SIZES.has(name)) {
      // the delimiter that follows (a character, or \{ \} \langle …), shown as itself
      while (this.s[this.i] === ' ') this.i++;
      if (this.s[this.i] === '.') {
        this.i++;
        return '';
      }
      return this.argument(depth);
    }
    throw new NotUnderstood();
  }
}

/** One math segment's output, or null when something in it is not understood. */
function mathText(src: string, out: Output): string | null {
  try {
    return new MathReader(src, out).all();
  } catch (e) {
    if (e instanceof NotUnderstood) return null;
    throw e;
  }
}

/** The index of the brace closing the one at `open`, or -1 (a backslash escapes a brace). */
function closingBrace(s: string, open: number): number {
  let depth = 0;
  for (let i = open; i < s.length; i++) {
    const c = s[i];
    if (c === '\\') i++;
    else if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return i;
  }
  return -1;
}

/**
 * Where a `$` at `open` closes, or -1. As pandoc reads dollars: the opening one is followed by a non-space,
 * the closing one follows a non-space and is not followed by a digit ("$5 to $10" is no math), unless the body has
 * math syntax (a command, ^, _ or a brace: "$\times$10", "$\sim$5"), as the stored text's reading has it
 * (normalizeText in @paperwire/feeds), so a title reads the same whichever of the two read it.
 */
function closingDollar(s: string, open: number): number {
  if (open + 1 >= s.length || /\s|\$/.test(s[open + 1])) return -1;
  for (let i = open + 1; i < s.length; i++) {
    const c = s[i];
    if (c === '\\') i++;
    else if (c === '$') {
      if (/\s/.test(s[i - 1])) return -1;
      return /[0-9]/.test(s[i + 1] ?? '') && !/[\\^_{]/.test(s.slice(open + 1, i)) ? -1 : i;
    }
  }
  return -1;
}

/** Text macros of abstracts (\eg, \ie, \etal), shown as their words. */
const PROSE_MACROS: Readonly<Record<string, string>> = { eg: 'e.g.', ie: 'i.e.', etal: 'et al.', etc: 'etc.', vs: 'vs.', cf: 'cf.', wrt: 'w.r.t.' };
/** A tie (~) between a word, number or punctuation and what follows ("Fig.~1"); a ~ before a number elsewhere means "about". */
const TIE_BEFORE = /[\p{L}\p{N}.,:;)\]]/u;
/**
 * "{approx}5{times}" in an abstract (titles keep their braces): a math symbol whose "$\" and "$" a feed stripped
 * (Hugging Face's summaries of "$\approx$5$\times$"), read as the symbol. Only names no English text writes in
 * braces: the symbols of SYMBOLS less the words and function names among them.
 */
const BRACED_WORDS = new Set([
  'in', 'to', 'int', 'log', 'exp', 'max', 'min', 'sin', 'cos', 'lim', 'arg', 'star', 'prime', 'ell', 'deg', 'circ',
  'bullet', 'dots', 'ldots', 'cdots', 'neg', 'cup', 'cap', 'ne', 'le', 'ge', 'll', 'gg', 'sum', 'prod', 'mu', 'pi',
  'nu', 'xi', 'eta', 'chi', 'phi', 'psi',
]);
const BRACED_SYMBOL = /\{([A-Za-z]+)\}/y;
/** a number written straight against "times" (20times, 3.09times): a stripped $\times$ */
const STRIPPED_TIMES = /(\d)times(?![A-Za-z])/g;

/** The symbol a stripped "{name}" at `at` stands for, and its length; null when it is not one. */
function bracedSymbol(s: string, at: number): { symbol: string; length: number } | null {
  BRACED_SYMBOL.lastIndex = at;
  const m = BRACED_SYMBOL.exec(s);
  if (!m || BRACED_WORDS.has(m[1]) || !Object.hasOwn(SYMBOLS, m[1])) return null;
  return { symbol: SYMBOLS[m[1]], length: m[0].length };
}

function render(s: string, depth: number, to: Output, prose = false): string {
  let out = '';
  let i = 0;
  while (i < s.length) {
    const c = s[i];
    if (prose && c === '~') {
      const tie = i > 0 && TIE_BEFORE.test(s[i - 1]) && i + 1 < s.length && !/\s/.test(s[i + 1]);
      out += tie ? ' ' : to.text(c);
      i++;
      continue;
    }
    if (prose && c === '{') {
      const stripped = bracedSymbol(s, i);
      out += to.text(stripped ? stripped.symbol : c);
      i += stripped ? stripped.length : 1;
      continue;
    }
    if (c === '$') {
      const end = closingDollar(s, i);
      const html = end > 0 ? mathText(s.slice(i + 1, end), to) : null;
      if (end > 0 && html !== null) {
        out += html;
        i = end + 1;
        continue;
      }
      // Not math (or not understood): shown as written, up to its closing dollar when there is one.
      const upTo = end > 0 ? end + 1 : i + 1;
      out += to.text(s.slice(i, upTo));
      i = upTo;
      continue;
    }
    if (c === '\\') {
      const name = commandName(s, i + 1);
      if (prose && name && Object.hasOwn(PROSE_MACROS, name) && !/[A-Za-z]/.test(s[i + 1 + name.length] ?? '')) {
        // \eg, \eg{} and \eg\ : the words, and the space that follows as written
        out += to.text(PROSE_MACROS[name]);
        i += 1 + name.length;
        if (s.startsWith('{}', i)) i += 2;
        else if (s.startsWith('\\ ', i)) i += 1;
        continue;
      }
      if (name && TEXT_FONTS.has(name) && s[i + 1 + name.length] === '{' && depth < MAX_DEPTH) {
        const open = i + 1 + name.length;
        const close = closingBrace(s, open);
        if (close > 0) {
          out += render(s.slice(open + 1, close), depth + 1, to, prose);
          i = close + 1;
          continue;
        }
      }
      const next = s[i + 1];
      if (next !== undefined && ESCAPED.has(next) && next !== '{' && next !== '}') {
        out += to.text(next);
        i += 2;
        continue;
      }
    }
    // up to the next dollar or backslash (or tie, in prose), escaped at once
    let j = i + 1;
    while (j < s.length && s[j] !== '$' && s[j] !== '\\' && !(prose && (s[j] === '~' || s[j] === '{'))) j++;
    // "20times" in an abstract: "20$\times$" whose "$\" and "$" a feed stripped (no English text writes it so)
    out += to.text(prose ? s.slice(i, j).replace(STRIPPED_TIMES, '$1×') : s.slice(i, j));
    i = j;
  }
  return out;
}

/**
 * A paper title as HTML for PaperWire's pages: inline math ($…$) rendered as plain text (× for \times, Greek
 * letters, ^{…} and _{…} as <sup>/<sub>), \textbf{…} and \emph{…} stripped to their text, everything
 * else escaped as it was. Never throws; the output's only tags are <sup>, </sup>, <sub> and </sub>.
 */
export function titleHtml(title: string): string {
  return render(title, 0, HTML);
}

/**
 * The same reading of a title as plain text, for <title>, OpenGraph tags and descriptions (escape it there):
 * "Attention in $O(n^2)$ time" is "Attention in O(n²) time"; a script Unicode has no characters for is written
 * ^(…) or _(…); a math segment not understood stays as written, as on the page.
 */
export function titleText(title: string): string {
  return render(title, 0, PLAIN);
}

/**
 * An abstract (or a part of one) as HTML for PaperWire's pages, read as titles are (titleHtml: inline math, escaped
 * \% \& \_ \#, \textbf{…} and \emph{…} to their text) and as prose: \eg, \ie, \etal as their words, a tie
 * (Fig.~1) as a space. The stored abstract is never changed (claim offsets point into it); every character is
 * escaped, the only markup added is <sup>/<sub>.
 */
export function abstractHtml(abstract: string): string {
  return render(abstract, 0, HTML, true);
}

/** The same reading of an abstract as plain text: feeds' text, descriptions and card previews (escape it there). */
export function abstractText(abstract: string): string {
  return render(abstract, 0, PLAIN, true);
}
