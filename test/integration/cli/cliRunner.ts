// Runs spryker-deploy as a separate process from the source (tsx), with only the sandbox's credentials.

import { execFile, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Sandbox } from '../../../src/sandbox';

const ROOT = resolve(__dirname, '../../..');
const MAIN = join(ROOT, 'src/cli/main.ts');
const TSX = pathToFileURL(join(ROOT, 'node_modules/tsx/dist/loader.mjs')).href;

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** The sandbox's credentials and endpoint only, none of the machine's AWS files; `extraEnv` adds or overrides. */
function cliEnv(sandbox: Sandbox, home: string, extraEnv: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: home,
    AWS_ACCESS_KEY_ID: sandbox.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: sandbox.credentials.secretAccessKey,
    AWS_ENDPOINT_URL: sandbox.endpoint,
    AWS_CONFIG_FILE: join(home, 'no-config'),
    AWS_SHARED_CREDENTIALS_FILE: join(home, 'no-credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
    ...extraEnv,
  };
}

const cliArgs = (args: readonly string[]): string[] => ['--import', TSX, MAIN, ...args];

/** `extraEnv` adds to (or overrides) the sandbox-only environment; `timeoutMs` ends a run that hangs. */
export function runCli(sandbox: Sandbox, home: string, args: readonly string[], cwd: string, options: { readonly extraEnv?: Record<string, string>; readonly timeoutMs?: number } = {}): Promise<CliResult> {
  const env = cliEnv(sandbox, home, options.extraEnv);
  return new Promise((done) => {
    execFile(process.execPath, cliArgs(args), { cwd, env, timeout: options.timeoutMs ?? 60_000 }, (error, stdout, stderr) => {
      done({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

/** The same run as a live child process, for tests that signal it (Ctrl-C) while it works. */
export function spawnCli(sandbox: Sandbox, home: string, args: readonly string[], cwd: string): ChildProcessWithoutNullStreams {
  return spawn(process.execPath, cliArgs(args), { cwd, env: cliEnv(sandbox, home) });
}
