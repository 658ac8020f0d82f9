// `npm run bench`: the figures of issue #12, each with its target, medians of RUNS runs, every ratio against a
// baseline measured in the same run on the same sandbox (the machine is shared and noisy; ratios hold, absolute
// times do not). Prints figures; asserts nothing.
//
//   1. CLI start-up: `node -e 0`, `spryker-deploy --help`, `spryker-deploy status` (fresh processes, production
//      bundles) — as ratios to `node -e 0`.
//   2. One status against the AWS CLI chain a user would otherwise run (six `aws` processes, one per call), at 0
//      and 50 ms injected latency.
//   3. Calls and round trips of one cold status (a new process, task definitions in the user cache) and of 20
//      environments refreshed together at 50 ms latency.
//   4. Package sizes: cli.js, the .vsix limit is checked by `npm run package`.

import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { createAwsPortsFactory, type CallInfo } from '../src/aws';
import { createCoreCaches } from '../src/core/caches';
import { resolveEnvironment } from '../src/core/environments';
import { createEnvironmentService } from '../src/core/environmentService';
import { startSandbox, type Sandbox } from '../src/sandbox';
import { roundTrips } from './roundTrips';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const run = promisify(execFile);
const root = path.resolve(__dirname, '..');
const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const cli = path.join(root, 'dist', 'cli.js');

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (ms: number) => `${ms.toFixed(0).padStart(5)} ms`;
const line = (label: string, value: string, target: string, ok: boolean) => console.log(`${label.padEnd(52)} ${value.padEnd(28)} target ${target.padEnd(12)} ${ok ? 'met' : 'NOT MET'}`);

async function timed(file: string, args: readonly string[], env: NodeJS.ProcessEnv, cwd: string): Promise<number> {
  const t = performance.now();
  await run(file, [...args], { env, cwd });
  return performance.now() - t;
}

/** Medians of interleaved runs (each round runs every variant once, so load changes hit all alike). */
async function medians(variants: Record<string, () => Promise<number>>): Promise<Record<string, number>> {
  const samples: Record<string, number[]> = Object.fromEntries(Object.keys(variants).map((k) => [k, []]));
  for (let i = 0; i < RUNS; i++) for (const [k, f] of Object.entries(variants)) samples[k].push(await f());
  return Object.fromEntries(Object.entries(samples).map(([k, xs]) => [k, median(xs)]));
}

async function startup(sandbox: Sandbox, home: string): Promise<void> {
  const env = {
    PATH: process.env.PATH,
    HOME: home,
    AWS_ENDPOINT_URL: sandbox.endpoint,
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_DEFAULT_REGION: sandbox.region,
    AWS_REGION: sandbox.region,
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    AWS_PAGER: '',
    AWS_EC2_METADATA_DISABLED: 'true',
    ...(process.env.NODE_EXTRA_CA_CERTS ? { NODE_EXTRA_CA_CERTS: process.env.NODE_EXTRA_CA_CERTS } : {}),
  };
  const node = process.execPath;
  const e = 'spryker-staging';
  const awsChain = async () => {
    const t = performance.now();
    const aws = (...args: string[]) => run('aws', [...args, '--endpoint-url', sandbox.endpoint, '--output', 'json'], { env });
    await aws('ssm', 'get-parameters', '--names', `/${e}/desired_version`, `/${e}/last_deployed_version`, `/${e}/lastdeployedversion`, `/${e}/lastbuildversion`);
    await aws('codepipeline', 'get-pipeline-state', '--name', `NORMAL_Deploy_Spryker_${e}`);
    const services = JSON.parse((await aws('ecs', 'list-services', '--cluster', e)).stdout).serviceArns as string[];
    await aws('ecs', 'describe-services', '--cluster', e, '--services', ...services);
    const tasks = JSON.parse((await aws('ecs', 'list-tasks', '--cluster', e)).stdout).taskArns as string[];
    await aws('ecs', 'describe-tasks', '--cluster', e, '--tasks', ...tasks);
    return performance.now() - t;
  };
  const status = () => timed(node, [cli, 'status', '--env', e], env, home);
  // The first status of this HOME fills the task definition cache, as the first run on a machine does; the
  // sandbox's loopback endpoint is not cached on disk (its ARNs are reused), so every run here is a cold one.
  await status();

  console.log(`\n1. CLI start-up (fresh processes; medians of ${RUNS}; NODE_EXTRA_CA_CERTS ${process.env.NODE_EXTRA_CA_CERTS ? 'set' : 'unset'})`);
  const m = await medians({
    node: () => timed(node, ['-e', '0'], env, home),
    help: () => timed(node, [cli, '--help'], env, home),
    version: () => timed(node, [cli, '--version'], env, home),
    status,
  });
  console.log(`   node -e 0 ${fmt(m.node)}   --help ${fmt(m.help)}   --version ${fmt(m.version)}   status ${fmt(m.status)}`);
  line('   spryker-deploy --help / node -e 0', `${(m.help / m.node).toFixed(2)}×`, '≤ 1.2×', m.help / m.node <= 1.2);
  line('   spryker-deploy status / node -e 0 (local sandbox)', `${(m.status / m.node).toFixed(2)}×`, '≤ 2×', m.status / m.node <= 2);

  console.log(`\n2. status against the AWS CLI chain (6 aws processes, one per call; medians of ${RUNS})`);
  for (const latency of [0, 50]) {
    sandbox.control.clearFaults();
    if (latency) sandbox.control.addFault({ kind: 'latency', ms: latency });
    const r = await medians({ status, aws: awsChain });
    const ratio = r.aws / r.status;
    line(`   ${latency} ms latency: status ${fmt(r.status)}, AWS CLI ${fmt(r.aws)}`, `${ratio.toFixed(1)}× faster`, latency === 50 ? '≥ 15×' : '—', latency !== 50 || ratio >= 15);
  }
  sandbox.control.clearFaults();
}

