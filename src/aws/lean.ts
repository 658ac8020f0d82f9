// Entry of dist/lean.js: AwsPorts whose reads of a status go over the small JSON-protocol client (jsonProtocol.ts)
// instead of the SDK (#12: loading the SDK and running its middleware took more CPU than all the rest of a CLI
// status; #9: in a window's first seconds loading it and its first call held the extension host about a second).
// The same adapters (ParameterStoreClient, PipelineClient, ContainerClient) map the answers, the same caller times,
// logs and translates errors. Every other operation of those adapters (the writes, the histories) goes over the
// SDK's client of the same environment, loaded when first needed, and so do the ports no status uses (images,
// logs). It is used only where it can do exactly what the SDK would: static credentials known without the SDK's
// chain (the factory's fixed ones, AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, or a profile with static keys in the
// shared files), the endpoint the SDK would use, no setting only the SDK honours. Anything else (SSO, roles,
// credential_process, instance or container credentials, FIPS or dual-stack endpoints, service-specific endpoints,
// retry settings) takes the SDK (`sdk()`, dist/aws.js), unchanged. Nothing here logs credentials.

import type { AwsPorts, AwsPortsFactory } from '../core/ports';
import { createCaller, type CallOptions } from './call';
import { ContainerClient } from './containers';
import type { CredentialSource, StaticCredentials } from './credentials';
import { resolveEndpoint } from './endpoint';
import { createJsonClient, ECS_JSON, PIPELINE_JSON, SSM_JSON, type JsonService } from './jsonProtocol';
import { lazyPorts } from './lazyPorts';
import type { EcsOperations, OperationClient, Operations, PipelineOperations, SdkOperationClients, SdkPortsFactory, SsmOperations } from './operations';
import { ParameterStoreClient } from './parameterStore';
import { PipelineClient } from './pipelines';
import { readProfiles, type Profile } from './sharedFiles';
import { SocketPool, SOCKETS_PER_ENVIRONMENT } from './socketPool';

export interface LeanPortsOptions extends CallOptions {
  /** Fixed credentials (the sandbox's); otherwise the environment variables or the profile's static keys. */
  readonly credentials?: StaticCredentials;
  /** Endpoint for environments that set none; else AWS_ENDPOINT_URL. */
  readonly endpoint?: string;
  /** Told the plan made for an environment, each time its ports are asked for (the extension logs it once). */
  readonly onPlan?: (env: Env, plan: LeanPlan) => void;
}

type Env = Parameters<AwsPortsFactory>[0];

/**
 * How an environment's reads are made: the lean client with these credentials and the explicit endpoint (none: AWS's
 * own per service, standardEndpoint), or the SDK and why.
 */
export type LeanPlan =
  | { readonly lean: true; readonly endpoint: string | undefined; readonly credentials: CredentialSource; readonly source: 'fixed' | 'environment' | 'profile' }
  | { readonly lean: false; readonly why: string };

/** Profile keys whose credentials only the SDK's chain resolves. */
const NOT_STATIC = [
  'role_arn',
  'source_profile',
  'credential_source',
  'credential_process',
  'web_identity_token_file',
  'sso_session',
  'sso_start_url',
  'sso_account_id',
  'sso_role_name',
  'sso_region',
  'login_session',
];
/** Profile settings that change the endpoint, signing or retries of the SDK's clients. */
const SDK_SETTINGS = ['endpoint_url', 'services', 'use_fips_endpoint', 'use_dualstack_endpoint', 'max_attempts', 'retry_mode', 'sigv4a_signing_region_set', 'ignore_configured_endpoint_urls'];
const SDK_ENV = ['AWS_USE_FIPS_ENDPOINT', 'AWS_USE_DUALSTACK_ENDPOINT', 'AWS_MAX_ATTEMPTS', 'AWS_RETRY_MODE', 'AWS_SIGV4A_SIGNING_REGION_SET'];
const SERVICE_ENDPOINT_ENV = ['AWS_ENDPOINT_URL_SSM', 'AWS_ENDPOINT_URL_ECS', 'AWS_ENDPOINT_URL_CODEPIPELINE'];

const set = (value: string | undefined): boolean => value !== undefined && value !== '';

/**
 * Where the SDK's clients (index.ts: region and, if any, the endpoint given explicitly) would send a status's
 * calls, or undefined where only the SDK's endpoint rules know: https://<service>.<region>.amazonaws.com in the
 * commercial and GovCloud partitions, .amazonaws.com.cn in China. The isolated and sovereign partitions take the SDK.
 */
