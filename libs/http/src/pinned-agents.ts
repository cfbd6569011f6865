import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import type { CheckedTarget } from './ssrf-guard';

/**
 * Idle sockets are closed after this long: below the 5 s keep-alive timeout of Node servers (and
 * most proxies), so a pooled socket is rarely one the server is closing at that very moment.
 */
const IDLE_SOCKET_MS = 4_000;
/** Past this many agents, idle ones are dropped before a new one is made. */
const MAX_AGENTS = 64;

const agents = new Map<string, HttpAgent>();

/**
 * A socket may only be reused for the same scheme, host, port and checked address: a new DNS answer
 * (rebinding, failover) gets a new pool and a new connection, after the guard has checked it.
 */
export function pinnedAgentKey(target: CheckedTarget): string {
  return `${target.url.protocol}//${target.url.host}|${target.address}`;
}

/** The keep-alive agent for a checked target; its sockets only ever connect to `target.address`. */
export function keepAliveAgentFor(target: CheckedTarget): HttpAgent {
  const key = pinnedAgentKey(target);
  let agent = agents.get(key);
  if (!agent) {
    if (agents.size >= MAX_AGENTS) dropIdleKeepAliveAgents();
    const opts = { keepAlive: true, timeout: IDLE_SOCKET_MS, scheduling: 'lifo' as const };
    agent = target.url.protocol === 'https:' ? new HttpsAgent(opts) : new HttpAgent(opts);
    agents.set(key, agent);
  }
  return agent;
}

const isBusy = (agent: HttpAgent): boolean =>
  Object.values(agent.sockets).some((s) => (s?.length ?? 0) > 0) ||
  Object.values(agent.requests).some((r) => (r?.length ?? 0) > 0);

/** Drops every agent with no request in flight, closing its idle sockets (pool cap, tests). */
export function dropIdleKeepAliveAgents(): void {
  for (const [key, agent] of agents) {
    if (isBusy(agent)) continue;
    agent.destroy();
    agents.delete(key);
  }
}
