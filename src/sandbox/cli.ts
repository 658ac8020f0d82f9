// `npm run sandbox -- --port 4566` (or `spryker-deploy sandbox` from the installed package): the sandbox on
// its own, for the AWS CLI, the extension, the CLI and the demo.
import { parseArgs as parseNodeArgs, type ParseArgsConfig } from 'node:util';
import { checkShapes, parseFault, REAL_WORLD_SHAPES, startSandbox, type FaultRule, type RealWorldShape, type SandboxOptions } from './index';

const help = (usage: string) => `Spryker Cloud Deploy sandbox: a local emulator of the AWS APIs of the deploy flow
(SSM, CodePipeline, ECS, ECR, CodeBuild, CloudWatch Logs, STS) on one port.

Usage: ${usage}

Options:
  --port <n>             Port on 127.0.0.1 (default 4566; 0 = any free port)
  --stage-seconds <n>    Duration of each pipeline stage in seconds (default 2)
  --repo <path>          Take the commit history from this Git repository (HEAD); generated commits otherwise
  --state <file>         Save the world to this file and load it on the next start (pipelines resume)
  --log-requests <file>  Append one JSON line per request: {time, service, operation, status, errorCode?, ms};
                         at 10 MiB the file moves to <file>.1 (replacing it) and starts anew
  --fault <spec>         Inject a fault; repeatable. Specs:
                           throttle:0.2                 ThrottlingException for 20% of requests
                           throttle:GetPipelineState    ... for every GetPipelineState
                           error500:0.1  error503:0.1   InternalFailure (500) / ServiceUnavailable (503)
                           latency:200[:Operation]      add 200 ms
                           drop:0.05                    close the connection without an answer
                           drop-reply:PutParameter      act, then close the connection: the answer is lost
                           expired-credentials          ExpiredTokenException for every signed call
                           access-denied:DescribeServices  AccessDeniedException (an IAM policy gap)
                           html502[:Operation]          a proxy's HTML 502 page instead of AWS's JSON
                         A rate and an operation can be combined: error500:0.5:GetParameters
  --shape <name>         Produce a real-world shape the default world never shows; repeatable:
                           ${REAL_WORLD_SHAPES.join(', ')}
                           (v2-queued and v2-parallel also for one environment: v2-queued:spryker-prod)
                         (see "Real-world shapes" in src/sandbox/README.md)
  --scenario <spec>      Play a failure; repeatable. Specs kind:target:environment[:next|always]:
                           stage-fails:Run_install:spryker-prod      the stage's build fails, error in its log
                           rollout-fails:spryker-prod-yves:spryker-prod  new tasks stop, the circuit breaker rolls back
                           rollout-fails:*:spryker-staging:always    every service, every execution
                         next (default) = the next execution only; an approval expires after 7 days of sandbox clock
  --envs <a,b>           Environments (default spryker-staging,spryker-prod)
  --seed <n>             Repeatable ids and fault decisions
  --access-key <id>      Access key id to accept (default test)
  --secret-key <key>     Secret access key (default test)
  --help                 This text

Control API (JSON, same port): GET /_sandbox/health, GET /_sandbox/state, PUT /_sandbox/faults,
PUT /_sandbox/stage-seconds, POST /_sandbox/advance, GET /_sandbox/requests ... (see src/sandbox/README.md).
Changes need the header 'x-sandbox-control: 1' and 'content-type: application/json', e.g.
  curl -X POST -H 'x-sandbox-control: 1' -H 'content-type: application/json' \\
       http://127.0.0.1:4566/_sandbox/faults -d '{"fault":"throttle:0.3"}'`;

/** Bad options: the caller prints the message and exits with 2, having started nothing. */
export class SandboxUsageError extends Error {}

function fail(message: string): never {
  throw new SandboxUsageError(message);
}

const OPTIONS = {
  port: { type: 'string' },
  'stage-seconds': { type: 'string' },
  repo: { type: 'string' },
  state: { type: 'string' },
  'log-requests': { type: 'string' },
  fault: { type: 'string', multiple: true },
  shape: { type: 'string', multiple: true },
  scenario: { type: 'string', multiple: true },
  envs: { type: 'string' },
  seed: { type: 'string' },
  'access-key': { type: 'string' },
  'secret-key': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies NonNullable<ParseArgsConfig['options']>;

/** node:util's parse errors, in the words of this command: which option, and what was wrong with it. */
function usageMessage(e: Error & { code?: string }, argv: readonly string[]): string {
  const first = e.message.split('\n')[0];
  switch (e.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION': {
      const option = /'([^']+)'/.exec(first)?.[1] ?? '';
      return `Unknown option ${option}.`;
    }
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE': {
      const option = /Option '(?:-\w, )?(--[\w-]+)/.exec(first)?.[1] ?? '';
      if (/does not take an argument/.test(first)) return `${option} takes no value.`;
      if (/ambiguous/.test(first)) return `${option} needs a value (the next argument is an option; write ${option}=-x for a value that starts with a dash).`;
      return `${option} needs a value.`;
    }
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return `Unexpected argument '${argv.find((a) => !a.startsWith('-')) ?? ''}': every option starts with --.`;
    default:
      return first;
  }
}

/**
 * The environment names the sandbox can build a world for. Narrower than the extension's settings allow
 * (core/environments ENVIRONMENT_NAME_PATTERN, which must accept every one of them: a unit test checks) because
 * the name becomes AWS resource names here: ECR repositories take only lowercase letters, digits and hyphens, and
 * `Maintenance_Disable_<name>` must stay a short pipeline name. Kept apart from the client's rule on purpose,
 * as the sandbox's pipeline names are: it stands in for AWS, not for the extension.
 */
