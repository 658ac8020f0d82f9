// What the benchmark's parts share: medians of interleaved runs, the figure line with its target, round trips from
// call timings, the extension host stand-in (bundled once, run in plain Node) and the sandbox process environment.
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';

export const run = promisify(execFile);
export const root = path.resolve(__dirname, '..');
export const RUNS = Math.max(5, Number(process.env.BENCH_RUNS ?? 7));

/**
 * The production bundles the benchmark measures: a copy of dist/ made right after the production build (main.ts),
 * so a development build another process writes into dist/ meanwhile (the test tiers do) cannot swap them.
 */
export const bundles = (): string => process.env.BENCH_DIST ?? path.join(root, 'dist');

export const median = (xs: readonly number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
export const fmt = (ms: number): string => `${ms.toFixed(0).padStart(5)} ms`;

/** One figure: label, value, target and whether it is met (no target: '—', informational). */
export function line(label: string, value: string, target: string, ok: boolean | undefined): void {
  console.log(`${label.padEnd(60)} ${value.padEnd(30)} target ${target.padEnd(10)} ${ok === undefined ? '' : ok ? 'met' : 'NOT MET'}`);
}

export async function timed(file: string, args: readonly string[], env: NodeJS.ProcessEnv, cwd: string): Promise<number> {
  const t = performance.now();
  await run(file, [...args], { env, cwd });
  return performance.now() - t;
}

/** Medians of interleaved runs: each round runs every variant once, so a change of load hits all alike. */
export async function medians<K extends string>(variants: Record<K, () => Promise<number>>, runs = RUNS): Promise<Record<K, number>> {
  const keys = Object.keys(variants) as K[];
  const samples = Object.fromEntries(keys.map((k) => [k, [] as number[]])) as Record<K, number[]>;
  for (let i = 0; i < runs; i++) for (const k of keys) samples[k].push(await variants[k]());
  return Object.fromEntries(keys.map((k) => [k, median(samples[k])])) as Record<K, number>;
}

/** A fresh process to time: what a shell would start. */
export interface ProcessRun {
  readonly file: string;
  readonly args: readonly string[];
  readonly env: NodeJS.ProcessEnv;
}

// The timer of processMedians: plain Node, nothing loaded, spawnSync (the spec comes as its one argument). With
// GNU time (/usr/bin/time) it also reads each run's CPU time (user + system), which the load distorts less.
const PROCESS_TIMER = `
const { spawnSync } = require('node:child_process');
const { existsSync } = require('node:fs');
const { runs, cwd, variants } = JSON.parse(process.argv[1]);
const time = existsSync('/usr/bin/time') && spawnSync('/usr/bin/time', ['-f', '%U', 'true']).status === 0;
const samples = Object.fromEntries(Object.keys(variants).map((k) => [k, { wall: [], cpu: [] }]));
for (let i = 0; i < runs; i++) for (const [k, v] of Object.entries(variants)) {
  const t = process.hrtime.bigint();
  const r = time
    ? spawnSync('/usr/bin/time', ['-f', 'CPU %U %S', v.file, ...v.args], { env: v.env, cwd, maxBuffer: 64 * 2 ** 20 })
    : spawnSync(v.file, v.args, { env: v.env, cwd, maxBuffer: 64 * 2 ** 20 });
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  if (r.status !== 0) { process.stderr.write(k + ' exited with ' + r.status + ': ' + String(r.stderr)); process.exit(1); }
  samples[k].wall.push(ms);
  const cpu = time && /CPU (\\S+) (\\S+)\\s*$/.exec(String(r.stderr));
  if (cpu) samples[k].cpu.push((Number(cpu[1]) + Number(cpu[2])) * 1000);
}
process.stdout.write(JSON.stringify(samples));
`;

/**
 * Medians of interleaved runs of fresh processes, timed as a shell starts them: by a small plain-Node process
 * with spawnSync, while this process (whose event loop serves the in-process sandbox) only waits for its answer.
 * Timed from this process itself (tsx, the sandbox, a large heap, an async child_process), `node -e 0` took
 * 360 ms where a light parent measured 150-240 ms at the same load: an overhead every variant paid, which made
 * the start-up ratios look up to twice as good as they are. `cpu`: medians of CPU time where GNU time exists.
 */
export async function processMedians<K extends string>(
  variants: Record<K, ProcessRun>,
  cwd: string,
  runs = RUNS,
): Promise<{ wall: Record<K, number>; cpu: Record<K, number> | undefined }> {
  const { stdout } = await run(process.execPath, ['-e', PROCESS_TIMER, JSON.stringify({ runs, cwd, variants })], { cwd, env: { PATH: process.env.PATH }, maxBuffer: 16 * 2 ** 20 });
  const samples = Object.entries(JSON.parse(stdout) as Record<K, { wall: number[]; cpu: number[] }>) as [K, { wall: number[]; cpu: number[] }][];
  const wall = Object.fromEntries(samples.map(([k, x]) => [k, median(x.wall)])) as Record<K, number>;
  const cpu = samples.every(([, x]) => x.cpu.length === runs) ? (Object.fromEntries(samples.map(([k, x]) => [k, median(x.cpu)])) as Record<K, number>) : undefined;
  return { wall, cpu };
}

export { roundTrips } from './roundTrips';

/** Environment of a child process that talks to the sandbox with its credentials and nothing from the user's. */
export function sandboxEnv(sandbox: { endpoint: string; region: string }, home: string): NodeJS.ProcessEnv {
  return {
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
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    ...(process.env.NODE_EXTRA_CA_CERTS ? { NODE_EXTRA_CA_CERTS: process.env.NODE_EXTRA_CA_CERTS } : {}),
  };
}

let hostBundle: string | undefined;

/** bench/extensionHost.ts bundled for plain Node (the production dist/ bundles it loads are built by main). */
export async function extensionHost(): Promise<string> {
  if (hostBundle) return hostBundle;
  const esbuild = await import('esbuild');
  const outfile = path.join(mkdtempSync(path.join(tmpdir(), 'sd-bench-host-')), 'extensionHost.js');
  await esbuild.build({ entryPoints: [path.join(__dirname, 'extensionHost.ts')], bundle: true, platform: 'node', format: 'cjs', target: 'node20', outfile, logLevel: 'warning' });
  return (hostBundle = outfile);
}

/** Runs the extension host stand-in in a fresh plain-Node process; its RESULT line, parsed. */
export async function runHost<T>(nodeArgs: readonly string[], args: readonly string[], env: NodeJS.ProcessEnv): Promise<T> {
  const { stdout } = await run(process.execPath, [...nodeArgs, await extensionHost(), ...args], { env: { ...env, BENCH_DIST: bundles() }, cwd: root, maxBuffer: 16 * 2 ** 20 });
  const result = stdout.split('\n').find((l) => l.startsWith('RESULT '));
  if (!result) throw new Error(`the extension host stand-in printed no result:\n${stdout}`);
  return JSON.parse(result.slice('RESULT '.length)) as T;
}
