import type { DeliveryLogRow } from '@paperwire/db';
import { toDeliveryLogEntry } from './subscriptions';

const row = (over: Partial<DeliveryLogRow>): DeliveryLogRow => ({
  id: '6c1d0a4e-0000-4000-8000-000000000001',
  paper_id: '0b7e0a4e-0000-4000-8000-000000000002',
  digest_key: null,
  status: 'pending',
  attempts: 0,
  earlier_attempts: 0,
  redeliveries: 0,
  last_status_code: null,
  last_error: null,
  next_attempt_at: null,
  delivered_at: null,
  created_at: new Date('2026-12-07T06:00:00Z'),
  updated_at: new Date('2026-12-07T06:00:00Z'),
  page_at: '2026-12-07 06:00:00+00',
  paper_ref: null,
  ...over,
});

describe('toDeliveryLogEntry (what the owner sees of a delivery)', () => {
  it('names the status by what happened: pending, retrying (also while in flight), delivered, failed, skipped', () => {
    const at = new Date('2026-12-07T07:00:00Z');
    expect(toDeliveryLogEntry(row({})).status).toBe('pending');
    expect(toDeliveryLogEntry(row({ status: 'sending', attempts: 1 })).status).toBe('pending');
    expect(toDeliveryLogEntry(row({ attempts: 1, next_attempt_at: at }))).toMatchObject({
      status: 'retrying',
      nextAttemptAt: at.toISOString(),
    });
    expect(toDeliveryLogEntry(row({ status: 'sending', attempts: 2, next_attempt_at: at }))).toMatchObject({
      status: 'retrying',
      nextAttemptAt: null,
    });
    expect(
      toDeliveryLogEntry(row({ status: 'failed', attempts: 15, next_attempt_at: at })).nextAttemptAt,
    ).toBeNull();
    expect(toDeliveryLogEntry(row({ status: 'skipped' })).status).toBe('skipped');
  });

  it('shows the class of the last error, never its text (addresses, hosts, bodies)', () => {
    const refused = row({
      status: 'failed',
      attempts: 1,
      last_error: 'refused: http://10.1.2.3:8080/x resolves to non-public address 10.1.2.3',
    });
    expect(toDeliveryLogEntry(refused).lastError).toBe('address refused');
    const reset = row({ attempts: 1, last_error: 'socket hang up at internal-proxy.corp:3128' });
    expect(toDeliveryLogEntry(reset).lastError).toBe('connection reset');
    const http = row({ attempts: 1, last_status_code: 503, last_error: 'HTTP 503' });
    expect(toDeliveryLogEntry(http)).toMatchObject({ lastError: 'HTTP 503', lastHttpStatus: 503 });
    const odd = row({
      status: 'failed',
      attempts: 1,
      last_error: 'Error: ENOMEM at /srv/paperwire/dist/x.js:12',
    });
    expect(toDeliveryLogEntry(odd).lastError).toBe('error');
    expect(
      toDeliveryLogEntry(
        row({ status: 'delivered', attempts: 2, last_error: 'HTTP 500', last_status_code: 200 }),
      ).lastError,
    ).toBeNull();
  });

  it('names the event: paper.matched, digest.ready, subscription.confirmation', () => {
    expect(toDeliveryLogEntry(row({})).eventType).toBe('paper.matched');
    expect(toDeliveryLogEntry(row({ paper_id: null, digest_key: '2026-W49' })).eventType).toBe(
      'digest.ready',
    );
    expect(toDeliveryLogEntry(row({ paper_id: null, digest_key: 'confirm' })).eventType).toBe(
      'subscription.confirmation',
    );
  });
});