export function standardEndpoint(service: JsonService['name'], region: string): string | undefined {
  if (/^cn-[a-z]+-\d+$/.test(region)) return `https://${service}.${region}.amazonaws.com.cn`;
  if (/iso|eusc/.test(region) || !/^(us|eu|ap|sa|ca|me|af|il|mx)(-gov)?-[a-z]+-\d+$/.test(region)) return undefined;
  return `https://${service}.${region}.amazonaws.com`;
}

function explicitEndpoint(value: string): string | undefined {
  try {
    const url = new URL(value);
    if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.pathname !== '/' || url.search || url.username || url.password) return undefined;
    return url.origin;
  } catch {
    return undefined;
  }
}

/** The static keys of a profile, or why the SDK is needed for it. */
function profileKeys(profiles: Record<string, Profile>, name: string): StaticCredentials | string {
  const profile = profiles[name];
  if (!profile) return `profile ${name} is not in the shared files`;
  const other = NOT_STATIC.find((k) => profile[k] !== undefined);
  if (other) return `profile ${name} has ${other}`;
  const accessKeyId = profile.aws_access_key_id;
  const secretAccessKey = profile.aws_secret_access_key;
  if (!accessKeyId || !secretAccessKey) return `profile ${name} has no static keys`;
  return { accessKeyId, secretAccessKey, ...(profile.aws_session_token ? { sessionToken: profile.aws_session_token } : {}) };
}

const fixed = (credentials: StaticCredentials): CredentialSource => {
  const copy = { ...credentials };
  return { provider: async () => copy, invalidate: () => {}, reloadable: false };
};

/**
 * A profile's static keys, read again after AWS refused them (the caller's one retry): someone may have written
 * new ones to the files meanwhile.
 */
function fromProfile(name: string, keys: StaticCredentials): CredentialSource {
  let current = keys;
  let stale = false;
  return {
    provider: async () => {
      if (stale) {
        stale = false;
        const again = profileKeys(readProfiles(), name);
        if (typeof again === 'string') throw Object.assign(new Error(`Could not load credentials: ${again}.`), { name: 'CredentialsProviderError' });
        current = again;
      }
      return current;
    },
    invalidate: () => {
      stale = true;
    },
    reloadable: true,
  };
}

/** Whether (and how) an environment's status reads can go through the lean client. */
export function leanPlan(env: Env, options: LeanPortsOptions = {}, environment: NodeJS.ProcessEnv = process.env): LeanPlan {
  const sdkEnv = SDK_ENV.find((k) => set(environment[k]) && environment[k] !== 'false');
  if (sdkEnv) return { lean: false, why: `${sdkEnv} is set` };
  const explicit = resolveEndpoint(env.endpoint, options.endpoint);
  if (!explicit && SERVICE_ENDPOINT_ENV.some((k) => set(environment[k]))) return { lean: false, why: 'a service-specific endpoint is set' };
  const endpoint = explicit ? explicitEndpoint(explicit) : undefined;
  // Not the URL itself in the reason: it may carry a user and password.
  if (explicit && !endpoint) return { lean: false, why: 'the endpoint is not a plain http(s)://host[:port]' };
  if (!explicit && !standardEndpoint('ssm', env.region)) return { lean: false, why: `region ${env.region} has endpoint rules of its own` };
  let profiles: Record<string, Profile> | undefined;
  const files = () => (profiles ??= readProfiles());
  // The clients' own settings come from AWS_PROFILE or the default profile (index.ts gives env.profile to the
  // credentials only), the credentials from env.profile when it names one.
  const settingsProfile = set(environment.AWS_PROFILE) ? environment.AWS_PROFILE! : 'default';
  const credentialProfile = env.profile ?? (set(environment.AWS_PROFILE) ? environment.AWS_PROFILE : undefined);
  for (const name of new Set([settingsProfile, credentialProfile ?? settingsProfile])) {
    const setting = SDK_SETTINGS.find((k) => files()[name]?.[k] !== undefined || Object.keys(files()[name] ?? {}).some((key) => key.startsWith(`${k}.`)));
    if (setting) return { lean: false, why: `profile ${name} sets ${setting}` };
  }
  const withEndpoint = (credentials: CredentialSource, source: 'fixed' | 'environment' | 'profile'): LeanPlan => ({ lean: true, endpoint, credentials, source });
  if (options.credentials) return withEndpoint(fixed(options.credentials), 'fixed');
  // The SDK's chain: with a profile named (env.profile or AWS_PROFILE) the environment's keys are skipped.
  if (credentialProfile === undefined && set(environment.AWS_ACCESS_KEY_ID) && set(environment.AWS_SECRET_ACCESS_KEY)) {
    return withEndpoint(
      fixed({
        accessKeyId: environment.AWS_ACCESS_KEY_ID!,
        secretAccessKey: environment.AWS_SECRET_ACCESS_KEY!,
        ...(set(environment.AWS_SESSION_TOKEN) ? { sessionToken: environment.AWS_SESSION_TOKEN } : {}),
      }),
      'environment',
    );
  }
  const name = credentialProfile ?? 'default';
  const keys = profileKeys(files(), name);
  if (typeof keys === 'string') return { lean: false, why: keys };
  return withEndpoint(fromProfile(name, keys), 'profile');
}