async function roundTripsAndCalls(): Promise<void> {
  const ENVS = Array.from({ length: 20 }, (_, i) => `spryker-env${String(i + 1).padStart(2, '0')}`);
  const sandbox = await startSandbox({ environments: ENVS, stageSeconds: 3600, seed: 3 });
  try {
    sandbox.control.addFault({ kind: 'latency', ms: 50 });
    const timings: { start: number; end: number }[] = [];
    const factory = createAwsPortsFactory({ credentials: sandbox.credentials, endpoint: sandbox.endpoint, onCall: (i: CallInfo) => timings.push({ start: i.startedAt, end: i.startedAt + i.ms }) });
    const measure = async (work: () => Promise<unknown>) => {
      sandbox.clearRequests();
      timings.length = 0;
      const t = performance.now();
      await work();
      return { calls: sandbox.requests().length, rounds: roundTrips(timings), ms: performance.now() - t };
    };
    console.log('\n3. calls and round trips at 50 ms latency (the sandbox counts calls; round trips from the call timings)');
    // One environment in a new process whose task definitions are known (the CLI's user cache): fresh memory caches.
    const known = createCoreCaches();
    const config = (name: string) => resolveEnvironment({ name, region: sandbox.region, endpoint: sandbox.endpoint });
    await createEnvironmentService(config(ENVS[0]), factory(config(ENVS[0])), { caches: known }).status();
    const stored = new Map<string, readonly import('../src/core/model').ContainerImage[]>();
    for (const [k, v] of known.taskDefinitions) stored.set(k, await v);
    const persistent = { get: (k: string) => stored.get(k), set: () => {} };
    const cold = await measure(() => createEnvironmentService(config(ENVS[0]), factory(config(ENVS[0])), { caches: createCoreCaches({ persistent }) }).status());
    line(`   1 env, new process, task definitions cached (${fmt(cold.ms)})`, `${cold.calls} calls, ${cold.rounds} round trips`, '≤ 7, ≤ 2', cold.calls <= 7 && cold.rounds <= 2);
    const first = await measure(() => createEnvironmentService(config(ENVS[1]), factory(config(ENVS[1]))).status());
    console.log(`   1 env, first run ever (no cache)                  ${first.calls} calls, ${first.rounds} round trips (DescribeTaskDefinition per revision)`);
    const caches = createCoreCaches();
    const services = ENVS.map((n) => createEnvironmentService(config(n), factory(config(n)), { caches }));
    const all1 = await measure(() => Promise.all(services.map((s) => s.status())));
    console.log(`   20 envs, extension's first refresh                ${all1.calls} calls, ${all1.rounds} round trips, ${fmt(all1.ms)}`);
    const all = await measure(() => Promise.all(services.map((s) => s.status())));
    const one = await measure(() => services[0].status());
    line(`   20 envs together, steady state (${fmt(all.ms)})`, `${all.calls} calls, ${all.rounds} round trips`, '≤ 3 trips', all.rounds <= 3);
    line('   calls per environment, 20 envs vs 1 env', `${(all.calls / 20).toFixed(1)} vs ${one.calls}`, 'linear', all.calls <= 20 * one.calls);
  } finally {
    await sandbox.stop();
  }
}

async function main(): Promise<void> {
  execFileSync(process.execPath, ['esbuild.js', '--production'], { cwd: root, stdio: 'inherit' });
  const kb = (f: string) => statSync(path.join(root, 'dist', f)).size / 1024;
  console.log(`0. sizes: cli.js ${kb('cli.js').toFixed(1)} KB (target ≤ 60 KB), aws.js ${kb('aws.js').toFixed(0)} KB, extension.js ${kb('extension.js').toFixed(1)} KB (≤ 150 KB)`);
  const home = mkdtempSync(path.join(tmpdir(), 'sd-bench-'));
  writeFileSync(path.join(home, '.spryker-deploy.json'), JSON.stringify({ environments: [{ name: 'spryker-staging' }] }));
  const sandbox = await startSandbox({ stageSeconds: 3600, seed: 2 });
  try {
    await startup(sandbox, home);
  } finally {
    await sandbox.stop();
    rmSync(home, { recursive: true, force: true });
  }
  await roundTripsAndCalls();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
