import { createHmac } from 'node:crypto';
import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import {
  generateWebhookSecret,
  isValidWebhookSecret,
  signWebhook,
  signingSecrets,
  webhookSecretKey,
} from './webhook-signing';

describe('generateWebhookSecret', () => {
  it('is whsec_ + base64 of 24–64 random bytes, different every time', () => {
    const a = generateWebhookSecret();
    expect(a).toMatch(/^whsec_[A-Za-z0-9+/]+={0,2}$/);
    expect(webhookSecretKey(a)).toHaveLength(32);
    expect(webhookSecretKey(generateWebhookSecret(24))).toHaveLength(24);
    expect(webhookSecretKey(generateWebhookSecret(64))).toHaveLength(64);
    expect(generateWebhookSecret()).not.toBe(a);
    expect(() => generateWebhookSecret(16)).toThrow(RangeError);
    expect(() => generateWebhookSecret(65)).toThrow(RangeError);
    expect(isValidWebhookSecret(a)).toBe(true);
    expect(isValidWebhookSecret('whsec_')).toBe(false);
    expect(isValidWebhookSecret('whsec_not base64!')).toBe(false);
  });
});

describe('signWebhook (verified with the standardwebhooks reference library)', () => {
  const body = JSON.stringify({ type: 'paper.matched', data: { title: 'Ünïcode — “quotes” & <tags>' } });
  const oldSecret = generateWebhookSecret();
  const newSecret = generateWebhookSecret();

  it('sets the three headers with unix-second timestamps', () => {
    const h = signWebhook({
      id: 'msg_1',
      timestamp: new Date('2026-11-24T10:00:00.900Z'),
      body,
      secrets: [newSecret],
    });
    expect(h['webhook-id']).toBe('msg_1');
    expect(h['webhook-timestamp']).toBe(String(Date.UTC(2026, 10, 24, 10) / 1000));
    expect(h['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
  });

  it('one signature per rotated secret, each verifying on its own', () => {
    const h = signWebhook({ id: 'msg_2', timestamp: new Date(), body, secrets: [newSecret, oldSecret] });
    expect(h['webhook-signature']!.split(' ')).toHaveLength(2);
    for (const secret of [newSecret, oldSecret]) {
      expect(new Webhook(secret).verify(body, h)).toEqual(JSON.parse(body));
    }
    // a receiver holding neither secret rejects it
    expect(() => new Webhook(generateWebhookSecret()).verify(body, h)).toThrow(WebhookVerificationError);
  });

  it('produces the same signature as the reference implementation', () => {
    const ts = new Date('2026-11-24T10:00:00Z');
    const h = signWebhook({ id: 'msg_3', timestamp: ts, body, secrets: [oldSecret] });
    expect(h['webhook-signature']).toBe(new Webhook(oldSecret).sign('msg_3', ts, body));
  });

  it('matches the reference library for random ids, times, bodies and secrets (with and without prefix)', () => {
    const chars = ['a', 'Z', '0', ' ', '"', '\\', '\n', 'é', '—', '🙂', '\u0000', '<', '&'];
    for (let i = 0; i < 200; i++) {
      const secret = i % 2 ? generateWebhookSecret(24 + (i % 41)) : generateWebhookSecret().slice('whsec_'.length);
      const text = Array.from({ length: i % 97 }, (_, k) => chars[(i * 7 + k * 13) % chars.length]).join('');
      const b = JSON.stringify({ i, text });
      const ts = new Date(1_600_000_000_000 + i * 86_400_123);
      const h = signWebhook({ id: `msg_${i}_${ts.getTime()}`, timestamp: ts, body: b, secrets: [secret] });
      expect(h['webhook-signature']).toBe(new Webhook(secret).sign(`msg_${i}_${ts.getTime()}`, ts, b));
    }
  });

  it('a tampered body, id or signature fails verification', () => {
    const h = signWebhook({ id: 'msg_4', timestamp: new Date(), body, secrets: [newSecret] });
    const wh = new Webhook(newSecret);
    expect(() => wh.verify(body.replace('paper.matched', 'paper.matcheD'), h)).toThrow(
      'No matching signature found',
    );
    expect(() => wh.verify(`${body} `, h)).toThrow(WebhookVerificationError);
    expect(() => wh.verify(body, { ...h, 'webhook-id': 'msg_5' })).toThrow(WebhookVerificationError);
    const sig = h['webhook-signature']!;
    const flipped = sig.slice(0, 5) + (sig[5] === 'A' ? 'B' : 'A') + sig.slice(6);
    expect(() => wh.verify(body, { ...h, 'webhook-signature': flipped })).toThrow(WebhookVerificationError);
  });

  it('a stale (or future) timestamp fails verification', () => {
    const wh = new Webhook(newSecret);
    const stale = signWebhook({
      id: 'msg_6',
      timestamp: new Date(Date.now() - 10 * 60_000),
      body,
      secrets: [newSecret],
    });
    expect(() => wh.verify(body, stale)).toThrow('Message timestamp too old');
    const future = signWebhook({
      id: 'msg_7',
      timestamp: new Date(Date.now() + 10 * 60_000),
      body,
      secrets: [newSecret],
    });
    expect(() => wh.verify(body, future)).toThrow('Message timestamp too new');
  });

  it('rejects unusable input', () => {
    expect(() => signWebhook({ id: 'm', timestamp: new Date(), body, secrets: [] })).toThrow(/secret/);
    expect(() => signWebhook({ id: 'a b', timestamp: new Date(), body, secrets: [newSecret] })).toThrow(/id/);
    expect(() => signWebhook({ id: 'm', timestamp: new Date(NaN), body, secrets: [newSecret] })).toThrow(
      /timestamp/,
    );
  });
});

describe('webhook signatures stay byte-compatible', () => {
  it('equal the spec HMAC-SHA256 over "id.timestamp.body" with the decoded secret, for non-ASCII bodies too', () => {
    const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
    const body = JSON.stringify({ title: 'Ünïcode — “quotes” & <tags> 🙂', n: 1 });
    const h = signWebhook({ id: 'msg_p5', timestamp: new Date(1_614_265_330_000), body, secrets: [secret] });
    const expected = createHmac('sha256', Buffer.from(secret.slice('whsec_'.length), 'base64'))
      .update(`msg_p5.1614265330.${body}`, 'utf8')
      .digest('base64');
    expect(h).toEqual({
      'webhook-id': 'msg_p5',
      'webhook-timestamp': '1614265330',
      'webhook-signature': `v1,${expected}`,
    });
  });
});

describe('signingSecrets (a rotation\'s grace period)', () => {
  const now = new Date('2026-12-06T12:00:00Z');
  const both = ['whsec_new', 'whsec_old'];
  it('keeps the previous secret until its expiry, then signs with the newest only', () => {
    expect(signingSecrets(both, new Date('2026-12-06T12:00:01Z'), now)).toEqual(both);
    expect(signingSecrets(both, new Date('2026-12-06T12:00:00Z'), now)).toEqual(['whsec_new']);
    expect(signingSecrets(both, '2026-12-05T12:00:00+00:00', now)).toEqual(['whsec_new']); // as to_jsonb gives it
    expect(signingSecrets(both, '2026-12-07T12:00:00+00:00', now)).toEqual(both);
  });
  it('without an expiry (or a previous secret) every stored secret signs', () => {
    expect(signingSecrets(both, null, now)).toEqual(both);
    expect(signingSecrets(both, undefined, now)).toEqual(both);
    expect(signingSecrets(['whsec_only'], new Date('2026-01-01T00:00:00Z'), now)).toEqual(['whsec_only']);
  });
});
