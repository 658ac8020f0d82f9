// Counts requests an http.Agent had to queue because all its sockets were busy: each is a round trip lost to the
// connection pool (#12). Used by the benchmark and by the pool sizing test.
import * as http from 'node:http';

type AgentInternals = { requests: Record<string, unknown[]>; addRequest: (...args: unknown[]) => void };

export function countSocketWaits(): { count: () => number; reset: () => void; restore: () => void } {
  const proto = http.Agent.prototype as unknown as AgentInternals;
  const original = proto.addRequest;
  let waits = 0;
  const queued = (agent: AgentInternals) => Object.values(agent.requests).reduce((n, q) => n + q.length, 0);
  proto.addRequest = function (this: AgentInternals, ...args: unknown[]) {
    const before = queued(this);
    original.apply(this, args);
    if (queued(this) > before) waits++;
  };
  return { count: () => waits, reset: () => (waits = 0), restore: () => (proto.addRequest = original) };
}
