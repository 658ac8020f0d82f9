// Entry of the lazily loaded dist/aws.js bundle: builds AwsPorts over the SDK v3 clients, one set of
// clients per profile/region/endpoint. Nothing here logs credentials.

import * as http from 'node:http';
import type * as https from 'node:https';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { CodeBuildClient } from '@aws-sdk/client-codebuild';
import { CodePipelineClient } from '@aws-sdk/client-codepipeline';
import { ECRClient } from '@aws-sdk/client-ecr';
import { ECSClient } from '@aws-sdk/client-ecs';
import { SSMClient } from '@aws-sdk/client-ssm';
import type { AwsPorts, AwsPortsFactory } from '../core/ports';
import { BuildLogClient } from './buildLogs';
import { createCaller, type CallInfo, type CallOptions } from './call';
import { ContainerClient } from './containers';
import { createCredentialSource, type StaticCredentials } from './credentials';
import { ImageRegistryClient } from './images';
import { httpsAgentOnFirstUse, lazyHttps } from './lazyBuiltins';
import { ParameterStoreClient } from './parameterStore';
import { PipelineClient } from './pipelines';
import { nodeStreamCollector } from './streamCollector';

export { listProfiles, type ProfileInfo } from './profiles';
export { translateAwsError, classifyAwsError } from './errors';
export type { CallInfo } from './call';

export interface AwsPortsFactoryOptions extends CallOptions {
  /** Fixed credentials (the sandbox's); otherwise the profile or the default chain. */
  readonly credentials?: StaticCredentials;
  /** Endpoint for environments that set none; else AWS_ENDPOINT_URL. */
  readonly endpoint?: string;
  /** SDK attempts per call (default 3, as the SDK). */
  readonly maxAttempts?: number;
  /** Sockets per environment sharing a client's pool (default SOCKETS_PER_ENVIRONMENT; 0: the SDK's fixed 50). */
  readonly socketsPerEnvironment?: number;
}

export function resolveEndpoint(explicit: string | undefined, fallback?: string): string | undefined {
  const value = explicit || fallback || process.env.AWS_ENDPOINT_URL;
  return value ? value : undefined;
}

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
class SocketPool {
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

export function createAwsPortsFactory(options: AwsPortsFactoryOptions = {}): AwsPortsFactory {
  const cache = new Map<string, AwsPorts>();
  const pools = new Map<string, SocketPool>();
  const credentialSources = new Map<string, ReturnType<typeof createCredentialSource>>();
  return (env) => {
    const endpoint = resolveEndpoint(env.endpoint, options.endpoint);
    const key = `${env.profile ?? ''}|${env.region}|${endpoint ?? ''}`;
    let pool = pools.get(key);
    if (!pool) pools.set(key, (pool = new SocketPool(options.socketsPerEnvironment ?? SOCKETS_PER_ENVIRONMENT)));
    pool.join(env.name ?? '');
    const hit = cache.get(key);
    if (hit) return hit;
    const profileKey = env.profile ?? '';
    let credentials = credentialSources.get(profileKey);
    if (!credentials) {
      credentials = createCredentialSource({ ...(env.profile ? { profile: env.profile } : {}), ...(options.credentials ? { credentials: options.credentials } : {}) });
      credentialSources.set(profileKey, credentials);
    }
    const sockets = pool;
    const config = () => ({
      region: env.region,
      requestHandler: sockets.handler(endpoint),
      credentials: credentials.provider,
      streamCollector: nodeStreamCollector,
      ...(endpoint ? { endpoint } : {}),
      ...(options.maxAttempts ? { maxAttempts: options.maxAttempts } : {}),
    });
    const caller = (service: string) => createCaller(service, credentials, env.profile, options);
    // Each client is built on first use: `status` needs three of the six, `--help` none, and building a
    // client (its middleware stack, its endpoint resolver) is a measurable part of a CLI run.
    const ports = lazyPorts({
      parameters: () => new ParameterStoreClient(new SSMClient(config()), caller('ssm')),
      pipelines: () => new PipelineClient(new CodePipelineClient(config()), caller('codepipeline')),
      containers: () => new ContainerClient(new ECSClient(config()), caller('ecs')),
      images: () => new ImageRegistryClient(new ECRClient(config()), caller('ecr')),
      logs: () => new BuildLogClient(new CodeBuildClient(config()), new CloudWatchLogsClient(config()), caller('codebuild'), caller('logs')),
    });
    cache.set(key, ports);
    return ports;
  };
}

export type OnCall = (info: CallInfo) => void;

/** AwsPorts whose members are made on first access, once. */
export function lazyPorts(make: { readonly [K in keyof AwsPorts]: () => AwsPorts[K] }): AwsPorts {
  const ports = {} as AwsPorts;
  for (const key of Object.keys(make) as (keyof AwsPorts)[]) {
    Object.defineProperty(ports, key, {
      enumerable: true,
      get() {
        const value = make[key]();
        Object.defineProperty(ports, key, { value, enumerable: true });
        return value;
      },
      configurable: true,
    });
  }
  return ports;
}
