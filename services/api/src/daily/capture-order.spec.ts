import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { paperKey, parseDocument } from '@paperwire/feeds';
import { captureOrderOf } from './capture-order';

const SAMPLE = join(__dirname, '../../../../data/sample/daily-papers-sep-1.txt');

describe('captureOrderOf', () => {
  it('gives every paper of the bundled capture its position in the document', () => {
    const body = readFileSync(SAMPLE);
    const { positions } = captureOrderOf(body, 'daily-papers-text');
    const papers = parseDocument({ body, format: 'daily-papers-text' }).papers;
    expect(positions.size).toBe(60);
    expect(papers[0].title).toMatch(/^Cognitive Visual-Language Mapper/);
    expect(positions.get(paperKey(papers[0]))).toBe(0);
    expect(positions.get(paperKey(papers[59]))).toBe(59);
  });

  it('keeps the first position of a paper listed twice', () => {
    const abstract = (n: number) =>
      `This abstract number ${n} is long enough to read like prose. `.repeat(4).trim();
    const text = `Daily Papers\n\nFirst Title\n\n${abstract(1)}\n\nSecond Title\n\n${abstract(2)}\n\nFirst Title\n\n${abstract(3)}\n`;
    const { positions } = captureOrderOf(text, 'daily-papers-text');
    expect([...positions.values()]).toEqual([0, 1]);
  });
});
