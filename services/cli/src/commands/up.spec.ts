import { bundledSampleNames, defaultSources, startupSources } from './up';

// `npm start` fetched every source without a schedule at each start, an operator's on-demand ones too (README: such a
// source is polled only by `sources poll`), and waited for them to be tried. A start polls the bundled samples only.
describe('paperwire up: the sources a start polls and waits for', () => {
  it('polls the bundled samples it registers, not its live sources (their schedule does)', () => {
    const names = bundledSampleNames('/repo');
    expect(names.length).toBeGreaterThan(0);
    for (const s of defaultSources('/repo')) expect(names.includes(s.name)).toBe(s.kind === 'file' && !s.everySeconds);
  });

  it('waits for the sources it polled and the scheduled ones, never an on-demand or disabled one', () => {
    const src = (name: string, everySeconds: number | null, enabled = true, kind = 'arxiv-rss') => ({ name, kind, enabled, everySeconds });
    const waits = startupSources(
      [src('sample-a', null, true, 'file'), src('live', 3600), src('on-demand', null), src('paused-live', 3600, false), src('upload', null, true, 'upload')],
      ['sample-a'],
    );
    expect([...waits].sort()).toEqual(['live', 'sample-a']);
  });
});
