import { parseEmailTarget } from './email-target';

describe('parseEmailTarget', () => {
  it('accepts one plain address and normalises it', () => {
    expect(parseEmailTarget('  Reader.Name+tag@Example.ORG ')).toEqual({ ok: true, address: 'Reader.Name+tag@example.org' });
    expect(parseEmailTarget(`${'a'.repeat(64)}@example.org`).ok).toBe(true);
    expect(parseEmailTarget('x@xn--bcher-kva.example').ok).toBe(true);
  });

  it.each([
    ['no @', 'not-an-email'],
    ['CRLF header injection', 'a@b.co\r\nBcc: injected@example.com'],
    ['a bare LF at the end', 'a@b.co\n'],
    ['a list', 'r1@example.com, r2@example.com'],
    ['a semicolon list', 'r1@example.com;r2@example.com'],
    ['a display name', 'Victim <victim@example.com>'],
    ['angle brackets', '<victim@example.com>'],
    ['two @', 'a@b@example.com'],
    ['a quoted local part', '"a b"@example.com'],
    ['a 65-character local part', `${'a'.repeat(65)}@example.org`],
    ['over 254 characters', `a@${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(63)}.${'e'.repeat(63)}.com`],
    ['no dot in the domain', 'a@localhost'],
    ['a numeric TLD', 'a@1.2.3.4'],
    ['a bidi override', 'a\u202e@example.com'],
    ['a NUL', 'a\u0000@example.com'],
    ['non-ASCII domain', 'a@bücher.example'],
    ['a leading dot', '.a@example.com'],
  ])('refuses %s', (_what, value) => {
    expect(parseEmailTarget(value).ok).toBe(false);
  });

  it('says a missing domain is missing (not an invalid host name)', () => {
    expect(parseEmailTarget('bad@')).toEqual({ ok: false, error: 'the address has no domain after the @ (like reader@example.com)' });
  });

  it('says what is wrong with a domain: no dot, an empty part, a top-level domain that is not letters', () => {
    // "bar" is letters only: the fault is the missing top-level domain, not its characters
    expect(parseEmailTarget('foo@bar')).toEqual({ ok: false, error: 'the domain bar has no dot and so no top-level domain (like reader@bar.com)' });
    expect(parseEmailTarget('foo@bar..com')).toEqual({ ok: false, error: 'the domain bar..com has an empty part (two dots in a row, or a dot at an end)' });
    expect(parseEmailTarget('a@1.2.3.4')).toEqual({ ok: false, error: 'the domain\'s last part (its top-level domain, "4") must be two or more letters (like .com or .org)' });
    expect(parseEmailTarget('a@ex_ample.com')).toEqual({ ok: false, error: 'the domain is not a valid host name (letters, digits, hyphens; punycode for others)' });
  });

  it('refuses non-strings', () => {
    expect(parseEmailTarget(undefined).ok).toBe(false);
    expect(parseEmailTarget(['a@example.org']).ok).toBe(false);
  });
});
