import {
  TOKEN_LIFETIME_S,
  signToken,
  targetHash,
  tokenMailedTo,
  verifyToken,
  type VerifiedToken,
} from './signed-token';

const SECRET = 'a-long-enough-test-secret-123';

describe('signToken / verifyToken', () => {
  it('round-trips the subject for the right purpose', () => {
    const t = signToken({ sub: 'sub-1', purpose: 'unsubscribe' }, SECRET);
    expect(t).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    expect(verifyToken(t, SECRET, 'unsubscribe')).toEqual({ sub: 'sub-1' });
  });

  it('rejects the other purpose, another secret and a tampered payload or signature', () => {
    const t = signToken({ sub: 'sub-1', purpose: 'confirm' }, SECRET);
    expect(verifyToken(t, SECRET, 'unsubscribe')).toBeNull();
    expect(verifyToken(t, `${SECRET}x`, 'confirm')).toBeNull();
    const [body, sig] = t.split('.') as [string, string];
    const forged = Buffer.from(JSON.stringify({ sub: 'sub-2', purpose: 'confirm' })).toString('base64url');
    expect(verifyToken(`${forged}.${sig}`, SECRET, 'confirm')).toBeNull();
    const flipped = sig.slice(0, -2) + (sig.at(-2) === 'A' ? 'B' : 'A') + sig.at(-1);
    expect(verifyToken(`${body}.${flipped}`, SECRET, 'confirm')).toBeNull();
    expect(verifyToken(`${body}.${sig.slice(0, -4)}`, SECRET, 'confirm')).toBeNull();
  });

  it('a digest token opens only a digest page: no other purpose accepts it, nor it another purpose', () => {
    const t = signToken({ sub: 'delivery-1', purpose: 'digest' }, SECRET);
    expect(verifyToken(t, SECRET, 'digest')).toEqual({ sub: 'delivery-1' });
    expect(verifyToken(t, SECRET, 'unsubscribe')).toBeNull();
    expect(verifyToken(t, SECRET, 'confirm')).toBeNull();
    expect(verifyToken(signToken({ sub: 'delivery-1', purpose: 'unsubscribe' }, SECRET), SECRET, 'digest')).toBeNull();
    // signed with a fixed exp (the digest's creation + a year), the same token every time
    const exp = Date.UTC(2027, 11, 7) / 1000;
    expect(signToken({ sub: 'd', purpose: 'digest', exp }, SECRET)).toBe(signToken({ sub: 'd', purpose: 'digest', exp }, SECRET));
  });

  it('expires at exp', () => {
    const exp = Date.UTC(2026, 10, 25) / 1000;
    const t = signToken({ sub: 's', purpose: 'confirm', exp }, SECRET);
    expect(verifyToken(t, SECRET, 'confirm', new Date((exp - 1) * 1000))).toEqual({ sub: 's' });
    expect(verifyToken(t, SECRET, 'confirm', new Date(exp * 1000))).toBeNull();
  });

  it('returns null (never throws) on garbage', () => {
    for (const junk of ['', '.', 'abc', 'a.b.c', '!!.??', `${'a'.repeat(3000)}.b`]) {
      expect(verifyToken(junk, SECRET, 'confirm')).toBeNull();
    }
    // authentic signature over a body that is not a payload
    const sigOnly = signToken({ sub: 'x', purpose: 'confirm' }, SECRET).split('.')[1];
    expect(verifyToken(`e30.${sigOnly}`, SECRET, 'confirm')).toBeNull();
  });

  it('refuses short secrets', () => {
    expect(() => signToken({ sub: 's', purpose: 'confirm' }, 'short')).toThrow(/secret/);
  });
});

describe('signToken / verifyToken after issue #14', () => {
  const now = new Date(Date.UTC(2026, 11, 1));
  const nowS = Math.floor(now.getTime() / 1000);

  it('gives every token an expiry and refuses one without, or one beyond the purpose maximum', () => {
    const t = signToken({ sub: 's', purpose: 'confirm' }, SECRET, now);
    const claims = JSON.parse(Buffer.from(t.split('.')[0]!, 'base64url').toString('utf8')) as { exp: number };
    expect(claims.exp).toBe(nowS + TOKEN_LIFETIME_S.confirm.default);
    expect(verifyToken(t, SECRET, 'confirm', now)).toEqual({ sub: 's' });
    const far = signToken(
      { sub: 's', purpose: 'confirm', exp: nowS + TOKEN_LIFETIME_S.confirm.max + 60 },
      SECRET,
      now,
    );
    expect(verifyToken(far, SECRET, 'confirm', now)).toBeNull();
    const unsub = signToken({ sub: 's', purpose: 'unsubscribe' }, SECRET, now);
    expect(verifyToken(unsub, SECRET, 'unsubscribe', new Date((nowS + 364 * 86400) * 1000))).toEqual({
      sub: 's',
    });
    expect(verifyToken(unsub, SECRET, 'unsubscribe', new Date((nowS + 366 * 86400) * 1000))).toBeNull();
  });

  it('verifies with any of several secrets (rotation) and carries the bound target', () => {
    const previous = 'the-previous-secret-0123456789';
    const t = signToken({ sub: 's', purpose: 'confirm', tgt: targetHash('A@Example.org ') }, previous, now);
    expect(verifyToken(t, SECRET, 'confirm', now)).toBeNull();
    expect(verifyToken(t, [SECRET, previous], 'confirm', now)).toEqual({
      sub: 's',
      tgt: targetHash('a@example.org'),
    });
    expect(targetHash('a@example.org')).not.toBe(targetHash('b@example.org'));
  });
});

describe('tokenMailedTo: a link acts only at the address it was mailed to', () => {
  const bound: VerifiedToken = { sub: 's', tgt: targetHash('now@example.org') };
  const unbound: VerifiedToken = { sub: 's' };
  it.each([true, false])(
    'a bound token matches its address (any case, spaces) and no other (requireTarget %p)',
    (requireTarget) => {
      expect(tokenMailedTo(bound, ' Now@Example.org', { requireTarget })).toBe(true);
      expect(tokenMailedTo(bound, 'earlier@example.org', { requireTarget })).toBe(false);
    },
  );

  it('a token without an address: refused when one is required (confirm), accepted otherwise (legacy unsubscribe)', () => {
    expect(tokenMailedTo(unbound, 'now@example.org', { requireTarget: true })).toBe(false);
    expect(tokenMailedTo(unbound, 'now@example.org', { requireTarget: false })).toBe(true);
  });
});
