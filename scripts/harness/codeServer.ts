// Starts the test VS Code: code-server (under the Node 24 from the harness cache) with throw-away profile,
// extension and XDG folders, quiet settings, no network, and our extension either installed from a .vsix or
// loaded in development mode through the workbench URL's payload. The harness itself runs on the system Node.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { harnessPaths, type HarnessPaths } from './config';

export const EXTENSION_ID = 'spryker-cloud-tools.spryker-cloud-deploy';
export const REPO_ROOT = path.resolve(__dirname, '..', '..');

/** How the extension gets into the test VS Code. */
export type ExtensionSource = { kind: 'development'; path: string } | { kind: 'vsix'; file: string; /** Default: ours. */ id?: string };

export interface CodeServerOptions {
  /** The folder the workbench opens (e.g. a temporary git repository from createGitWorkspace). */
  workspaceFolder: string;
  /**
   * A `.code-workspace` file to open instead of the bare folder (it should list workspaceFolder first). In a
   * workspace, folders can be added at run time without restarting the extension host, which a single-folder
   * window cannot do: the multi-root tests need it.
   */
  workspaceFile?: string;
  extension: ExtensionSource;
  /** User settings added to (and overriding) the quiet defaults, e.g. `sprykerDeploy.environments`. */
  settings?: Record<string, unknown>;
  /** Extra environment variables; code-server passes its environment on to the extension host. */
  env?: Record<string, string>;
  /** Keep the temporary folders after stop (logs, profile) for a post-mortem. */
  keepTemp?: boolean;
  /**
   * Start with VS Code's smoke-test driver (default true): needed for the URL payload (development path, tests
   * path), but it also keeps every notification toast hidden. The demo installs a .vsix and turns it off, so a
   * person sees toasts as in a normal VS Code.
   */
  smokeTestDriver?: boolean;
  /**
   * Open the folder in Restricted Mode (default false: trust is off, every folder trusted). Workspace trust is
   * turned on without its startup prompt, so the untrusted folder opens restricted as a real user's would.
   */
  restrictedMode?: boolean;
}

export interface CodeServer {
  readonly origin: string;
  readonly port: number;
  readonly tempDir: string;
  readonly logFile: string;
  /** The user settings file; the workbench watches it, so changes apply to an open window. */
  readonly settingsFile: string;
  /** Merges `values` into the user settings (undefined removes a key). */
  updateSettings(values: Record<string, unknown>): void;
  /** The workbench URL; `extensionTestsPath` makes the workbench run a test module in the extension host. */
  workbenchUrl(options?: { extensionTestsPath?: string }): string;
  stop(): Promise<void>;
}

/** Everything that would distract a test or reach for the network is off. */
export const QUIET_SETTINGS: Readonly<Record<string, unknown>> = {
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'extensions.ignoreRecommendations': true,
  'chat.disableAIFeatures': true,
  'git.openRepositoryInParentFolders': 'never',
  'security.workspace.trust.enabled': false,
  'window.dialogStyle': 'custom',
};

/** code-server's gallery points at a closed port, so nothing ever tries the marketplace. */
const OFFLINE_GALLERY = '{"serviceUrl":"http://127.0.0.1:9/gallery","itemUrl":"http://127.0.0.1:9/item"}';

function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // The group is already gone.
  }
}

/** Process groups (and their temporary folders) of the code-servers this process started and has not stopped. */
const runningGroups = new Map<number, string | undefined>();
let exitHooksInstalled = false;

/** A harness ended by Ctrl-C, a CI timeout or process.exit must not leave code-server (its own group) running. */
function killGroupsOnExit(): void {
  if (exitHooksInstalled) return;
  exitHooksInstalled = true;
  process.on('exit', () => {
    for (const [pgid, tempDir] of runningGroups) {
      signalGroup(pgid, 'SIGKILL');
      if (tempDir) fs.rmSync(tempDir, { recursive: true, force: true });
    }
  });
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(signal, () => {
      // When another listener (KEEP_OPEN's wait) takes the signal, it decides; otherwise end as by default.
      if (process.listenerCount(signal) === 1) process.exit(128 + os.constants.signals[signal]);
    });
  }
}

function requireInstalled(): HarnessPaths {
  const paths = harnessPaths();
  if (!fs.existsSync(paths.stampFile) || !fs.existsSync(paths.codeServerEntry)) {
    throw new Error(`code-server is not installed in ${paths.root}: run \`npm run harness:install\` first`);
  }
  return paths;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

function tail(file: string, lines = 30): string {
  try {
    return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

async function waitForHealth(origin: string, child: ChildProcess, logFile: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`code-server exited (${child.exitCode ?? child.signalCode}) during start-up:\n${tail(logFile)}`);
    }
    try {
      const response = await fetch(`${origin}/healthz`);
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`code-server did not answer ${origin}/healthz within ${timeoutMs / 1000} s:\n${tail(logFile)}`);
}

function baseEnv(paths: HarnessPaths, xdgDir: string, extra: Record<string, string>): NodeJS.ProcessEnv {
  // npm_* variables from an outer `npm run` describe the harness's Node 20 and mean nothing to code-server.
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^npm_/i.test(key)));
  return {
    ...inherited,
    PATH: `${path.dirname(paths.nodeBinary)}${path.delimiter}${process.env.PATH ?? ''}`,
    XDG_CONFIG_HOME: path.join(xdgDir, 'config'),
    XDG_DATA_HOME: path.join(xdgDir, 'data'),
    XDG_CACHE_HOME: path.join(xdgDir, 'cache'),
    EXTENSIONS_GALLERY: OFFLINE_GALLERY,
    ...extra,
  };
}

