import { ASSIGNED_RE } from './attribution';
import { SCORE_NAME_ASSIGNED_RE, scoreNameAssigned } from './filters';
import { endsWithSign } from './numbers';

// endsWithSign guards two end-anchored regexes: whenever a regex matches, the guard must pass (else a
// claim's metric or a score-name filter would silently change).
describe('endsWithSign, the cheap test before the "<name> =" regexes', () => {
  const guardHolds = (s: string): void => {
    if (ASSIGNED_RE.test(s)) expect([s, endsWithSign(s, '=:', true)]).toEqual([s, true]);
    if (SCORE_NAME_ASSIGNED_RE.test(s)) expect([s, scoreNameAssigned(s)]).toEqual([s, true]);
  };

  it('passes after every white space the regexes accept (every UTF-16 code unit tried), with and without "$"', () => {
    for (let c = 0; c < 0x10000; c++) {
      const ch = String.fromCharCode(c);
      for (const s of [
        `F1 =${ch}`,
        `F1 :${ch}`,
        `acc. =${ch}$${ch}`,
        `F1 = $${ch}`,
        `BLEUScore =${ch}`,
        `ROUGE-L =${ch}${ch}`,
      ])
        guardHolds(s);
    }
  });

  it('passes whenever either regex matches on random slices (fixed seed)', () => {
    const alphabet = [
      '=',
      ':',
      '$',
      ' ',
      '\t',
      '\n',
      '\u00a0',
      '\u2009',
      '\u3000',
      '\ufeff',
      '\u0085',
      'a',
      'B',
      'F1',
      'Score',
      '-',
      '@',
      '.',
      'Δ',
      '\u{1F600}',
      'at ',
    ];
    let seed = 19;
    const rand = (n: number): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    for (let t = 0; t < 200_000; t++) {
      let s = '';
      for (let i = rand(10); i > 0; i--) s += alphabet[rand(alphabet.length)];
      guardHolds(s);
    }
  });
});
