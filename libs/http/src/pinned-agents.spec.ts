import { Agent as HttpsAgent } from 'node:https';
import { dropIdleKeepAliveAgents, keepAliveAgentFor, pinnedAgentKey } from './pinned-agents';
import type { CheckedTarget } from './ssrf-guard';

const target = (url: string, address: string): CheckedTarget => {
  const u = new URL(url);
  return { url: u, hostname: u.hostname, address, family: 4 };
};

describe('pinned keep-alive agents', () => {
  afterEach(() => dropIdleKeepAliveAgents());

  it('keys the pool on scheme, host, port and checked address', () => {
    const base = pinnedAgentKey(target('https://hook.example/a', '93.184.216.34'));
    expect(pinnedAgentKey(target('https://hook.example:443/b?x=1', '93.184.216.34'))).toBe(base);
    expect(pinnedAgentKey(target('https://hook.example/a', '93.184.216.35'))).not.toBe(base);
    expect(pinnedAgentKey(target('https://hook.example:8443/a', '93.184.216.34'))).not.toBe(base);
    expect(pinnedAgentKey(target('http://hook.example/a', '93.184.216.34'))).not.toBe(base);
    expect(pinnedAgentKey(target('https://other.example/a', '93.184.216.34'))).not.toBe(base);
  });

  it('hands out one keep-alive agent per key, TLS for https', () => {
    const a = keepAliveAgentFor(target('https://hook.example/a', '93.184.216.34'));
    expect(keepAliveAgentFor(target('https://hook.example/b', '93.184.216.34'))).toBe(a);
    expect(keepAliveAgentFor(target('https://hook.example/a', '93.184.216.35'))).not.toBe(a);
    expect(a).toBeInstanceOf(HttpsAgent);
    expect(keepAliveAgentFor(target('http://hook.example/a', '93.184.216.34'))).not.toBeInstanceOf(
      HttpsAgent,
    );
  });

  it('drops idle agents so a later request gets a new pool', () => {
    const a = keepAliveAgentFor(target('http://hook.example/a', '93.184.216.34'));
    dropIdleKeepAliveAgents();
    expect(keepAliveAgentFor(target('http://hook.example/a', '93.184.216.34'))).not.toBe(a);
  });
});
