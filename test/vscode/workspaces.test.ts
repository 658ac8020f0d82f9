// Workspaces as users have them, in the real extension host: a checked-out release tag (detached HEAD) whose
// commit is on the remote is pushed; a local commit on it is not.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { TestApi } from '../../src/vscode/testApi';
import { activateExtension, waitFor, workspaceFolder } from './helpers';

describe('workspaces (extension host)', function () {
  this.timeout(60_000);

  it('a detached HEAD (release tag) is pushed when a remote branch contains it, and not when it is a local commit', async () => {
    const api = await activateExtension<TestApi>();
    const root = workspaceFolder().uri.fsPath;
    const env = { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null' };
    const git = (...args: string[]) => execFileSync('git', ['-C', root, ...args], { encoding: 'utf8', env }).trim();
    const remote = mkdtempSync(path.join(tmpdir(), 'spryker-remote-'));
    const branch = git('rev-parse', '--abbrev-ref', 'HEAD');
    const original = git('rev-parse', 'HEAD');
    try {
      execFileSync('git', ['init', '-q', '--bare', remote], { env });
      git('remote', 'add', 'test-origin', remote);
      git('push', '-q', 'test-origin', `${original}:refs/heads/main`);
      git('fetch', '-q', 'test-origin');
      git('tag', 'release-test', original);
      git('checkout', '-q', 'release-test');
      const head = await waitFor(async () => {
        const h = await api.git.current()?.head();
        return h?.sha === original && h.branch !== branch ? h : undefined;
      }, { message: 'the detached HEAD seen' });
      assert.equal(head.pushed, true, 'a commit on the remote was called not pushed');

      git('commit', '-q', '--allow-empty', '-m', 'Local hotfix on the tag');
      const local = git('rev-parse', 'HEAD');
      const moved = await waitFor(async () => {
        const h = await api.git.current()?.head();
        return h?.sha === local ? h : undefined;
      }, { message: 'the local commit seen' });
      assert.equal(moved.pushed, false, 'a commit no remote branch has was called pushed');
    } finally {
      git('checkout', '-q', branch === 'HEAD' ? original : branch);
      git('tag', '-d', 'release-test');
      git('remote', 'remove', 'test-origin');
      rmSync(remote, { recursive: true, force: true });
    }
  });
});
