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
import { lazyMembers, lazyPorts } from './lazyPorts';
import { ParameterStoreClient } from './parameterStore';
import { PipelineClient } from './pipelines';
import { SocketPool, SOCKETS_PER_ENVIRONMENT } from './socketPool';
import type { SdkOperationClients, SdkPortsFactory } from './operations';
import { ecsOperations, pipelineOperations, ssmOperations } from './sdkOperations';
import { nodeStreamCollector } from './streamCollector';

export { listProfiles, type ProfileInfo } from './profiles';
export { translateAwsError, classifyAwsError } from './errors';
export type { CallInfo } from './call';
export type { SdkPortsFactory } from './operations';
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

export function createAwsPortsFactory(options: AwsPortsFactoryOptions = {}): SdkPortsFactory {
  const cache = new Map<string, { readonly ports: AwsPorts; readonly operations: SdkOperationClients }>();
  const pools = new Map<string, SocketPool>();
  const credentialSources = new Map<string, ReturnType<typeof createCredentialSource>>();
  const clientsOf = (env: Parameters<AwsPortsFactory>[0]) => {
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
    const source = credentials;
    const sockets = pool;
    const config = () => ({
      region: env.region,
      requestHandler: sockets.handler(endpoint),
      credentials: source.provider,
      streamCollector: nodeStreamCollector,
      ...(endpoint ? { endpoint } : {}),
      ...(options.maxAttempts ? { maxAttempts: options.maxAttempts } : {}),
    });
    const caller = (service: string) => createCaller(service, source, env.profile, options);
    // Each client is built on first use: `status` needs three of the six, `--help` none, and building a
    // client (its middleware stack, its endpoint resolver) is a measurable part of a CLI run.
    const operations = lazyMembers({
      ssm: () => ssmOperations(new SSMClient(config())),
      pipelines: () => pipelineOperations(new CodePipelineClient(config())),
      ecs: () => ecsOperations(new ECSClient(config())),
    });
    const ports = lazyPorts({
      parameters: () => new ParameterStoreClient(operations.ssm, caller('ssm')),
      pipelines: () => new PipelineClient(operations.pipelines, caller('codepipeline')),
      containers: () => new ContainerClient(operations.ecs, caller('ecs')),
      images: () => new ImageRegistryClient(new ECRClient(config()), caller('ecr')),
      logs: () => new BuildLogClient(new CodeBuildClient(config()), new CloudWatchLogsClient(config()), caller('codebuild'), caller('logs')),
    });
    const set = { ports, operations: Object.assign(operations, { invalidateCredentials: () => source.invalidate() }) };
    cache.set(key, set);
    return set;
  };
  return Object.assign((env: Parameters<AwsPortsFactory>[0]) => clientsOf(env).ports, { operations: (env: Parameters<AwsPortsFactory>[0]) => clientsOf(env).operations });
}

export type OnCall = (info: CallInfo) => void;
