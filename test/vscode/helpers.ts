// Small helpers for tests that run inside the extension host (test/vscode/*.test.ts). They use the real
// `vscode` API of the code-server started by `npm run test:vscode`; see test/README.md.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { writeShopHistory } from '../../scripts/harness/sprykerShop';
import type { EnvironmentService } from '../../src/core/api';
import { createEnvironmentService } from '../../src/core/environmentService';
import { resolveEnvironment, type EnvironmentSettings } from '../../src/core/environments';
import { createAwsPortsFactory } from '../../src/aws';

export const EXTENSION_ID = 'spryker-cloud-tools.spryker-cloud-deploy';

/** The part of package.json "contributes" the tests look at. */
export interface Contributions {
  commands?: { command: string; title: string; category?: string }[];
  viewsContainers?: Record<string, { id: string; title: string; icon: string }[]>;
  views?: Record<string, { id: string; name: string; type?: string }[]>;
  configuration?: { properties?: Record<string, unknown> };
}

/** Our extension as the extension host knows it; fails the test if it is not installed or loaded. */
export function getExtension(): vscode.Extension<unknown> {
  const extension = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(extension, `extension ${EXTENSION_ID} is not loaded`);
  return extension;
}

/** Activates the extension (a no-op if already active) and returns what activate() returned. */
export async function activateExtension<T = unknown>(): Promise<T> {
  const extension = getExtension();
  await extension.activate();
  assert.ok(extension.isActive, `extension ${EXTENSION_ID} did not activate`);
  return extension.exports as T;
}

/** The manifest's contributions, so tests follow the manifest as it grows instead of repeating it. */
export function contributions(): Contributions {
  return (getExtension().packageJSON as { contributes?: Contributions }).contributes ?? {};
}

