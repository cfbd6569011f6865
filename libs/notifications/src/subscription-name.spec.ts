import { renderConfirmationEmail, renderDigestEmail, renderInstantEmail, type EmailPaper } from './email-render';
import { defaultSubscriptionName, mailedName } from './subscription-name';

describe('a subscription name never carries the subscriber address into mail', () => {
  it('defaults an email subscription to what it sends, a webhook to its endpoint', () => {
    expect(defaultSubscriptionName('email', 'daily', 'reader@example.com')).toBe('Daily digest');
    expect(defaultSubscriptionName('email', 'weekly', 'reader@example.com')).toBe('Weekly digest');
    expect(defaultSubscriptionName('email', 'instant', 'reader@example.com')).toBe('Instant alerts');
    expect(defaultSubscriptionName('webhook', 'instant', 'https://hooks.example/x')).toBe('webhook https://hooks.example/x');
  });

  it('shows a name without any address in it, the fallback when nothing else is left', () => {
    // the old default, rows named before the rule
    expect(mailedName('email reader@example.com', 'Daily digest')).toBe('Daily digest');
    expect(mailedName('Email: Reader.Name+rag@mail.example.co.uk', 'Weekly digest')).toBe('Weekly digest');
    expect(mailedName('RAG papers for <reader@example.com>', 'Daily digest')).toBe('RAG papers for');
    expect(mailedName('RAG (mailto:reader@example.com) feed', 'Daily digest')).toBe('RAG feed');
    // names without an address are kept (one line)
    expect(mailedName('My RAG\n feed', 'Daily digest')).toBe('My RAG feed');
    expect(mailedName('Email alerts: RAG', 'Instant alerts')).toBe('Email alerts: RAG');
    expect(mailedName('@home papers', 'Instant alerts')).toBe('@home papers');
  });

  const paper: EmailPaper = {
    id: 'p1', arxivId: '2611.00001', title: 'Sparse adapters', abstract: 'We cut memory.', authors: [{ name: 'A. Author' }],
    links: { abs: 'https://arxiv.org/abs/2611.00001', pdf: null, code: [], project: [] }, primaryTopic: 'efficiency',
    contribution: null, publishedAt: null, topics: [], claims: [], sources: [], codeLinks: [], headline: null,
  } as unknown as EmailPaper;
  const urls = { unsubscribeUrl: 'https://pw.example/unsubscribe?t=a.b', appUrl: 'https://pw.example/' };
  const old = { id: 's1', name: 'email reader@example.com' };

  it('no digest, instant or confirmation mail shows the address of a subscription named by the old default', () => {
    const digest = renderDigestEmail({
      ...urls,
      subscription: old,
      mode: 'daily',
      period: { start: new Date('2026-12-06T08:00:00Z'), end: new Date('2026-12-07T08:00:00Z') },
      papers: [paper],
    });
    expect(digest.subject).toBe('PaperWire daily digest: 1 new paper (7 Dec 2026)');
    const instant = renderInstantEmail({ ...urls, subscription: old, paper });
    const confirm = renderConfirmationEmail({ confirmUrl: 'https://pw.example/confirm?t=a.b', appUrl: urls.appUrl, subscription: { name: old.name, mode: 'weekly' } });
    expect(confirm.subject).toBe('Confirm your PaperWire subscription “Weekly digest”');
    for (const part of [digest.subject, digest.text, digest.html, instant.subject, instant.text, instant.html, confirm.subject, confirm.text, confirm.html])
      expect(part).not.toContain('reader@example.com');
    expect(digest.text).toContain('You receive this because you subscribed to "Daily digest"');
    expect(instant.text).toContain('New paper for “Instant alerts”');
  });
});
