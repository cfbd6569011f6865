import { formatFailureStreak, formatPaperStages } from './stats';
import { summary } from './up';
import type { PipelineStats } from './stats';

// `npm start`'s summary and `paperwire stats` read "papers 110 (parsed 0, classified 0, extracted 0, notified 110)" as
// if nothing had been parsed: the counts are papers waiting at each stage. Both say so now, in the same words.
describe('papers per stage, as the start-up summary and paperwire stats print them', () => {
  it('says which papers went through every stage and which wait for what', () => {
    expect(formatPaperStages(110, { parsed: 0, classified: 0, extracted: 0, notified: 110 })).toBe(
      '110: 110 through every stage, 0 waiting to be classified, 0 waiting for claim extraction, 0 waiting for subscription matching',
    );
    expect(formatPaperStages(10, { parsed: 4, classified: 3, extracted: 2, notified: 1 })).toBe(
      '10: 1 through every stage, 4 waiting to be classified, 3 waiting for claim extraction, 2 waiting for subscription matching',
    );
    // a stage no paper is at is absent from the counts: 0, not "undefined"
    expect(formatPaperStages(2, { notified: 2 })).toContain('0 waiting to be classified');
  });

  it('the start-up summary uses the same words', () => {
    const s = {
      papers: 5,
      stages: { parsed: 1, classified: 0, extracted: 0, notified: 4 },
      topics: 20,
      paperTopics: 9,
      claims: 3,
      deliveries: {},
      rawDocuments: {},
      failedDocuments: [],
      queues: [],
      sources: [],
    } as unknown as PipelineStats;
    const line = summary(s).split('\n').find((l) => l.startsWith('papers'));
    expect(line).toBe(`papers        ${formatPaperStages(5, s.stages)}`);
    expect(line).not.toMatch(/parsed \d/);
  });
});

// The summary said "retrying 70 … waiting to retry after a failed send" where 64 were deliveries of a paused
// subscription: held by the pause, they are a line of their own, never counted as retries.
describe('deliveries of paused subscriptions in the start-up summary', () => {
  const stats = (deliveries: Record<string, number>) =>
    ({ papers: 0, stages: {}, topics: 0, paperTopics: 0, claims: 0, deliveries, rawDocuments: {}, failedDocuments: [], queues: [], sources: [] }) as unknown as PipelineStats;

  it('says they are held by the pause, and counts only real retries as retries', () => {
    const text = summary(stats({ retrying: 6, held: 64, delivered: 10 }));
    expect(text).toContain('deliveries    retrying 6, held 64, delivered 10');
    expect(text).toContain('retries       6 deliveries waiting to retry after a failed send');
    expect(text).toContain('held          64 deliveries of paused subscriptions (not retried; sent when the subscription is resumed');
    const onlyHeld = summary(stats({ held: 1 }));
    expect(onlyHeld).toContain('held          1 delivery of paused subscriptions');
    expect(onlyHeld).not.toContain('retries ');
  });
});

// The first summary said "failing since … (0 failed polls in a row, …)": a poll still retrying has not failed yet.
describe('a failing source, as the summary and paperwire stats print it', () => {
  it('says the poll is still retrying before any poll failed for good, and counts failed polls after', () => {
    expect(formatFailureStreak({ failingSince: 'T', failedPolls: 0, consecutiveFailures: 3 })).toBe(
      'since T: 3 failed attempts, its poll still retrying',
    );
    expect(formatFailureStreak({ failingSince: 'T', failedPolls: 2, consecutiveFailures: 16 })).toBe(
      'since T: 2 failed polls in a row (16 failed attempts, retries included)',
    );
    // the words of /ops, whatever prints them (the `sources list` table too): one count, one label
    expect(formatFailureStreak({ failingSince: null, failedPolls: 1, consecutiveFailures: 8 })).toBe('1 failed poll in a row (8 failed attempts, retries included)');
    expect(formatFailureStreak({ failingSince: null, failedPolls: 0, consecutiveFailures: 0 })).toBe('none');
  });
});
