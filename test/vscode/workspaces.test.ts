// Workspaces as users have them, in the real extension host: a checked-out release tag (detached HEAD) whose
// commit is on the remote is pushed, a local commit on it is not; a multi-root workspace uses the repository
// that has the deployed versions, says so, and can be switched.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { TestApi } from '../../src/vscode/testApi';
import { activateExtension, type BundledSandbox, commitDaily, environmentSettings, gitEnv, gitIn, SHOP_DEV, startBundledSandbox, waitFor, withSettings, workspaceFolder } from './helpers';

describe('workspaces (extension host)', function () {
  this.timeout(60_000);

  /** Staging at the test's own sandbox for the duration of `body`, read once: `body` gets its deployed version. */
  async function withStagingOn(api: TestApi, sb: BundledSandbox, body: (deployed: string) => Promise<void>): Promise<void> {
    await withSettings({ 'sprykerDeploy.environments': environmentSettings(sb, [{ name: 'spryker-staging', production: false }]) }, async () => {
      await waitFor(() => api.store.environment('spryker-staging')?.endpoint === sb.endpoint, { message: 'settings applied' });
      await api.store.refresh('spryker-staging');
      const deployed = api.store.status('spryker-staging')?.lastDeployedVersion;
      assert.ok(deployed, 'the sandbox has a deployed version');
      await body(deployed);
    });
  }

  it('a detached HEAD (release tag) is pushed when a remote branch contains it, and not when it is a local commit', async () => {
    const api = await activateExtension<TestApi>();
    const root = workspaceFolder().uri.fsPath;
    const env = gitEnv();
    const git = gitIn(root, env);
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

  it('multi-root: uses the repository that has the deployed versions (not the first folder), shows which, and lets the user switch', async () => {
    const api = await activateExtension<TestApi>();
    const env = gitEnv(SHOP_DEV);
    // The runner's folder, not whatever is in use now (a test before this one may have used another repository).
    const first = gitIn(workspaceFolder().uri.fsPath)('rev-parse', '--show-toplevel');
    await waitFor(() => api.git.repositoryChoice()?.root === first || undefined, { timeoutMs: 30_000, message: "the first folder's repository in use" });
    const shop = mkdtempSync(path.join(tmpdir(), 'shop-'));
    gitIn(shop, env)('init', '-q', '-b', 'main');
    commitDaily(shop, 7, env);
    const sb = await startBundledSandbox(shop);
    try {
      await withStagingOn(api, sb, async (deployed) => {
        // The shop repository comes second, after the runner's folder, which has none of the deployed versions.
        assert.ok(vscode.workspace.updateWorkspaceFolders(vscode.workspace.workspaceFolders?.length ?? 1, 0, { uri: vscode.Uri.file(shop), name: 'shop' }));
        const choice = await waitFor(() => (api.git.repositoryChoice()?.count === 2 && api.git.repositoryChoice()?.root !== first ? api.git.repositoryChoice() : undefined), {
          timeoutMs: 30_000,
          message: 'the shop repository chosen',
        });
        assert.equal(choice.root, gitIn(shop, env)('rev-parse', '--show-toplevel'));
        assert.equal(choice.reason, 'deployed-versions');
        assert.equal((await api.git.current()?.commit(deployed))?.sha, deployed, 'the Commits view and the panel read the shop history');

        await vscode.commands.executeCommand('sprykerDeploy.git.chooseRepository', { repository: first });
        assert.deepEqual({ root: api.git.repositoryChoice()?.root, reason: api.git.repositoryChoice()?.reason }, { root: first, reason: 'chosen' });
        assert.equal(await api.git.current()?.commit(deployed), undefined, 'still the shop repository');
      });
    } finally {
      const index = (vscode.workspace.workspaceFolders ?? []).findIndex((f) => f.uri.fsPath === shop);
      if (index > 0) vscode.workspace.updateWorkspaceFolders(index, 1);
      await sb.stop();
      rmSync(shop, { recursive: true, force: true });
    }
  });

  it('shallow clone: says so (Commits view, panel facts), names the deployed version it lacks, and Fetch Full History brings it', async () => {
    const api = await activateExtension<TestApi>();
    const env = gitEnv(SHOP_DEV);
    await waitFor(() => api.git.repositoryChoice()?.root, { message: "the first folder's repository" });
    const parent = mkdtempSync(path.join(tmpdir(), 'shallow-'));
    const origin = path.join(parent, 'origin');
    const clone = path.join(parent, 'clone');
    execFileSync('git', ['init', '-q', '-b', 'main', origin], { env });
    commitDaily(origin, 8, env);
    // Only the newest two commits: the deployed versions are older.
    execFileSync('git', ['clone', '-q', '--depth', '2', `file://${origin}`, clone], { env });
    const sb = await startBundledSandbox(origin);
    const root = gitIn(clone, env)('rev-parse', '--show-toplevel');
    try {
      await withStagingOn(api, sb, async (deployed) => {
        assert.ok(vscode.workspace.updateWorkspaceFolders(vscode.workspace.workspaceFolders?.length ?? 1, 0, { uri: vscode.Uri.file(clone), name: 'clone' }));
        await waitFor(() => api.git.repositories().some((r) => r.rootUri.fsPath === root) || undefined, { timeoutMs: 30_000, message: 'the clone opened' });
        await vscode.commands.executeCommand('sprykerDeploy.git.chooseRepository', { repository: root });
        const git = api.git.current();
        assert.ok(git && (await git.isShallow()), 'the shallow clone is recognised');
        assert.equal(await git.commit(deployed), undefined, 'the deployed version is older than the shallow history');

        const rows = await api.trees.commits.getChildren();
        const end = rows.at(-1);
        assert.ok(end?.kind === 'shallow-end', `the Commits view ends with the shallow-clone row: ${JSON.stringify(rows.map((r) => r.kind))}`);
        assert.deepEqual(end.missing, [{ env: 'spryker-staging', version: deployed }]);
        const item = api.trees.commits.getTreeItem(end);
        assert.match(String(item.label), /shallow clone/);
        assert.match(String(item.description), new RegExp(`spryker-staging ${deployed.slice(0, 7)}`));
        assert.equal(item.command?.command, 'sprykerDeploy.git.fetchFullHistory');

        await vscode.commands.executeCommand('sprykerDeploy.git.fetchFullHistory');
        assert.equal(await git.isShallow(), false, 'still shallow after Fetch Full History');
        assert.equal((await git.commit(deployed))?.sha, deployed, 'the deployed version arrived');
        assert.ok(!(await api.trees.commits.getChildren()).some((r) => r.kind === 'shallow-end'));
      });
    } finally {
      // Not "choose the first folder" again: a choice sticks, and a test after this one (multi-root) expects the
      // repository picked by its hints. With the clone gone, the choice of it lapses by itself.
      const index = (vscode.workspace.workspaceFolders ?? []).findIndex((f) => f.uri.fsPath === clone);
      if (index > 0) vscode.workspace.updateWorkspaceFolders(index, 1);
      await sb.stop();
      rmSync(parent, { recursive: true, force: true });
    }
  });
});
