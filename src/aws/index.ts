// Entry of the lazily loaded dist/aws.js bundle: builds AwsPorts over the SDK v3 clients, one set of
// clients per profile/region/endpoint. Nothing here logs credentials.

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
import { resolveEndpoint } from './endpoint';
import { lazyPorts } from './lazyPorts';
import { ParameterStoreClient } from './parameterStore';
import { PipelineClient } from './pipelines';
import { SocketPool, SOCKETS_PER_ENVIRONMENT } from './socketPool';
import { ecsOperations, pipelineOperations, ssmOperations } from './sdkOperations';
import { nodeStreamCollector } from './streamCollector';

export { listProfiles, type ProfileInfo } from './profiles';
export { translateAwsError, classifyAwsError } from './errors';
export type { CallInfo } from './call';
export { lazyPorts } from './lazyPorts';
export { resolveEndpoint } from './endpoint';
export { MAX_SOCKETS, MIN_SOCKETS, SOCKETS_PER_ENVIRONMENT } from './socketPool';

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
      parameters: () => new ParameterStoreClient(ssmOperations(new SSMClient(config())), caller('ssm')),
      pipelines: () => new PipelineClient(pipelineOperations(new CodePipelineClient(config())), caller('codepipeline')),
      containers: () => new ContainerClient(ecsOperations(new ECSClient(config())), caller('ecs')),
      images: () => new ImageRegistryClient(new ECRClient(config()), caller('ecr')),
      logs: () => new BuildLogClient(new CodeBuildClient(config()), new CloudWatchLogsClient(config()), caller('codebuild'), caller('logs')),
    });
    cache.set(key, ports);
    return ports;
  };
}

export type OnCall = (info: CallInfo) => void;
