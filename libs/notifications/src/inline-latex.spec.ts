import fc from 'fast-check';
import { escapeHtml } from './html';
import { abstractHtml, abstractText, titleHtml, titleText } from './inline-latex';

const TAG = /<\/?(sup|sub)>/g;

/** The output's tags, in order, nest properly (every one we add is closed, in order). */
function balanced(html: string): boolean {
  const stack: string[] = [];
  for (const m of html.matchAll(TAG)) {
    if (m[0][1] !== '/') stack.push(m[1]);
    else if (stack.pop() !== m[1]) return false;
  }
  return stack.length === 0;
}

describe('titleHtml: inline LaTeX in titles as plain text', () => {
  it.each([
    ['$\\times$ faster inference', '× faster inference'],
    ['Attention in $O(n^2)$ time', 'Attention in O(n<sup>2</sup>) time'],
    ['$O(n \\log n)$ sorting', 'O(n log n) sorting'],
    ['$x_{i}^{2}$ and $10^{-3}$', 'x<sub>i</sub><sup>2</sup> and 10<sup>-3</sup>'],
    ['$\\alpha$-entmax and $\\mathcal{O}(1)$ $\\Delta$-updates', 'α-entmax and O(1) Δ-updates'],
    ['\\textbf{Fast} and \\emph{Slow}: a \\textit{$k$NN} study', 'Fast and Slow: a kNN study'],
    ['$\\ell_1$ vs $\\ell_{\\infty}$', 'ℓ<sub>1</sub> vs ℓ<sub>∞</sub>'],
    ['2$\\times$ \\& 3\\% better', '2× &amp; 3% better'],
    ['$\\left( a \\right)$', '( a )'],
  ])('%s', (title, html) => {
    expect(titleHtml(title)).toBe(html);
  });

  // Review 26: "$\times$10" and "$\sim$5" were shown as written (a digit after the closing dollar), and
  // "$\mathcal{O}(n\log n)$" read "O(nlog n)".
  it.each([
    ['Up to $\\times$10 faster', 'Up to ×10 faster'],
    ['$\\sim$5 points better', '∼5 points better'],
    ['$10^{6}$2 tokens', '10<sup>6</sup>2 tokens'],
    ['$\\mathcal{O}(n\\log n)$ attention', 'O(n log n) attention'],
    ['$2\\log n$ and $(\\log n)$ and $\\log_2 n$', '2 log n and (log n) and log<sub>2</sub> n'],
    ['$n\\max_i x_i$', 'n max<sub>i</sub> x<sub>i</sub>'],
    ['Sub-$O(n^2)$ Attention with $\\alpha$-Entmax', 'Sub-O(n<sup>2</sup>) Attention with α-Entmax'],
  ])('%s', (title, html) => {
    expect(titleHtml(title)).toBe(html);
  });

  it('still reads "$5 to $10" as money: a digit after a closing dollar ends math only after math syntax', () => {
    expect(titleHtml('Earn $5 to $10 a day')).toBe('Earn $5 to $10 a day');
    expect(titleText('Pay $x$5 now')).toBe('Pay $x$5 now');
  });

  it('leaves as written (escaped) what it does not understand or is not math', () => {
    for (const t of [
      'Earn $5 to $10 a day',
      'A $\\frac{a}{b}$ rule',
      '$\\constructor$ and $\\toString$',
      'Unclosed $x^{2 term',
      '$x^$',
      'Trailing backslash \\',
      '\\textbf{unclosed',
      '\\section{Not a title font}',
    ])
      expect(titleHtml(t)).toBe(escapeHtml(t));
    expect(titleHtml('Partly $\\frac12$ and $n^2$')).toBe('Partly $\\frac12$ and n<sup>2</sup>');
  });

  it('escapes markup everywhere: in text, in math, in font arguments', () => {
    expect(titleHtml('<script>alert(1)</script> $<img src=x onerror=1>$ \\textbf{"<b>"}')).toBe(
      '&lt;script&gt;alert(1)&lt;/script&gt; &lt;img src=x onerror=1&gt; &quot;&lt;b&gt;&quot;',
    );
    expect(titleHtml('$x^{<b>}$')).toBe('x<sup>&lt;b&gt;</sup>');
    expect(titleHtml('$x^😀$')).toBe('x<sup>😀</sup>');
  });

  it('property: never throws, output is escaped text with only balanced <sup>/<sub>, plain titles unchanged but for escaping', () => {
    const latexish = fc.constantFrom('$', '\\', '{', '}', '^', '_', '~', ' ', 'x', '2', '<', '>', '&', '"', "'", '`', 'times', 'alpha', 'textbf', 'frac', 'left', 'right', '.', '(', ')', '\\times', '\\emph{', '😀', '\uD83D');
    const title = fc.oneof(fc.array(latexish, { maxLength: 40 }).map((a) => a.join('')), fc.string({ unit: 'grapheme', maxLength: 80 }), fc.string({ unit: 'binary', maxLength: 80 }));
    fc.assert(
      fc.property(title, (t) => {
        const html = titleHtml(t);
        expect(balanced(html)).toBe(true);
        const text = html.replace(TAG, '');
        // no raw markup character: each one is an entity of escapeHtml's
        expect(text).not.toMatch(/[<>"'`]/);
        expect(text.replace(/&(amp|lt|gt|quot|#39|#96);/g, '')).not.toContain('&');
        if (!/[$\\]/.test(t)) expect(html).toBe(escapeHtml(t));
      }),
      { numRuns: 3000 },
    );
  });
});

describe('titleText: the same reading as plain text (<title>, og:title)', () => {
  it.each([
    ['Attention in $O(n^2)$ time', 'Attention in O(n²) time'],
    ['$\\times$ faster inference', '× faster inference'],
    ['$x_{i}^{2}$ and $10^{-3}$', 'xᵢ² and 10⁻³'],
    ['$\\ell_1$ vs $\\ell_{\\infty}$', 'ℓ₁ vs ℓ_∞'],
    ['$x^{k+1}$ and $W_{qk}$', 'x^(k+1) and W_(qk)'],
    ['\\textbf{Fast} and \\emph{Slow}: a \\textit{$k$NN} study', 'Fast and Slow: a kNN study'],
    ['2$\\times$ \\& 3\\% better <b>', '2× & 3% better <b>'],
    ['Earn $5 to $10 a day', 'Earn $5 to $10 a day'],
    ['$\\times$10 and $\\mathcal{O}(n\\log n)$', '×10 and O(n log n)'],
  ])('%s', (title, text) => {
    expect(titleText(title)).toBe(text);
  });

  it('is the page heading without its tags wherever the heading has no <sup>/<sub>', () => {
    const unescape = (h: string) => h.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&#96;/g, '`').replace(/&amp;/g, '&');
    for (const t of ['$\\alpha$-entmax and $\\mathcal{O}(1)$ $\\Delta$-updates', 'A $\\frac{a}{b}$ rule', '$\\left( a \\right)$ & "q"', 'Plain <title>'])
      expect(titleText(t)).toBe(unescape(titleHtml(t)));
  });
});

describe('abstractHtml / abstractText: abstracts read as titles are, and as prose', () => {
  it.each([
    ['gains of 2.19\\% in accuracy', 'gains of 2.19% in accuracy'],
    ['new contexts (\\eg text prompts)', 'new contexts (e.g. text prompts)'],
    ['models, \\ie adapters, \\etal{} and \\eg\\ more', 'models, i.e. adapters, et al. and e.g. more'],
    ['as Fig.~1 and Table~2 show', 'as Fig. 1 and Table 2 show'],
    ['a speedup of ~10x', 'a speedup of ~10x'],
    ['at $O(n^2)$ cost, $\\times 3$ faster', 'at O(n²) cost, × 3 faster'],
    ['\\textbf{Bold} claims \\& more', 'Bold claims & more'],
    // unknown commands and words starting like a macro stay as written
    ['\\egress and \\iexplain', '\\egress and \\iexplain'],
    // a math symbol whose "$\\" a feed stripped (Hugging Face summaries): the symbol; words in braces stay
    ['varies by up to {approx}5{times} across categories', 'varies by up to ≈5× across categories'],
    ['{alpha}-tuning with {leq}3 steps', 'α-tuning with ≤3 steps'],
    ['up to 20times faster, 3.09times smaller; 5 times more, 2timesteps', 'up to 20× faster, 3.09× smaller; 5 times more, 2timesteps'],
    ['a set {in} braces, {Fast} {x} {min} {approximately}', 'a set {in} braces, {Fast} {x} {min} {approximately}'],
  ])('%p reads %p', (raw, text) => {
    expect(abstractText(raw)).toBe(text);
  });

  it('escapes everything else, and adds no markup but <sup>/<sub>', () => {
    expect(abstractHtml('<script>x</script> \\eg <b>$n^2$</b> 5\\%')).toBe('&lt;script&gt;x&lt;/script&gt; e.g. &lt;b&gt;n<sup>2</sup>&lt;/b&gt; 5%');
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (s) => {
        const html = abstractHtml(s);
        expect(html.replace(/<\/?(sup|sub)>/g, '')).not.toMatch(/[<>]/);
        // text without LaTeX is only escaped
        if (!/[\\$~]|\{[A-Za-z]+\}|\dtimes/.test(s)) expect(html).toBe(escapeHtml(s));
      }),
    );
  });
});
