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
import { activateExtension, getExtension, waitFor, withSettings, workspaceFolder } from './helpers';

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

  it('multi-root: uses the repository that has the deployed versions (not the first folder), shows which, and lets the user switch', async () => {
    const api = await activateExtension<TestApi>();
    const env = { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_AUTHOR_NAME: 'Shop Dev', GIT_AUTHOR_EMAIL: 'dev@shop.example', GIT_COMMITTER_NAME: 'Shop Dev', GIT_COMMITTER_EMAIL: 'dev@shop.example' };
    const first = await waitFor(() => api.git.repositoryChoice()?.root, { message: 'the first folder\'s repository' });
    const shop = mkdtempSync(path.join(tmpdir(), 'shop-'));
    const git = (...args: string[]) => execFileSync('git', ['-C', shop, ...args], { encoding: 'utf8', env }).trim();
    git('init', '-q', '-b', 'main');
    const now = Math.floor(Date.now() / 1000);
    for (let i = 0; i < 7; i++) {
      const when = `${now - (7 - i) * 86_400} +0000`;
      execFileSync('git', ['-C', shop, 'commit', '-q', '--allow-empty', '-m', `Shop change ${i + 1}`], { env: { ...env, GIT_AUTHOR_DATE: when, GIT_COMMITTER_DATE: when } });
    }
    process.env.AWS_ACCESS_KEY_ID ??= 'test';
    process.env.AWS_SECRET_ACCESS_KEY ??= 'test';
    const load: NodeJS.Require = require;
    const bundle = load(path.join(getExtension().extensionPath, 'dist', 'sandbox.js')) as { startSandbox(o: object): Promise<{ endpoint: string; region: string; stop(): Promise<void> }> };
    const sb = await bundle.startSandbox({ port: 0, repo: shop, stageSeconds: 0.3 });
    try {
      await withSettings({ 'sprykerDeploy.environments': [{ name: 'spryker-staging', endpoint: sb.endpoint, region: sb.region, production: false }] }, async () => {
        await waitFor(() => api.store.environment('spryker-staging')?.endpoint === sb.endpoint, { message: 'settings applied' });
        await api.store.refresh('spryker-staging');
        const deployed = api.store.status('spryker-staging')?.lastDeployedVersion;
        assert.ok(deployed, 'the sandbox has a deployed version');
        // The shop repository comes second, after the runner's folder, which has none of the deployed versions.
        assert.ok(vscode.workspace.updateWorkspaceFolders(vscode.workspace.workspaceFolders?.length ?? 1, 0, { uri: vscode.Uri.file(shop), name: 'shop' }));
        const choice = await waitFor(() => (api.git.repositoryChoice()?.count === 2 && api.git.repositoryChoice()?.root !== first ? api.git.repositoryChoice() : undefined), {
          timeoutMs: 30_000,
          message: 'the shop repository chosen',
        });
        assert.equal(choice.root, execFileSync('git', ['-C', shop, 'rev-parse', '--show-toplevel'], { encoding: 'utf8', env }).trim());
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
    const env = { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_AUTHOR_NAME: 'Shop Dev', GIT_AUTHOR_EMAIL: 'dev@shop.example', GIT_COMMITTER_NAME: 'Shop Dev', GIT_COMMITTER_EMAIL: 'dev@shop.example' };
    const first = await waitFor(() => api.git.repositoryChoice()?.root, { message: "the first folder's repository" });
    const parent = mkdtempSync(path.join(tmpdir(), 'shallow-'));
    const origin = path.join(parent, 'origin');
    const clone = path.join(parent, 'clone');
    execFileSync('git', ['init', '-q', '-b', 'main', origin], { env });
    const now = Math.floor(Date.now() / 1000);
    for (let i = 0; i < 8; i++) {
      const when = `${now - (8 - i) * 86_400} +0000`;
      execFileSync('git', ['-C', origin, 'commit', '-q', '--allow-empty', '-m', `Shop change ${i + 1}`], { env: { ...env, GIT_AUTHOR_DATE: when, GIT_COMMITTER_DATE: when } });
    }
    // Only the newest two commits: the deployed versions are older.
    execFileSync('git', ['clone', '-q', '--depth', '2', `file://${origin}`, clone], { env });
    process.env.AWS_ACCESS_KEY_ID ??= 'test';
    process.env.AWS_SECRET_ACCESS_KEY ??= 'test';
    const load: NodeJS.Require = require;
    const bundle = load(path.join(getExtension().extensionPath, 'dist', 'sandbox.js')) as { startSandbox(o: object): Promise<{ endpoint: string; region: string; stop(): Promise<void> }> };
    const sb = await bundle.startSandbox({ port: 0, repo: origin, stageSeconds: 0.3 });
    const root = execFileSync('git', ['-C', clone, 'rev-parse', '--show-toplevel'], { encoding: 'utf8', env }).trim();
    try {
      await withSettings({ 'sprykerDeploy.environments': [{ name: 'spryker-staging', endpoint: sb.endpoint, region: sb.region, production: false }] }, async () => {
        await waitFor(() => api.store.environment('spryker-staging')?.endpoint === sb.endpoint, { message: 'settings applied' });
        await api.store.refresh('spryker-staging');
        const deployed = api.store.status('spryker-staging')?.lastDeployedVersion;
        assert.ok(deployed, 'the sandbox has a deployed version');
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
      await vscode.commands.executeCommand('sprykerDeploy.git.chooseRepository', { repository: first });
      const index = (vscode.workspace.workspaceFolders ?? []).findIndex((f) => f.uri.fsPath === clone);
      if (index > 0) vscode.workspace.updateWorkspaceFolders(index, 1);
      await sb.stop();
      rmSync(parent, { recursive: true, force: true });
    }
  });
});
