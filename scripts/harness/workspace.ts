// A throw-away git repository for the workbench to open: the extension reads the HEAD commit and history from
// the folder's repository, so tests need a real one they can shape (files, commits, branches).
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export interface GitWorkspace {
  readonly path: string;
  /** Runs git in the workspace and returns its trimmed output. */
  git(...args: string[]): string;
  /** Writes the files (relative paths), stages everything and commits; returns the new commit's full SHA. */
  commit(message: string, files?: Record<string, string>): string;
  remove(): void;
}

export function createGitWorkspace(options: { name?: string; initialFiles?: Record<string, string> } = {}): GitWorkspace {
  const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'scd-workspace-'));
  const root = path.join(parent, options.name ?? 'shop');
  fs.mkdirSync(root);
  // Identity and config live in the repository so that the machine's global git config cannot change results.
  const git = (...args: string[]): string =>
    execFileSync('git', ['-C', root, ...args], {
      encoding: 'utf8',
      env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' },
    }).trim();
  git('init', '-q', '-b', 'main');
  git('config', 'user.name', 'Harness');
  git('config', 'user.email', 'harness@example.invalid');
  git('config', 'commit.gpgsign', 'false');

  const commit = (message: string, files: Record<string, string> = {}): string => {
    for (const [relative, content] of Object.entries(files)) {
      const file = path.join(root, relative);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, content);
    }
    git('add', '-A');
    git('commit', '-q', '--allow-empty', '-m', message);
    return git('rev-parse', 'HEAD');
  };
  commit('Initial commit', options.initialFiles ?? { 'README.md': '# Shop\n' });

  return { path: root, git, commit, remove: () => fs.rmSync(parent, { recursive: true, force: true }) };
}
