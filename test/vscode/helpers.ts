// Small helpers for tests that run inside the extension host (test/vscode/*.test.ts). They use the real
// `vscode` API of the code-server started by `npm run test:vscode`; see test/README.md.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
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
