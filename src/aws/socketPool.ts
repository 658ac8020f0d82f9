// Keep-alive sockets per profile/region/endpoint, shared by the SDK's clients (index.ts) and the lean client (lean.ts).

import * as http from 'node:http';
import type * as https from 'node:https';
import { httpsAgentOnFirstUse, lazyHttps } from './lazyBuiltins';

/** The SDK's default socket cap per client, kept for one or a few environments. */
export const MIN_SOCKETS = 50;
/**
 * Sockets one environment's first refresh has in flight on one service at most: ECS asks DescribeServices,
 * DescribeTasks and a DescribeTaskDefinition per task definition revision (7 in Spryker's layout) at once.
 */
export const SOCKETS_PER_ENVIRONMENT = 12;
export const MAX_SOCKETS = 400;

/**
 * Keep-alive agents for the clients of one profile/region/endpoint, sized by how many environments share them:
 * with the SDK's fixed 50 sockets per client, 20 environments' first refresh queued behind each other for 7
 * round trips instead of 3. The cap grows as environments join (an agent reads it on every request).
 */
export class SocketPool {
  private readonly environments = new Set<string>();

  constructor(private readonly perEnvironment: number) {}
  private readonly agents: (http.Agent | https.Agent)[] = [];

  join(environment: string): void {
    this.environments.add(environment);
    for (const agent of this.agents) agent.maxSockets = this.maxSockets();
  }

  maxSockets(): number {
    return Math.min(MAX_SOCKETS, Math.max(MIN_SOCKETS, this.environments.size * this.perEnvironment));
  }

  /**
   * The request handler options of one client: its own agents (sockets are pooled per client and host). A client
   * of an http: endpoint (the local sandbox) never makes an https request: its https agent is made, and TLS
   * loaded, only if one ever is (#12: loading TLS was ~10 ms of a CLI status).
   */
  handler(endpoint: string | undefined): { httpAgent: http.Agent; httpsAgent: https.Agent } {
    const options = { keepAlive: true, maxSockets: this.maxSockets() };
    const httpAgent = new http.Agent(options);
    const httpsAgent = isHttp(endpoint) ? httpsAgentOnFirstUse(options) : new lazyHttps.Agent(options);
    this.agents.push(httpAgent, httpsAgent);
    return { httpAgent, httpsAgent };
  }
}

function isHttp(endpoint: string | undefined): boolean {
  try {
    return endpoint !== undefined && new URL(endpoint).protocol === 'http:';
  } catch {
    return false;
  }
}
