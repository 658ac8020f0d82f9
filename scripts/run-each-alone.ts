// Runs every unit or integration test alone: lists the tier's tests with mocha's --dry-run, then runs each in a
// mocha process of its own, over its own file with --grep set to its escaped, anchored full title, so nothing
// another test set up (a module's state, a sandbox, a file) can make it pass. Reports each failure with the end
// of its output.
//
//   npx tsx scripts/run-each-alone.ts unit [--jobs 2] [--grep REGEX]
//   npx tsx scripts/run-each-alone.ts integration --jobs 1
//
// --grep narrows which tests are run (one by one). Exits 1 when any test fails alone, when a title selects more
// than one test (it could not run alone), or when a run selected no test at all.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';

const REPO_ROOT = path.resolve(__dirname, '..');
const MOCHA = path.join(REPO_ROOT, 'node_modules', 'mocha', 'bin', 'mocha.js');

interface ListedTest {
  fullTitle: string;
  file: string;
}

interface AloneResult {
  test: ListedTest;
  passes: number;
  failures: number;
  seconds: number;
  /** The failures' messages and stacks from the JSON report (empty when there is none). */
  why: string;
  output: string;
}

/** The regular expression (as mocha's --grep takes it) that selects exactly this full title. */
export function exactTitlePattern(fullTitle: string): string {
  return `^${fullTitle.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}$`;
}

interface MochaConfig {
  spec: string[];
  'node-option'?: string[];
  timeout?: number;
}

function readConfig(tier: string): MochaConfig {
  return JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'test', tier, '.mocharc.json'), 'utf8')) as MochaConfig;
}

/**
 * mocha with the tier's options: over the tier's whole spec to list the tests, over one file to run one test (a
 * positional file would be added to the configuration's spec, not replace it, so the configuration is spelt out).
 */
function mochaArgs(tier: string, files: string[] | undefined, extra: string[]): string[] {
  const config = readConfig(tier);
  return [
    MOCHA,
    '--no-config',
    ...(config['node-option'] ?? []).flatMap((option) => ['--node-option', option]),
    ...(config.timeout === undefined ? [] : ['--timeout', String(config.timeout)]),
    ...extra,
    ...(files ?? config.spec),
  ];
}

function runMocha(args: string[]): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd: REPO_ROOT, env: { ...process.env, FORCE_COLOR: '0' } });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('close', (code) => resolve({ code: code ?? 1, output }));
  });
}

async function listTests(tier: string, scratch: string): Promise<ListedTest[]> {
  const file = path.join(scratch, 'list.json');
  const { code, output } = await runMocha(mochaArgs(tier, undefined, ['--dry-run', '--reporter', 'json', '--reporter-option', `output=${file}`]));
  if (code !== 0 || !fs.existsSync(file)) throw new Error(`listing the ${tier} tests failed:\n${output}`);
  const report = JSON.parse(fs.readFileSync(file, 'utf8')) as { tests: ListedTest[] };
  return report.tests.map(({ fullTitle, file: testFile }) => ({ fullTitle, file: testFile }));
}

async function runAlone(tier: string, test: ListedTest, scratch: string, index: number): Promise<AloneResult> {
  const started = Date.now();
  const file = path.join(scratch, `run-${index}.json`);
  const { output } = await runMocha(
    mochaArgs(tier, [test.file], ['--grep', exactTitlePattern(test.fullTitle), '--reporter', 'json', '--reporter-option', `output=${file}`]),
  );
  let passes = 0;
  let failures = 1;
  let why = '';
  try {
    const report = JSON.parse(fs.readFileSync(file, 'utf8')) as {
      stats: { passes: number; failures: number };
      failures?: { fullTitle: string; err?: { message?: string; stack?: string } }[];
    };
    ({ passes, failures } = report.stats);
    // The JSON reporter keeps the failures' messages out of the output.
    why = (report.failures ?? []).map((f) => `${f.fullTitle}:\n${f.err?.stack ?? f.err?.message ?? '(no message)'}\n`).join('\n');
  } catch {
    // no report: mocha itself failed (counted as one failure, its output is shown)
  }
  return { test, passes, failures, seconds: (Date.now() - started) / 1000, why, output };
}

async function main(): Promise<boolean> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { jobs: { type: 'string', default: '1' }, grep: { type: 'string' } },
  });
  const tier = positionals[0];
  if (tier !== 'unit' && tier !== 'integration') throw new Error('usage: run-each-alone.ts unit|integration [--jobs N] [--grep REGEX]');
  const jobs = Number(values.jobs);
  if (!Number.isInteger(jobs) || jobs < 1) throw new Error('--jobs takes a whole number of 1 or more');
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'run-each-alone-'));
  try {
    const filter = values.grep === undefined ? undefined : new RegExp(values.grep);
    const listed = await listTests(tier, scratch);
    const tests = listed.filter((test) => !filter || filter.test(test.fullTitle));
    const titleCounts = new Map<string, number>();
    for (const test of listed) titleCounts.set(test.fullTitle, (titleCounts.get(test.fullTitle) ?? 0) + 1);
    console.log(`[alone] ${tier}: ${tests.length} of ${listed.length} test(s), ${jobs} at a time`);

    const results: AloneResult[] = [];
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < tests.length) {
        const index = next++;
        const result = await runAlone(tier, tests[index], scratch, index);
        results.push(result);
        const ok = result.failures === 0 && result.passes === 1;
        console.log(`[alone] ${results.length}/${tests.length} ${ok ? 'ok  ' : 'FAIL'} ${result.seconds.toFixed(1)} s  ${result.test.fullTitle}`);
      }
    };
    await Promise.all(Array.from({ length: jobs }, () => worker()));

    const failed = results.filter((r) => r.failures > 0 || r.passes !== 1);
    for (const result of failed) {
      const title = result.test.fullTitle;
      const why =
        result.passes === 0 && result.failures === 0 ? 'selected no test'
        : (titleCounts.get(title) ?? 0) > 1 ? `its title is shared by ${titleCounts.get(title)} tests`
        : `${result.failures} failure(s), ${result.passes} pass(es)`;
      console.log(`\n[alone] FAILED ALONE: ${title} (${path.relative(REPO_ROOT, result.test.file)}): ${why}`);
      if (result.why) console.log(result.why);
      console.log(result.output.split('\n').slice(-20).join('\n'));
    }
    console.log(`\n[alone] ${tier}: ${results.length - failed.length} passed alone, ${failed.length} failed alone`);
    return failed.length === 0;
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

if (require.main === module) {
  main().then(
    (passed) => process.exit(passed ? 0 : 1),
    (error: unknown) => {
      console.error(`[alone] ${error instanceof Error ? error.message : String(error)}`);
      process.exit(1);
    },
  );
}
