// The one validation of an email subscription target, used by every edge that accepts one (API POST
// and PATCH /v1/subscriptions, the Subscribe form, the CLI): exactly one plain address, within the
// RFC 5321 limits, that cannot smuggle a header or a second recipient into a mail.

export const EMAIL_TARGET_LIMITS = { total: 254, local: 64, domain: 253, label: 63 } as const;

// RFC 5322 dot-atom local part: no quotes, spaces, commas, angle brackets, parentheses or semicolons.
const LOCAL = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
const LABEL = /^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?$/;
const TLD = /^(?:[A-Za-z]{2,63}|xn--[A-Za-z0-9-]{1,59})$/;
// C0/C1 controls (CR, LF, NUL, tab …), DEL, Unicode line/paragraph separators and bidi controls.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

export type EmailTargetResult = { ok: true; address: string } | { ok: false; error: string };

/**
 * Checks one email target; on success returns it normalised (surrounding spaces removed, domain in
 * lower case). Refuses control characters anywhere (a CR/LF would start a new mail header), lists
 * (commas, semicolons, several @), display names and angle brackets, quoted local parts, non-ASCII
 * domains (use the punycode form) and anything over 254 characters or a 64-character local part.
 */
export function parseEmailTarget(raw: unknown): EmailTargetResult {
  if (typeof raw !== 'string') return { ok: false, error: 'an email address must be a string' };
  if (CONTROL.test(raw)) return { ok: false, error: 'an email address cannot contain line breaks or control characters' };
  const value = raw.trim();
  if (value.length === 0) return { ok: false, error: 'an email address is required' };
  if (value.length > EMAIL_TARGET_LIMITS.total)
    return { ok: false, error: `an email address has at most ${EMAIL_TARGET_LIMITS.total} characters` };
  if (/[,;<>"()\s]/.test(value))
    return { ok: false, error: 'one plain address only (no lists, display names, quotes or angle brackets)' };
  const at = value.indexOf('@');
  if (at <= 0 || at !== value.lastIndexOf('@'))
    return { ok: false, error: 'an email address has exactly one @ with a local part before it' };
  const local = value.slice(0, at);
  const domain = value.slice(at + 1).toLowerCase();
  if (local.length > EMAIL_TARGET_LIMITS.local)
    return { ok: false, error: `the part before @ has at most ${EMAIL_TARGET_LIMITS.local} characters` };
  if (!LOCAL.test(local)) return { ok: false, error: 'the part before @ is not a plain address' };
  if (domain.length === 0) return { ok: false, error: 'the address has no domain after the @ (like reader@example.com)' };
  const labels = domain.split('.');
  // what is wrong, said as such: a domain of letters only is refused for its missing top-level domain, not its letters
  if (domain.length > EMAIL_TARGET_LIMITS.domain) return { ok: false, error: `the domain has at most ${EMAIL_TARGET_LIMITS.domain} characters` };
  if (labels.length < 2) return { ok: false, error: `the domain ${domain} has no dot and so no top-level domain (like reader@${domain}.com)` };
  if (labels.some((l) => l.length === 0)) return { ok: false, error: `the domain ${domain} has an empty part (two dots in a row, or a dot at an end)` };
  if (labels.some((l) => l.length > EMAIL_TARGET_LIMITS.label || !LABEL.test(l)))
    return { ok: false, error: 'the domain is not a valid host name (letters, digits, hyphens; punycode for others)' };
  if (!TLD.test(labels[labels.length - 1]!))
    return { ok: false, error: `the domain's last part (its top-level domain, "${labels[labels.length - 1]}") must be two or more letters (like .com or .org)` };
  return { ok: true, address: `${local}@${domain}` };
}
