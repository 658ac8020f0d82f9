// Decides how the extension reaches the test VS Code and builds what that needs. Development mode is fast (an
// esbuild run); the packaged .vsix proves what users install, so CI uses it.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO_ROOT, type ExtensionSource } from './codeServer';

export const VSIX_FILE = path.join(REPO_ROOT, 'dist', 'spryker-cloud-deploy.vsix');

/**
 * HARNESS_EXTENSION=vsix|development picks the mode (default: vsix under CI=true, else development);
 * HARNESS_VSIX=<file> uses an already packaged .vsix instead of running `npm run package`.
 */
export function chooseExtensionMode(): 'vsix' | 'development' {
  const requested = process.env.HARNESS_EXTENSION;
  if (requested === 'vsix' || requested === 'development') return requested;
  if (requested) throw new Error(`HARNESS_EXTENSION must be "vsix" or "development", not "${requested}"`);
  return process.env.HARNESS_VSIX || process.env.CI === 'true' ? 'vsix' : 'development';
}

function npm(...args: string[]): void {
  execFileSync('npm', args, { cwd: REPO_ROOT, stdio: 'inherit' });
}

export function prepareExtension(mode = chooseExtensionMode()): ExtensionSource {
  if (mode === 'development') {
    execFileSync(process.execPath, ['esbuild.js'], { cwd: REPO_ROOT, stdio: 'inherit' });
    return { kind: 'development', path: REPO_ROOT };
  }
  const prebuilt = process.env.HARNESS_VSIX;
  if (prebuilt) {
    const file = path.resolve(prebuilt);
    if (!fs.existsSync(file)) throw new Error(`HARNESS_VSIX names a missing file: ${file}`);
    return { kind: 'vsix', file };
  }
  npm('run', '--silent', 'package');
  if (!fs.existsSync(VSIX_FILE)) throw new Error(`npm run package did not produce ${VSIX_FILE}`);
  return { kind: 'vsix', file: VSIX_FILE };
}
