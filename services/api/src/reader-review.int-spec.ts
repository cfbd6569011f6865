import 'reflect-metadata';
import { seedPaper, seedSource, seedTopic } from '@paperwire/testing';
import { useTestApi } from './testing/use-test-api';

jest.setTimeout(60_000);

// A demanding reader's review of the public pages: the trending tab's empty state and its window parameter,
// and the way back to the site from the pages mail links open.

const BROWSER_ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';
const ago = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString();

describe('reader review', () => {
  const api = useTestApi('t_reader_review', async ({ ds }) => {
    await seedTopic(ds, 'rag', 'Retrieval-augmented generation');
    const hf = await seedSource(ds, 'hf-daily', 'hf-daily-papers');
    // well upvoted, but it first appeared 32 days ago: older than the longest window
    await seedPaper(ds, {
      title: 'Retrieval agents that plan',
      abstract: 'A retrieval agent improves success by 12% over ReAct.',
      arxivId: '2611.00001',
      topics: [{ slug: 'rag', score: 0.9, primary: true }],
      sightings: [{ sourceId: hf, sourceKind: 'hf-daily-papers', upvotes: 40, comments: 3, featuredAt: ago(32) }],
    });
    // a later day lists only a paper of another topic (no upvotes: not trending)
    await seedTopic(ds, 'speech-audio', 'Speech and audio');
    await seedPaper(ds, {
      title: 'A streaming speech recogniser',
      abstract: 'A streaming recogniser lowers word error rate by 8%.',
      arxivId: '2611.00002',
      topics: [{ slug: 'speech-audio', score: 0.9, primary: true }],
      sightings: [{ sourceId: hf, sourceKind: 'hf-daily-papers', upvotes: 0, featuredAt: ago(2) }],
    });
  });
  const http = api.http;

  describe('the trending tab', () => {
    it('a window the page does not have is the 400 page, as the API answers it with a 400', async () => {
      await http().get('/v1/trending?window=1y').expect(400);
      for (const w of ['1y', '7D', `7d${'x'.repeat(300)}`]) {
        const res = await http().get(`/?tab=trending&window=${encodeURIComponent(w)}`).set('Accept', BROWSER_ACCEPT);
        expect({ w: w.slice(0, 10), status: res.status }).toEqual({ w: w.slice(0, 10), status: 400 });
        expect(res.headers['content-type']).toMatch(/text\/html/);
        expect(res.text).toContain('<h1>No such window</h1>');
        expect(res.text).toContain('24h, 7d, 30d');
        expect(res.text).not.toContain('Trending papers of the');
      }
      // the page's own windows, and none given (or given empty), are listings
      for (const q of ['tab=trending', 'tab=trending&window=', 'tab=trending&window=24h', 'tab=trending&window=30d'])
        expect({ q, status: (await http().get(`/?${q}`)).status }).toEqual({ q, status: 200 });
      // a window beside another tab is not read, as a date beside the trending tab is not
      await http().get('/?window=1y&date=2026-01-07').expect(200);
    });

    // The only paper with upvotes first appeared 32 days ago: the last 30 days are empty too, so the empty 7-day
    // window does not send the reader there, only to the Daily tab (which lists it).
    it('empty although an older paper has upvotes: says which window, offers the Daily tab and no empty window', async () => {
      const week = (await http().get('/?tab=trending').expect(200)).text;
      const empty = /data-testid="empty">([^<]*)</.exec(week)?.[1] ?? '';
      expect(empty).toContain('in the last 7 days');
      expect(empty).toContain('the papers listed in the last 7 days');
      expect((await http().get('/?tab=trending&window=30d').expect(200)).text).toContain('data-testid="empty"');
      expect(week).not.toContain('data-testid="empty-longest"');
      expect(week).toContain('href="/" data-testid="empty-daily"');
      const month = (await http().get('/?tab=trending&window=30d&topic=rag').expect(200)).text;
      expect(/data-testid="empty">([^<]*)</.exec(month)?.[1]).toContain('in “Retrieval-augmented generation” in the last 30 days');
      expect(month).not.toContain('data-testid="empty-longest"');
      expect(month).toContain('href="/?topic=rag" data-testid="empty-daily"');
      // the Daily tab it points to does list the paper, on the day it appeared
      const day = ago(32).slice(0, 10);
      expect((await http().get(`/?date=${day}`).expect(200)).text).toContain('Retrieval agents that plan');
    });
  });

  describe('a topic picked on the latest day', () => {
    it('opens on that topic\'s latest day, not on a later day without its papers; a day the reader named is kept', async () => {
      const older = ago(32).slice(0, 10);
      const latest = ago(2).slice(0, 10);
      const home = (await http().get('/').expect(200)).text;
      expect(home).toContain('A streaming speech recogniser');
      // the filter form of the default day carries no date: picking a topic opens on its own latest day
      const form = /<form class="filters"[^>]*>([\s\S]*?)<\/form>/.exec(home)?.[1] ?? '';
      expect(form).toContain('name="topic"');
      expect(form).not.toContain('name="date"');
      const rag = (await http().get('/?topic=rag').expect(200)).text;
      expect(rag).toContain('Retrieval agents that plan');
      expect(rag).toContain(`value="${older}"`);
      expect(rag).not.toContain('A streaming speech recogniser');
      // the API's day listing opens on the same day
      const daily = (await http().get('/v1/daily?topic=rag').expect(200)).body as { date: string; items: { title: string }[] };
      expect(daily.date).toBe(older);
      expect(daily.items.map((i) => i.title)).toEqual(['Retrieval agents that plan']);
      // a day the reader named stays named when the topic changes (and that day is what the page lists)
      const named = (await http().get(`/?date=${latest}`).expect(200)).text;
      expect(/<form class="filters"[^>]*>([\s\S]*?)<\/form>/.exec(named)?.[1]).toContain(`name="date" value="${latest}"`);
      const namedRag = (await http().get(`/?date=${latest}&topic=rag`).expect(200)).text;
      expect(namedRag).not.toContain('Retrieval agents that plan');
      expect(namedRag).toContain('No papers in “Retrieval-augmented generation” on this day.');
    });
  });

  describe('pages opened from mail links', () => {
    it.each(['/v1/subscriptions/confirm', '/v1/unsubscribe', '/digests/00000000-0000-4000-8000-000000000001'])('%s links back to the site', async (path) => {
      const res = await http().get(`${path}?t=not-a-token`).set('Accept', BROWSER_ACCEPT).expect(400);
      expect(res.headers['content-type']).toMatch(/text\/html/);
      expect(res.text).toContain('This link does not work');
      // what the reader can do themselves: nobody can be asked for a new link
      expect(res.text).not.toContain('ask for a new one');
      expect(res.text).toMatch(/subscribe again with the form|unsubscribe link of a newer email|link in a newer digest/);
      expect(res.text).toMatch(/<a href="\/"[^>]*>Back to the Daily Papers<\/a>/);
    });
  });
});
