// `npm run test:ui`: mocha over test/ui/**/*.test.ts on the system Node (tsx), with the extension prepared once
// (development build, or the packaged .vsix under CI) for every workbench the tests open. Prints each test,
// then "N passed, N failed"; exits non-zero on any failure or when no test ran.
import Mocha from 'mocha';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO_ROOT } from '../../scripts/harness/codeServer';
import { prepareExtension } from '../../scripts/harness/extensionSource';
import { reorderTests } from '../../scripts/harness/testOrder';

function findTests(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.test.ts'))
    .map((entry) => path.join(entry.parentPath, entry.name))
    .sort();
}

async function main(): Promise<boolean> {
  const started = Date.now();
  const extension = prepareExtension();
  console.log(`[test:ui] extension: ${extension.kind === 'vsix' ? path.relative(REPO_ROOT, extension.file) : 'development mode'}`);
  process.env.HARNESS_PREPARED_EXTENSION = JSON.stringify(extension);

  const mocha = new Mocha({
    ui: 'bdd',
    reporter: 'spec',
    timeout: Number(process.env.UI_TEST_TIMEOUT_MS ?? 120_000),
    grep: process.env.GREP || undefined,
  });
  const files = findTests(__dirname);
  if (files.length === 0) throw new Error(`no *.test.ts files in ${__dirname}`);
  for (const file of files) mocha.addFile(file);
  await mocha.loadFilesAsync();
  const order = reorderTests(mocha.suite, process.env.TEST_ORDER);
  if (order) console.log(`[test:ui] ${order}`);
  const runner = mocha.run();
  await new Promise<void>((resolve) => runner.on('end', () => resolve()));
  const { passes = 0, failures = 0 } = runner.stats ?? {};
  console.log(`${passes} passed, ${failures} failed`);
  console.log(`[test:ui] finished in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return failures === 0 && passes > 0;
}

main().then(
  (passed) => process.exit(passed ? 0 : 1),
  (error: unknown) => {
    console.error(`[test:ui] ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    console.log('0 passed, 1 failed');
    process.exit(1);
  },
);