/** Installs the .vsix the way a user would and returns the folder it was unpacked to. */
function installVsix(paths: HarnessPaths, dirs: { userData: string; extensions: string }, vsix: string, env: NodeJS.ProcessEnv, id = EXTENSION_ID): string {
  const result = spawnSync(
    paths.nodeBinary,
    [paths.codeServerEntry, '--user-data-dir', dirs.userData, '--extensions-dir', dirs.extensions, '--install-extension', vsix],
    { env, encoding: 'utf8' },
  );
  const output = `${result.stdout}${result.stderr}`;
  if (result.status !== 0 || !/successfully installed/i.test(output)) {
    throw new Error(`installing ${vsix} into code-server failed:\n${output}`);
  }
  const folder = fs.readdirSync(dirs.extensions).find((name) => name.toLowerCase().startsWith(`${id}-`));
  if (!folder) throw new Error(`${vsix} reported success but ${id} is not in ${dirs.extensions}`);
  return path.join(dirs.extensions, folder);
}

export async function startCodeServer(options: CodeServerOptions): Promise<CodeServer> {
  const paths = requireInstalled();
  const tempDir = fs.mkdtempSync(path.join(os.tmpdir(), 'scd-code-server-'));
  const dirs = {
    userData: path.join(tempDir, 'user-data'),
    extensions: path.join(tempDir, 'extensions'),
    xdg: path.join(tempDir, 'xdg'),
  };
  for (const dir of Object.values(dirs)) fs.mkdirSync(dir, { recursive: true });
  const settingsFile = path.join(dirs.userData, 'User', 'settings.json');
  fs.mkdirSync(path.dirname(settingsFile), { recursive: true });
  const trust = options.restrictedMode ? { 'security.workspace.trust.enabled': true, 'security.workspace.trust.startupPrompt': 'never' } : {};
  fs.writeFileSync(settingsFile, JSON.stringify({ ...QUIET_SETTINGS, ...trust, ...options.settings }, null, 2));
  const updateSettings = (values: Record<string, unknown>): void => {
    const current = JSON.parse(fs.readFileSync(settingsFile, 'utf8')) as Record<string, unknown>;
    fs.writeFileSync(settingsFile, JSON.stringify({ ...current, ...values }, null, 2));
  };

  if (options.smokeTestDriver === false && options.extension.kind === 'development') {
    throw new Error('a development-mode extension needs the smoke-test driver (the workbench ignores the URL payload without it)');
  }
  const env = baseEnv(paths, dirs.xdg, options.env ?? {});
  const installedExtension =
    options.extension.kind === 'vsix' ? installVsix(paths, dirs, options.extension.file, env, options.extension.id) : undefined;

  const port = await freePort();
  const host = `127.0.0.1:${port}`;
  const origin = `http://${host}`;
  const logFile = path.join(tempDir, 'code-server.log');
  const logFd = fs.openSync(logFile, 'a');
  const child = spawn(
    paths.nodeBinary,
    [
      paths.codeServerEntry,
      '--bind-addr', host,
      '--auth', 'none',
      '--disable-telemetry',
      '--disable-update-check',
      ...(options.restrictedMode ? [] : ['--disable-workspace-trust']),
      '--user-data-dir', dirs.userData,
      '--extensions-dir', dirs.extensions,
      // Without the smoke-test driver the workbench ignores the URL payload (development path, tests path).
      ...(options.smokeTestDriver === false ? [] : ['--vscode-option', 'enable-smoke-test-driver']),
      options.workspaceFile ?? options.workspaceFolder,
    ],
    // Its own process group (setsid), so that stop() also ends the file watcher and extension host children.
    { env, detached: true, stdio: ['ignore', logFd, logFd] },
  );
  fs.closeSync(logFd);
  const pgid = child.pid;
  if (pgid === undefined) throw new Error('code-server did not start');
  killGroupsOnExit();
  runningGroups.set(pgid, options.keepTemp ? undefined : tempDir);

  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    const exited = new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) resolve();
      else child.once('exit', () => resolve());
    });
    signalGroup(pgid, 'SIGTERM');
    const timedOut = await Promise.race([exited.then(() => false), new Promise<boolean>((r) => setTimeout(() => r(true), 5000))]);
    // Children (extension host, watcher) may outlive the server's own exit; the group kill catches them too.
    signalGroup(pgid, timedOut ? 'SIGKILL' : 'SIGTERM');
    runningGroups.delete(pgid);
    if (!options.keepTemp) fs.rmSync(tempDir, { recursive: true, force: true });
  };

  try {
    await waitForHealth(origin, child, logFile, 60_000);
  } catch (error) {
    await stop();
    throw error;
  }

  const remote = (absolutePath: string): string => `vscode-remote://${host}${absolutePath}`;
  return {
    origin,
    port,
    tempDir,
    logFile,
    settingsFile,
    updateSettings,
    workbenchUrl({ extensionTestsPath } = {}) {
      const payload: [string, string][] = [];
      // The workbench runs extensionTestsPath only in an extension development window. With a .vsix, the
      // development path is the folder the .vsix was installed to, so the tests still run the packaged files.
      const developmentPath = options.extension.kind === 'development' ? options.extension.path : extensionTestsPath && installedExtension;
      if (developmentPath) payload.push(['extensionDevelopmentPath', remote(developmentPath)]);
      if (extensionTestsPath) payload.push(['extensionTestsPath', remote(extensionTestsPath)]);
      const query = new URLSearchParams(options.workspaceFile ? { workspace: options.workspaceFile } : { folder: options.workspaceFolder });
      if (payload.length > 0) query.set('payload', JSON.stringify(payload));
      return `${origin}/?${query.toString()}`;
    },
    stop,
  };
}
