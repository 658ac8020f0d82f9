// Runs inside the extension host: the workbench loads this module (payload `extensionTestsPath`) once the
// extension has been loaded, calls run(), and reports its outcome to the page through codeAutomationExit.
// The runner (run.ts) bundles this file and every *.test.ts next to it into out/test-vscode.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { reorderTests } from '../../scripts/harness/testOrder';

function findTestBundles(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.test.js'))
    .map((entry) => path.join(entry.parentPath, entry.name))
    .sort();
}

export async function run(): Promise<void> {
  const resultsFile = process.env.SPRYKER_TEST_RESULTS_FILE;
  if (!resultsFile) throw new Error('SPRYKER_TEST_RESULTS_FILE is not set: start these tests with `npm run test:vscode`');
  // Mocha stays outside the bundle (it loads its reporters dynamically); it resolves from the repository's
  // node_modules because the bundle lives in the repository's out/ folder.
  const load: NodeJS.Require = require;
  const Mocha = load('mocha') as typeof import('mocha');
  const mocha = new Mocha({
    ui: 'bdd',
    color: false,
    timeout: Number(process.env.SPRYKER_TEST_TIMEOUT_MS ?? 20_000),
    grep: process.env.SPRYKER_TEST_GREP || undefined,
    reporter: 'json',
    reporterOptions: { output: resultsFile },
  });
  for (const file of findTestBundles(__dirname)) mocha.addFile(file);
  await mocha.loadFilesAsync();
  const order = reorderTests(mocha.suite, process.env.SPRYKER_TEST_ORDER);
  if (order) console.log(`[test:vscode] ${order}`);
  const failures = await new Promise<number>((resolve) => mocha.run(resolve));
  if (failures > 0) throw new Error(`${failures} test(s) failed`);
}
