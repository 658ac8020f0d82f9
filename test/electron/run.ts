// `npm run test:electron`: the same extension-host suite as `npm run test:vscode` (test/vscode/*.test.ts), run
// in a desktop VS Code through @vscode/test-electron, for people who have one. It downloads VS Code unless
// VSCODE_EXECUTABLE_PATH names an installed `code` binary; machines without internet cannot run it, which is
// why `npm test` runs the suite on code-server instead.
import { runTests } from '@vscode/test-electron';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { REPO_ROOT } from '../../scripts/harness/codeServer';
import { prepareExtension } from '../../scripts/harness/extensionSource';
import { RESULTS_DIR, bundleExtensionHostTests, printMochaReport, readMochaReport } from '../../scripts/harness/extensionHostTests';
import { awsEnvironment, startSandboxIfAvailable, type HarnessSandbox } from '../../scripts/harness/sandbox';
import { createGitWorkspace } from '../../scripts/harness/workspace';

const RESULTS_FILE = path.join(RESULTS_DIR, 'electron-results.json');

function log(message: string): void {
  console.log(`[test:electron] ${message}`);
}

async function main(): Promise<boolean> {
  prepareExtension('development');
  const entry = await bundleExtensionHostTests(log);
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  fs.rmSync(RESULTS_FILE, { force: true });
  const workspace = createGitWorkspace();
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'scd-electron-test-'));
  let sandbox: HarnessSandbox | undefined;
  try {
    sandbox = await startSandboxIfAvailable();
    const exitCode = await runTests({
      vscodeExecutablePath: process.env.VSCODE_EXECUTABLE_PATH || undefined,
      extensionDevelopmentPath: REPO_ROOT,
      extensionTestsPath: entry,
      extensionTestsEnv: { ...awsEnvironment(scratch, sandbox), SPRYKER_TEST_RESULTS_FILE: RESULTS_FILE },
      launchArgs: [workspace.path, '--disable-extensions', '--disable-workspace-trust', '--user-data-dir', path.join(scratch, 'user-data')],
    });
    return printMochaReport(readMochaReport(RESULTS_FILE), exitCode, log);
  } finally {
    await sandbox?.stop();
    workspace.remove();
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

main().then(
  (passed) => process.exit(passed ? 0 : 1),
  (error: unknown) => {
    console.error(`[test:electron] ${error instanceof Error ? error.message : String(error)}`);
    console.log('0 passed, 1 failed');
    process.exit(1);
  },
);
