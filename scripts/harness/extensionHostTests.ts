// Shared by the two ways of running test/vscode in an extension host (code-server here, desktop VS Code through
// @vscode/test-electron): bundling the tests, and reading and printing mocha's JSON results.
import * as esbuild from 'esbuild';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO_ROOT } from './codeServer';

export const EXTENSION_HOST_TEST_DIR = path.join(REPO_ROOT, 'test', 'vscode');
export const RESULTS_DIR = path.join(REPO_ROOT, 'test-results');
const BUNDLE_DIR = path.join(REPO_ROOT, 'out', 'test-vscode');

interface MochaJsonTest {
  fullTitle: string;
  duration?: number;
  err: { message?: string; stack?: string };
}

export interface MochaJsonReport {
  stats: { passes: number; failures: number; pending: number };
  tests: MochaJsonTest[];
  failures: MochaJsonTest[];
  pending: MochaJsonTest[];
}

function findTestSources(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.test.ts'))
    .map((entry) => path.join(entry.parentPath, entry.name))
    .sort();
}

/**
 * Bundles test/vscode/index.ts and every *.test.ts into out/test-vscode, one CommonJS file each, and returns
 * the entry to pass as extensionTestsPath. `vscode` comes from the extension host, mocha from node_modules.
 */
export async function bundleExtensionHostTests(log: (message: string) => void): Promise<string> {
  const tests = findTestSources(EXTENSION_HOST_TEST_DIR);
  if (tests.length === 0) throw new Error(`no *.test.ts files in ${EXTENSION_HOST_TEST_DIR}`);
  fs.rmSync(BUNDLE_DIR, { recursive: true, force: true });
  await esbuild.build({
    entryPoints: [path.join(EXTENSION_HOST_TEST_DIR, 'index.ts'), ...tests],
    outdir: BUNDLE_DIR,
    outbase: EXTENSION_HOST_TEST_DIR,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    mainFields: ['module', 'main'],
    external: ['vscode', 'mocha'],
    sourcemap: 'inline',
    logLevel: 'warning',
  });
  log(`bundled ${tests.length} test file(s): ${tests.map((t) => path.relative(REPO_ROOT, t)).join(', ')}`);
  return path.join(BUNDLE_DIR, 'index.js');
}

export function readMochaReport(file: string): MochaJsonReport | undefined {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as MochaJsonReport;
  } catch {
    return undefined;
  }
}

/**
 * Prints every test and the final "N passed, N failed" line; returns whether the run counts as passed: results
 * exist, at least one test passed, none failed, and the extension host reported success (exit code 0).
 */
export function printMochaReport(report: MochaJsonReport | undefined, exitCode: number | 'timeout', log: (message: string) => void): boolean {
  if (!report) {
    log(exitCode === 'timeout' ? 'timed out without results' : 'no results were written');
    console.log('0 passed, 1 failed');
    return false;
  }
  const failed = new Set(report.failures.map((t) => t.fullTitle));
  const pending = new Set(report.pending.map((t) => t.fullTitle));
  for (const test of report.tests) {
    if (pending.has(test.fullTitle)) console.log(`  - ${test.fullTitle} (pending)`);
    else if (failed.has(test.fullTitle)) console.log(`  ✗ ${test.fullTitle}`);
    else console.log(`  ✓ ${test.fullTitle} (${test.duration ?? 0} ms)`);
  }
  // Hook failures appear in `failures` without a matching entry in `tests`.
  for (const failure of report.failures) {
    console.log(`\n  ✗ ${failure.fullTitle}\n    ${(failure.err.stack ?? failure.err.message ?? '').split('\n').join('\n    ')}`);
  }
  const { passes, failures } = report.stats;
  console.log(`${passes} passed, ${failures} failed`);
  if (exitCode === 'timeout') log('timed out before the run finished');
  return failures === 0 && passes > 0 && exitCode === 0;
}