export const SANDBOX_ENVIRONMENT_NAME = /^[a-z0-9][a-z0-9-]{0,40}$/;

export function parseArgs(argv: readonly string[]): SandboxOptions & { help?: boolean } {
  let values: { [K in keyof typeof OPTIONS]?: (typeof OPTIONS)[K] extends { multiple: true } ? string[] : (typeof OPTIONS)[K]['type'] extends 'boolean' ? boolean : string };
  try {
    ({ values } = parseNodeArgs({ args: [...argv], options: OPTIONS, strict: true, allowPositionals: false }));
  } catch (e) {
    fail(usageMessage(e as Error & { code?: string }, argv));
  }
  if (values.help) return { help: true };
  const number = (flag: string, v: string): number => {
    const n = Number(v);
    if (v.trim() === '' || !Number.isFinite(n)) fail(`--${flag} takes a number, not '${v}'.`);
    return n;
  };
  let port = 4566;
  if (values.port !== undefined) {
    port = number('port', values.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) fail('--port takes 0..65535.');
  }
  let stageSeconds: number | undefined;
  if (values['stage-seconds'] !== undefined) {
    stageSeconds = number('stage-seconds', values['stage-seconds']);
    if (!(stageSeconds > 0) || stageSeconds > 3600) fail('--stage-seconds takes a number above 0 and at most 3600.');
  }
  const faults: FaultRule[] = (values.fault ?? []).map((spec) => {
    try {
      return parseFault(spec);
    } catch (e) {
      fail((e as Error).message);
    }
  });
  let shapes: RealWorldShape[] = [];
  try {
    shapes = checkShapes(values.shape ?? []);
  } catch (e) {
    fail((e as Error).message);
  }
  let environments: string[] | undefined;
  if (values.envs !== undefined) {
    environments = values.envs.split(',').map((s) => s.trim()).filter(Boolean);
    if (environments.length === 0 || environments.some((e) => !SANDBOX_ENVIRONMENT_NAME.test(e))) fail('--envs takes names like spryker-staging,spryker-prod.');
  }
  return {
    port,
    stageSeconds,
    repo: values.repo,
    stateFile: values.state,
    logRequestsFile: values['log-requests'],
    faults,
    environments,
    seed: values.seed === undefined ? undefined : number('seed', values.seed),
    shapes,
    // Checked against the world when the sandbox starts (they name stages and services).
    scenarios: values.scenario ?? [],
    credentials: { accessKeyId: values['access-key'] ?? 'test', secretAccessKey: values['secret-key'] ?? 'test' },
  };
}

/**
 * Runs the sandbox until SIGINT/SIGTERM. Returns an exit code only when it did not start (bad options: 2;
 * the port is taken: 1); `usage` and `name` say how the user called it, for the help and error lines.
 */
export async function main(argv: readonly string[] = process.argv.slice(2), usage = 'npm run sandbox -- [options]', name = 'sandbox'): Promise<number | undefined> {
  let options;
  try {
    options = parseArgs(argv);
  } catch (e) {
    if (!(e instanceof SandboxUsageError)) throw e;
    console.error(`${name}: ${e.message}\nRun with --help for the options.`);
    return 2;
  }
  if (options.help) {
    console.log(help(usage));
    return 0;
  }
  const started = performance.now();
  let sandbox;
  try {
    sandbox = await startSandbox(options);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    console.error(`${name}: ${err.code === 'EADDRINUSE' ? `port ${options.port} is in use; pick another with --port (0 = any free port).` : err.message}`);
    return 1;
  }
  const { endpoint, region, credentials } = sandbox;
  const envs = sandbox.inspect.world().environments.map((e) => e.name);
  console.log(`Sandbox ready in ${Math.round(performance.now() - started)} ms

  endpoint     ${endpoint}
  region       ${region}
  account      ${sandbox.accountId}
  credentials  access key ${credentials.accessKeyId}, secret ${credentials.secretAccessKey}
  environments ${envs.join(', ')}
  stage        ${sandbox.control.stageSeconds()} s${options.faults?.length ? `\n  faults       ${options.faults.map((f) => JSON.stringify(f)).join(' ')}` : ''}${options.stateFile ? `\n  state        ${options.stateFile}` : ''}

Profile for ~/.aws/config (and ~/.aws/credentials) — AWS CLI >= 1.29 / v2 and SDKs read endpoint_url:

[profile spryker-sandbox]
region = ${region}
endpoint_url = ${endpoint}
aws_access_key_id = ${credentials.accessKeyId}
aws_secret_access_key = ${credentials.secretAccessKey}

Or in the shell:

export AWS_ENDPOINT_URL=${endpoint}
export AWS_ACCESS_KEY_ID=${credentials.accessKeyId}
export AWS_SECRET_ACCESS_KEY=${credentials.secretAccessKey}
export AWS_REGION=${region} AWS_DEFAULT_REGION=${region}

Try: aws ssm get-parameter --name /${envs[envs.length - 1]}/desired_version --endpoint-url ${endpoint}
Control API: ${endpoint}/_sandbox/health (changes need -H 'x-sandbox-control: 1' -H 'content-type: application/json')   Stop: Ctrl+C`);
  const shutdown = (): void => {
    sandbox.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
  return undefined;
}

if (require.main === module) {
  main().then(
    (code) => {
      if (code !== undefined) process.exitCode = code;
    },
    (e: unknown) => {
      console.error(`sandbox: ${(e as Error).message}`);
      process.exitCode = 1;
    },
  );
}
