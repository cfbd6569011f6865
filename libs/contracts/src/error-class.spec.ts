import { errorClass } from './error-class';

// What the delivery log, /ops and the stats show of a failure is its class. A TLS certificate mismatch was shown as
// `error`: node's TLS and common network errors (as libs/http records them: `<code>: <message> (<host> at <address>)`)
// each get a class that says what failed, and none repeats the host or address the message names.
describe('errorClass of network and TLS failures', () => {
  it.each([
    [
      "ERR_TLS_CERT_ALTNAME_INVALID: Hostname/IP does not match certificate's altnames: Host: hooks.example. is not in the cert's altnames: DNS:other.example (hooks.example at 93.184.215.14)",
      'TLS certificate not valid for the host',
    ],
    ['CERT_HAS_EXPIRED: certificate has expired (hooks.example at 93.184.215.14)', 'TLS certificate expired or not yet valid'],
    ['DEPTH_ZERO_SELF_SIGNED_CERT: self-signed certificate (hooks.example at 93.184.215.14)', 'TLS certificate not trusted'],
    ['SELF_SIGNED_CERT_IN_CHAIN: self-signed certificate in certificate chain', 'TLS certificate not trusted'],
    ['UNABLE_TO_VERIFY_LEAF_SIGNATURE: unable to verify the first certificate', 'TLS certificate not trusted'],
    ['UNABLE_TO_GET_ISSUER_CERT_LOCALLY: unable to get local issuer certificate', 'TLS certificate not trusted'],
    ['EPROTO: 140352:error:1408F10B:SSL routines:ssl3_get_record:wrong version number', 'TLS error'],
    ['ECONNRESET: Client network socket disconnected before secure TLS connection was established', 'TLS error'],
    ['EHOSTUNREACH: connect EHOSTUNREACH 10.1.2.3:443 (hooks.example at 10.1.2.3)', 'host unreachable'],
    ['ENETUNREACH: connect ENETUNREACH 2001:db8::1:443', 'network unreachable'],
    ['EPIPE: write EPIPE', 'connection reset'],
    ['HPE_INVALID_CONSTANT: Parse Error: Expected HTTP/', 'invalid HTTP response'],
    // the classes before them are unchanged
    ['ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:9', 'connection refused'],
    ['ECONNRESET: socket hang up', 'connection reset'],
    ['getaddrinfo ENOTFOUND hooks.example', 'DNS lookup failed'],
    ['something else entirely', 'error'],
  ])('%s → %s', (message, cls) => {
    expect(errorClass(message)).toBe(cls);
  });
});