/**
 * An OperationClient that sends the service's reads over the lean client and every other operation over the SDK's
 * client (the lean client refuses anything but its reads).
 */
export function routedOperations<O extends Operations>(service: JsonService, lean: OperationClient<O>, sdk: () => OperationClient<O>): OperationClient<O> {
  return { send: (operation, input) => (operation in service.operations ? lean : sdk()).send(operation, input) };
}

/**
 * The ports: for an environment the lean client can serve, its parameters, pipelines and containers with their
 * reads over it (one client per service, profile, region and endpoint, sharing keep-alive sockets) and their other
 * operations over the SDK; images and logs, and every environment it cannot serve, from `sdk()`.
 */
export function createLeanPortsFactory(sdk: () => SdkPortsFactory, options: LeanPortsOptions = {}, environment: NodeJS.ProcessEnv = process.env): AwsPortsFactory {
  const cache = new Map<string, AwsPorts>();
  const pools = new Map<string, SocketPool>();
  const clock = { offset: 0 };
  return (env) => {
    const plan = leanPlan(env, options, environment);
    options.onPlan?.(env, plan);
    if (!plan.lean) {
      options.logger?.(`[aws] ${env.name ?? env.region}: the AWS SDK (${plan.why})`);
      return sdk()(env);
    }
    const key = `${env.profile ?? ''}|${env.region}|${plan.endpoint ?? ''}`;
    let pool = pools.get(key);
    if (!pool) pools.set(key, (pool = new SocketPool(SOCKETS_PER_ENVIRONMENT)));
    pool.join(env.name ?? '');
    const hit = cache.get(key);
    if (hit) return hit;
    const agents = pool.handler(plan.endpoint);
    const agent = plan.endpoint?.startsWith('http:') ? agents.httpAgent : agents.httpsAgent;
    let sdkClients: SdkOperationClients | undefined;
    const sdkOperations = () => (sdkClients ??= sdk().operations(env));
    const client = <O extends SsmOperations | PipelineOperations | EcsOperations>(service: JsonService, other: () => OperationClient<O>) => {
      const endpoint = plan.endpoint ?? standardEndpoint(service.name, env.region)!;
      return routedOperations<O>(service, createJsonClient<O>(service, { region: env.region, endpoint, credentials: plan.credentials.provider, agent, clock }), other);
    };
    // A call refused for expired credentials is retried once with both clients' credentials loaded again.
    const credentials: CredentialSource = {
      provider: plan.credentials.provider,
      reloadable: plan.credentials.reloadable,
      invalidate: () => {
        plan.credentials.invalidate();
        sdkClients?.invalidateCredentials();
      },
    };
    const caller = (service: string) => createCaller(service, credentials, env.profile, options);
    const ports = lazyPorts({
      parameters: () => new ParameterStoreClient(client<SsmOperations>(SSM_JSON, () => sdkOperations().ssm), caller('ssm')),
      pipelines: () => new PipelineClient(client<PipelineOperations>(PIPELINE_JSON, () => sdkOperations().pipelines), caller('codepipeline')),
      containers: () => new ContainerClient(client<EcsOperations>(ECS_JSON, () => sdkOperations().ecs), caller('ecs')),
      images: () => sdk()(env).images,
      logs: () => sdk()(env).logs,
    });
    cache.set(key, ports);
    return ports;
  };
}
