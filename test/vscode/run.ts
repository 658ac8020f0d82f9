// `npm run test:vscode`: runs test/vscode/**/*.test.ts with mocha inside the extension host of a real VS Code
// (code-server, driven by headless Chromium), the web equivalent of @vscode/test-electron's extensionTestsPath.
// Prints every test, then "N passed, N failed"; exits non-zero on any failure, on no tests, or on a timeout.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { launchChromium, newLocalContext } from '../../scripts/harness/browser';
import { REPO_ROOT, startCodeServer, type CodeServer } from '../../scripts/harness/codeServer';
import { prepareExtension } from '../../scripts/harness/extensionSource';
import { RESULTS_DIR, bundleExtensionHostTests, printMochaReport, readMochaReport } from '../../scripts/harness/extensionHostTests';
import { resolveOrder } from '../../scripts/harness/testOrder';
import { awsEnvironment, startSandboxIfAvailable, type HarnessSandbox } from '../../scripts/harness/sandbox';
import { createGitWorkspace, type GitWorkspace } from '../../scripts/harness/workspace';

const RESULTS_FILE = path.join(RESULTS_DIR, 'vscode-results.json');
const RUN_TIMEOUT_MS = Number(process.env.VSCODE_TEST_RUN_TIMEOUT_MS ?? 900_000);

function log(message: string): void {
  console.log(`[test:vscode] ${message}`);
}

function copyLogs(server: CodeServer): void {
  const target = path.join(RESULTS_DIR, 'vscode-logs');
  fs.rmSync(target, { recursive: true, force: true });
  fs.cpSync(path.join(server.tempDir, 'user-data', 'logs'), target, { recursive: true });
  fs.copyFileSync(server.logFile, path.join(target, 'code-server.log'));
  log(`logs copied to ${path.relative(REPO_ROOT, target)}`);
}

async function waitForInterrupt(url: string): Promise<void> {
  log(`KEEP_OPEN: the workbench stays up at ${url} — press Ctrl-C to stop`);
  await new Promise<void>((resolve) => process.once('SIGINT', () => resolve()));
}

async function main(): Promise<boolean> {
  const started = Date.now();
  const extension = prepareExtension();
  log(`extension: ${extension.kind === 'vsix' ? path.relative(REPO_ROOT, extension.file) : 'development mode'}`);
  const entry = await bundleExtensionHostTests(log);
  const order = resolveOrder(process.env.TEST_ORDER);
  if (order) log(`TEST_ORDER=${order}`);
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  fs.rmSync(RESULTS_FILE, { force: true });

  let workspace: GitWorkspace | undefined;
  let sandbox: HarnessSandbox | undefined;
  let server: CodeServer | undefined;
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'scd-vscode-test-'));
  const browser = await launchChromium();
  try {
    workspace = createGitWorkspace();
    sandbox = await startSandboxIfAvailable();
    if (sandbox) log(`sandbox at ${sandbox.endpoint}`);
    // A saved workspace with the one repository folder: behaves as the folder for every test, and lets the
    // multi-root tests add folders at run time (a single-folder window would restart the extension host).
    const workspaceFile = path.join(scratch, 'shop.code-workspace');
    fs.writeFileSync(workspaceFile, JSON.stringify({ folders: [{ path: workspace.path }], settings: {} }, null, 2));
    server = await startCodeServer({
      workspaceFolder: workspace.path,
      workspaceFile,
      extension,
      env: {
        ...awsEnvironment(scratch, sandbox),
        SPRYKER_TEST_RESULTS_FILE: RESULTS_FILE,
        ...(process.env.GREP ? { SPRYKER_TEST_GREP: process.env.GREP } : {}),
        ...(order ? { SPRYKER_TEST_ORDER: order } : {}),
      },
    });
    log(`code-server ${server.origin} up after ${((Date.now() - started) / 1000).toFixed(1)} s`);

    const page = await (await newLocalContext(browser)).newPage();
    const consoleLog = fs.createWriteStream(path.join(RESULTS_DIR, 'vscode-console.log'));
    // The page goes on logging after the run is over; writing to the closed file would crash the runner.
    page.on('console', (message) => {
      if (!consoleLog.writableEnded) consoleLog.write(`[${message.type()}] ${message.text()}\n`);
    });
    // The workbench calls this after run() settles: 0 when it resolved. Must exist before the page loads.
    let reportExit: (code: number) => void = () => undefined;
    const exitCode = new Promise<number>((resolve) => (reportExit = resolve));
    await page.exposeFunction('codeAutomationExit', (code: number) => reportExit(code));
    const timeout = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), RUN_TIMEOUT_MS).unref());
    const url = server.workbenchUrl({ extensionTestsPath: entry });
    // A loaded machine (CI on 2 cores) can take longer than Playwright's 30 s default to serve the workbench.
    await page.goto(url, { timeout: 120_000 });
    const outcome = await Promise.race([exitCode, timeout]);
    consoleLog.end();

    const passed = printMochaReport(readMochaReport(RESULTS_FILE), outcome, log);
    if (!passed) copyLogs(server);
    log(`finished in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    // Without the tests path: opening that URL would run the tests again.
    if (process.env.KEEP_OPEN === '1') await waitForInterrupt(server.workbenchUrl());
    return passed;
  } finally {
    await browser.close();
    await server?.stop();
    await sandbox?.stop();
    workspace?.remove();
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

main().then(
  (passed) => process.exit(passed ? 0 : 1),
  (error: unknown) => {
    console.error(`[test:vscode] ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    console.log('0 passed, 1 failed');
    process.exit(1);
  },
);