/** Polls until `probe` returns something other than undefined/false; fails with `message` after the timeout. */
export async function waitFor<T>(
  probe: () => T | undefined | false | Promise<T | undefined | false>,
  { timeoutMs = 10_000, intervalMs = 100, message = 'condition' }: { timeoutMs?: number; intervalMs?: number; message?: string } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
    } catch (error) {
      lastError = error;
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  const cause = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${message}${cause}`);
}

/** The folder the runner opened: a temporary git repository with one commit on `main`. */
export function workspaceFolder(): vscode.WorkspaceFolder {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'no workspace folder is open');
  return folder;
}

/** The local AWS sandbox the runner started for this run, or undefined when it is not available. */
export interface SandboxInfo {
  endpoint: string;
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
}

export function sandbox(): SandboxInfo | undefined {
  const raw = process.env.SPRYKER_TEST_SANDBOX;
  return raw ? (JSON.parse(raw) as SandboxInfo) : undefined;
}

/**
 * Sets user settings (e.g. `sprykerDeploy.environments`) for the duration of `body` and restores the previous
 * values afterwards, so tests do not leak configuration into each other.
 */
export async function withSettings<T>(values: Record<string, unknown>, body: () => Promise<T>): Promise<T> {
  const configuration = vscode.workspace.getConfiguration();
  const previous = Object.keys(values).map((key) => [key, configuration.inspect(key)?.globalValue] as const);
  for (const [key, value] of Object.entries(values)) {
    await configuration.update(key, value, vscode.ConfigurationTarget.Global);
  }
  try {
    return await body();
  } finally {
    for (const [key, value] of previous) await configuration.update(key, value, vscode.ConfigurationTarget.Global);
  }
}

/**
 * Calls the sandbox's control API (`/_sandbox/...`), e.g. `PUT /stage-seconds`, with the header and content type
 * the API requires of every change (src/sandbox/controlApi.ts).
 */
export async function sandboxJson<T>(endpoint: string, path: string, init?: RequestInit): Promise<T> {
  const response = await fetch(`${endpoint}/_sandbox${path}`, { ...init, headers: { 'x-sandbox-control': '1', 'content-type': 'application/json', ...(init?.headers as Record<string, string> | undefined) } });
  if (!response.ok) throw new Error(`sandbox ${path}: HTTP ${response.status}`);
  return (await response.json()) as T;
}

/** How long each pipeline stage of the sandbox takes from now on. */
export async function setSandboxStageSeconds(sb: SandboxInfo, seconds: number): Promise<void> {
  await sandboxJson(sb.endpoint, '/stage-seconds', { method: 'PUT', body: JSON.stringify({ seconds }) });
}

/**
 * An EnvironmentService of the test's own, straight to the sandbox (not through the extension): to set up
 * and check the world around what the extension does.
 */
export function sandboxService(sb: SandboxInfo, settings: EnvironmentSettings): EnvironmentService {
  const config = resolveEnvironment({ ...settings, endpoint: sb.endpoint, region: sb.region });
  return createEnvironmentService(config, createAwsPortsFactory({ credentials: sb.credentials })(config));
}

/**
 * `sprykerDeploy.environments` pointing each of `environments` at the sandbox `sb` (the runner's or one a test
 * started), e.g. `environmentSettings(sb, [{ name: 'spryker-staging', production: false }])`.
 */
export function environmentSettings(
  sb: { endpoint: string; region: string },
  environments: readonly { name: string; production?: boolean }[],
): { name: string; endpoint: string; region: string; production?: boolean }[] {
  return environments.map(({ name, production }) => ({ name, endpoint: sb.endpoint, region: sb.region, ...(production === undefined ? {} : { production }) }));
}

/**
 * The settings of a test that works on staging and production at the sandbox, asking before a non-production
 * change (so the test's confirmer sees it) and without approval notifications.
 */
export function stagingAndProdSettings(sb: SandboxInfo): Record<string, unknown> {
  return {
    'sprykerDeploy.environments': environmentSettings(sb, [
      { name: 'spryker-staging', production: false },
      { name: 'spryker-prod', production: true },
    ]),
    'sprykerDeploy.confirm.nonProduction': true,
    'sprykerDeploy.notifications.approval': false,
  };
}

/** The text of a TreeItem's label, description or tooltip, whichever form VS Code's API gives it in. */
export function itemText(v: string | boolean | vscode.TreeItemLabel | vscode.MarkdownString | undefined): string {
  return v === undefined || typeof v === 'boolean' ? '' : typeof v === 'string' ? v : 'value' in v ? v.value : v.label;
}

/** The children of `node` (the roots without it) in a tree, each with the TreeItem the tree gives it. */
export async function treeChildren<N>(tree: vscode.TreeDataProvider<N>, node?: N): Promise<{ node: N; item: vscode.TreeItem }[]> {
  const nodes = (await tree.getChildren(node)) ?? [];
  return Promise.all(nodes.map(async (n) => ({ node: n, item: await tree.getTreeItem(n) })));
}

/** Every node of a tree, depth first, with its TreeItem; `keep` leaves a node and everything below it out. */
export async function treeItems<N>(tree: vscode.TreeDataProvider<N>, keep: (node: N) => boolean = () => true): Promise<{ node: N; item: vscode.TreeItem }[]> {
  const items: { node: N; item: vscode.TreeItem }[] = [];
  const walk = async (node?: N): Promise<void> => {
    for (const child of (await tree.getChildren(node)) ?? []) {
      if (!keep(child)) continue;
      items.push({ node: child, item: await tree.getTreeItem(child) });
      await walk(child);
    }
  };
  await walk();
  return items;
}

/** The open approval panels' tabs. */
export function approvalTabs(): vscode.Tab[] {
  return vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith('sprykerDeploy.approval'));
}

/**
 * A version the sandbox has an image for (its commits from the fourth on) that is none of `not` (e.g. what runs
 * and what is desired), so deploying it is a change. Fails the test when there is none.
 */
export async function deployableVersion(sb: { endpoint: string }, ...not: (string | undefined)[]): Promise<string> {
  const [version] = await deployableVersions(sb, ...not);
  assert.ok(version, 'the sandbox offers no version to deploy');
  return version;
}

/** Every version the sandbox has an image for (its commits from the fourth on) that is none of `not`, oldest first. */
export async function deployableVersions(sb: { endpoint: string }, ...not: (string | undefined)[]): Promise<string[]> {
  const world = await sandboxJson<{ commits: { sha: string }[] }>(sb.endpoint, '/world');
  return world.commits.map((c) => c.sha).slice(3).filter((sha) => !not.includes(sha));
}

/** The environment for the git commands a test runs: no user's global git configuration, plus `extra`. */
export function gitEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', ...extra };
}

/** A fixed author and committer for the scratch repositories tests create. */
export const SHOP_DEV = { GIT_AUTHOR_NAME: 'Shop Dev', GIT_AUTHOR_EMAIL: 'dev@shop.example', GIT_COMMITTER_NAME: 'Shop Dev', GIT_COMMITTER_EMAIL: 'dev@shop.example' };

/** Runs git in `cwd` with `env` and returns its trimmed output. */
export function gitIn(cwd: string, env: NodeJS.ProcessEnv = gitEnv()): (...args: string[]) => string {
  return (...args) => execFileSync('git', ['-C', cwd, ...args], { encoding: 'utf8', env }).trim();
}

/**
 * Adds `count` empty commits "Shop change 1…count" to the repository `repo`, one a day, the newest a day ago (the
 * sandbox builds images for all but the newest two), and returns their hashes, oldest first.
 */
export function commitDaily(repo: string, count: number, env: NodeJS.ProcessEnv = gitEnv()): string[] {
  const now = Math.floor(Date.now() / 1000);
  const shas: string[] = [];
  for (let i = 0; i < count; i++) {
    const when = `${now - (count - i) * 86_400} +0000`;
    execFileSync('git', ['-C', repo, 'commit', '-q', '--allow-empty', '-m', `Shop change ${i + 1}`], { env: { ...env, GIT_AUTHOR_DATE: when, GIT_COMMITTER_DATE: when } });
    shas.push(gitIn(repo, env)('rev-parse', 'HEAD'));
  }
  return shas;
}

/** A sandbox a test starts in the extension host from the extension's own dist/sandbox.js. */
export interface BundledSandbox {
  endpoint: string;
  region: string;
  stop(): Promise<void>;
}

/** Starts a sandbox of the test's own over the git history of `repo` (stages of `stageSeconds`); stop it in `after`. */
export async function startBundledSandbox<S extends BundledSandbox = BundledSandbox>(repo: string, stageSeconds = 0.3): Promise<S> {
  process.env.AWS_ACCESS_KEY_ID ??= 'test';
  process.env.AWS_SECRET_ACCESS_KEY ??= 'test';
  const load: NodeJS.Require = require;
  const bundle = load(path.join(getExtension().extensionPath, 'dist', 'sandbox.js')) as { startSandbox(o: object): Promise<S> };
  return bundle.startSandbox({ port: 0, repo, stageSeconds });
}

/** A Spryker-like history (scripts/harness/sprykerShop.ts) that both the sandbox and the workspace repository hold. */
export interface ShopHistory {
  /** Its commits, oldest first. */
  shas: string[];
  /** Puts the sandbox back on its generated world, deletes the workspace branch and the scratch repository. */
  remove(): Promise<void>;
}

/**
 * Writes the Spryker-like history to a scratch repository, fetches it into the workspace repository on `branch`
 * (HEAD and the other tests stay as they were) and resets the sandbox onto it. Call `remove()` in `after`: the
 * other tests expect the generated world.
 */
export async function loadShopHistory(sb: SandboxInfo, branch: string): Promise<ShopHistory> {
  const shop = fs.mkdtempSync(path.join(os.tmpdir(), `scd-${branch}-`));
  const shas = writeShopHistory(shop);
  execFileSync('git', ['-C', workspaceFolder().uri.fsPath, 'fetch', '-q', shop, `main:refs/heads/${branch}`]);
  await sandboxJson(sb.endpoint, '/reset', { method: 'POST', body: JSON.stringify({ repo: shop }) });
  return {
    shas,
    remove: async () => {
      await sandboxJson(sb.endpoint, '/reset', { method: 'POST', body: JSON.stringify({ repo: null }) });
      try {
        execFileSync('git', ['-C', workspaceFolder().uri.fsPath, 'branch', '-q', '-D', branch]);
      } catch {
        // already gone
      }
      fs.rmSync(shop, { recursive: true, force: true });
    },
  };
}
