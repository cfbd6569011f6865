import { Webhook } from 'standardwebhooks';
import { verifyStandardWebhook } from './chaos-harness';

// The checker's time-independent signature check agrees with the standardwebhooks reference.
describe('verifyStandardWebhook', () => {
  const secret = `whsec_${Buffer.from('0123456789abcdef0123456789abcdef').toString('base64')}`;
  const wh = new Webhook(secret);
  const body = JSON.stringify({ type: 'paper.matched', data: { paper: { id: 'p1' } } });
  const at = new Date('2026-01-01T00:00:00Z');
  const sig = wh.sign('msg_1', at, body);
  const ts = String(Math.floor(at.getTime() / 1000));

  it('accepts what the reference signs, even long after the timestamp', () => {
    expect(verifyStandardWebhook(secret, 'msg_1', ts, sig, body)).toBe(true);
    expect(verifyStandardWebhook(secret, 'msg_1', ts, `v1,AAAA ${sig}`, body)).toBe(true);
  });

  it('rejects a changed body, id, timestamp or secret', () => {
    expect(verifyStandardWebhook(secret, 'msg_1', ts, sig, body.replace('p1', 'p2'))).toBe(false);
    expect(verifyStandardWebhook(secret, 'msg_2', ts, sig, body)).toBe(false);
    expect(verifyStandardWebhook(secret, 'msg_1', String(Number(ts) + 1), sig, body)).toBe(false);
    expect(
      verifyStandardWebhook(
        `whsec_${Buffer.from('x'.repeat(32)).toString('base64')}`,
        'msg_1',
        ts,
        sig,
        body,
      ),
    ).toBe(false);
  });
});
