// Starts the local AWS emulator (src/sandbox) for a test run when the tree has one, so test tiers can talk to
// "AWS" without the network. Loaded through tsx from source; HARNESS_SANDBOX=0 skips it.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO_ROOT } from './codeServer';

export interface HarnessSandbox {
  readonly endpoint: string;
  readonly region: string;
  readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string };
  /** Whatever the emulator offers to shape its state from tests (see src/sandbox). */
  readonly control?: unknown;
  stop(): Promise<void>;
}

type StartSandbox = (options?: Record<string, unknown>) => Promise<HarnessSandbox>;

export async function startSandboxIfAvailable(options: Record<string, unknown> = {}): Promise<HarnessSandbox | undefined> {
  if (process.env.HARNESS_SANDBOX === '0') return undefined;
  const entry = path.join(REPO_ROOT, 'src', 'sandbox', 'index.ts');
  if (!fs.existsSync(entry)) return undefined;
  const module = (await import(entry)) as { startSandbox?: StartSandbox };
  if (typeof module.startSandbox !== 'function') return undefined;
  return module.startSandbox(options);
}

/**
 * The environment for a VS Code extension host that should reach the sandbox: its credentials through the
 * default chain, and the description tests read (test/vscode/helpers.ts sandbox()). The machine's own AWS
 * config files are hidden either way, so no test can pick up real profiles.
 */
export function awsEnvironment(tempDir: string, sandbox: HarnessSandbox | undefined): Record<string, string> {
  const env: Record<string, string> = {
    AWS_CONFIG_FILE: path.join(tempDir, 'aws-config'),
    AWS_SHARED_CREDENTIALS_FILE: path.join(tempDir, 'aws-credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
  };
  if (!sandbox) return env;
  return {
    ...env,
    AWS_ACCESS_KEY_ID: sandbox.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: sandbox.credentials.secretAccessKey,
    AWS_REGION: sandbox.region,
    SPRYKER_TEST_SANDBOX: JSON.stringify({ endpoint: sandbox.endpoint, region: sandbox.region, credentials: sandbox.credentials }),
  };
}
