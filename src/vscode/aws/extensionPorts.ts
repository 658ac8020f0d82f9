// Which client talks to AWS for an environment. A status's reads go over the lean JSON-protocol client
// (dist/lean.js, src/aws/lean.ts) wherever it does exactly what the SDK would (static credentials, AWS's own or a
// plain endpoint: the sandbox's, keys in the environment or a profile); every other call, and every environment it
// cannot serve (SSO, roles, credential_process...), goes over the SDK (dist/aws.js), loaded when first needed (#9:
// in a window's first seconds, loading the SDK and its first call held the extension host about a second, while
// VS Code waited for our rows). SPRYKER_DEPLOY_SDK=1 in the extension host's environment sends everything over the
// SDK, as it does for the CLI.

import type { CallInfo } from '../../aws/call';
import type { LeanPlan } from '../../aws/lean';
import type { AwsPortsFactory } from '../../core/ports';
import type { AwsBundle, LeanBundle, RunningSandbox } from './lazyBundles';

type Env = Parameters<AwsPortsFactory>[0];

export interface ExtensionPortsDeps {
  readonly aws: () => AwsBundle;
  readonly lean: () => LeanBundle;
  readonly onCall: (info: CallInfo) => void;
  readonly log: { debug(line: string): void; info(line: string): void };
  /** A start-up step for the timeline, with how long it took. */
  readonly mark: (step: string, detail: string) => void;
  /** The extension host's environment (AWS_PROFILE, AWS_ACCESS_KEY_ID, SPRYKER_DEPLOY_SDK...). */
  readonly environment: NodeJS.ProcessEnv;
}

const nameOf = (env: Env): string => env.name ?? env.region;

export class ExtensionPorts {
  private defaultFactory: AwsPortsFactory | undefined;
  private sandbox: { readonly endpoint: string; readonly factory: AwsPortsFactory } | undefined;

  constructor(private readonly deps: ExtensionPortsDeps) {}

  /** The ports of an environment: the running sandbox's for its endpoint, the default ones otherwise. */
  readonly factory: AwsPortsFactory = (env) => {
    if (this.sandbox && env.endpoint === this.sandbox.endpoint) return this.sandbox.factory(env);
    this.defaultFactory ??= this.create({});
    return this.defaultFactory(env);
  };

  /** The sandbox the setup commands started (or none): its endpoint is read with its own credentials. */
  setSandbox(sandbox: RunningSandbox | undefined): void {
    this.sandbox = sandbox ? { endpoint: sandbox.endpoint, factory: this.create({ credentials: sandbox.credentials }) } : undefined;
  }

  /**
   * Loads what the first reads of these environments will need (the lean client, or the SDK for an environment
   * it cannot serve) and says which it is, without calling AWS.
   */
  warmUp(environments: readonly Env[]): void {
    this.timed('AWS layer loaded ahead', () => {
      for (const env of environments) this.factory(env);
    });
  }

  private create(options: { readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string } }): AwsPortsFactory {
    const { onCall, log, environment } = this.deps;
    const logger = (line: string) => log.debug(`[aws] ${line}`);
    let sdk: ReturnType<AwsBundle['createAwsPortsFactory']> | undefined;
    const sdkFactory = () => (sdk ??= this.timed('AWS SDK loaded', () => this.deps.aws().createAwsPortsFactory({ onCall, logger, ...options })));
    // Each environment's way is said once, in the log: which client reads it, and why not the lean one.
    const said = new Set<string>();
    const once = (env: Env, how: string) => {
      if (said.has(nameOf(env))) return;
      said.add(nameOf(env));
      log.info(`[aws] ${nameOf(env)}: ${how}`);
    };
    if (environment.SPRYKER_DEPLOY_SDK) {
      return (env) => {
        once(env, 'every call over the AWS SDK (SPRYKER_DEPLOY_SDK is set)');
        return sdkFactory()(env);
      };
    }
    const lean = this.timed('AWS layer loaded', () => this.deps.lean());
    const onPlan = (env: Env, plan: LeanPlan) =>
      once(env, plan.lean ? `its status read over the lean JSON client (${plan.source} credentials), every other call over the AWS SDK` : `every call over the AWS SDK (${plan.why})`);
    return lean.createLeanPortsFactory(sdkFactory, { onCall, logger, onPlan, ...options }, environment);
  }

  private timed<T>(step: string, load: () => T): T {
    const started = Date.now();
    const value = load();
    this.deps.mark(step, `${Date.now() - started} ms`);
    return value;
  }
}
