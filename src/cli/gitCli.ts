// The git facts the CLI needs (commits, changed files, a file at a commit), read with the git executable: the
// CLI has no editor whose git extension it could ask. Output is NUL-separated so no path or subject is misread.

import type { ChangedFile, ChangeSource, CommitInfo } from '../core/git';
import { isVersion } from '../core/version';

export interface CliGit extends ChangeSource {
  commit(sha: string): Promise<CommitInfo | undefined>;
  commitsBetween(from: string, to: string): Promise<readonly CommitInfo[] | undefined>;
}

const MAX_OUTPUT = 64 * 1024 * 1024;

function run(cwd: string, args: readonly string[]): Promise<string> {
  // Required on the first git call: `status` and the other commands that never run git do not load it (#12).
  const { execFile } = require('node:child_process') as typeof import('node:child_process');
  return new Promise((resolve, reject) => {
    execFile('git', ['-C', cwd, ...args], { encoding: 'utf8', maxBuffer: MAX_OUTPUT, env: { ...process.env, GIT_OPTIONAL_LOCKS: '0' } }, (error, stdout, stderr) => {
      if (error) reject(new Error(stderr.trim() || error.message));
      else resolve(stdout);
    });
  });
}

/** `git diff --name-status -z` output: status, then one path (two for renames and copies). */
export function parseNameStatus(output: string): ChangedFile[] {
  const fields = output.split('\0');
  const files: ChangedFile[] = [];
  for (let i = 0; i < fields.length - 1; ) {
    const code = fields[i++];
    if (!code) continue;
    if (code.startsWith('R') || code.startsWith('C')) {
      const previousPath = fields[i++];
      const path = fields[i++];
      files.push(code.startsWith('R') ? { path, status: 'renamed', previousPath } : { path, status: 'added' });
    } else {
      const path = fields[i++];
      files.push({ path, status: code === 'A' ? 'added' : code === 'D' ? 'deleted' : 'modified' });
    }
  }
  return files;
}

export function createCliGit(cwd: string): CliGit {
  const has = async (sha: string) => isVersion(sha) && (await run(cwd, ['cat-file', '-e', `${sha}^{commit}`]).then(() => true, () => false));
  const commit = async (sha: string): Promise<CommitInfo | undefined> => {
    if (!(await has(sha))) return undefined;
    const [hash, parents, author, email, date, subject] = (await run(cwd, ['show', '-s', '--format=%H%x00%P%x00%an%x00%ae%x00%aI%x00%s', sha])).replace(/\n$/, '').split('\0');
    return { sha: hash, subject, author, authorEmail: email, date: new Date(date), parents: parents ? parents.split(' ') : [] };
  };
  return {
    commit,
    async commitsBetween(from, to) {
      if (!(await has(from)) || !(await has(to))) return undefined;
      const out = await run(cwd, ['log', '-z', '--format=%H%x1f%P%x1f%an%x1f%aI%x1f%s', `${from}..${to}`]);
      return out
        .split('\0')
        .filter(Boolean)
        .map((record) => {
          const [sha, parents, author, date, subject] = record.replace(/^\n/, '').split('\x1f');
          return { sha, subject, author, date: new Date(date), parents: parents ? parents.split(' ') : [] };
        });
    },
    async changedFiles(from, to) {
      if (!(await has(from)) || !(await has(to))) return undefined;
      return parseNameStatus(await run(cwd, ['diff', '--name-status', '-z', '-M', from, to]));
    },
    async fileAt(sha, path) {
      if (!isVersion(sha)) return undefined;
      return run(cwd, ['show', `${sha}:${path}`]).catch(() => undefined);
    },
  };
}
