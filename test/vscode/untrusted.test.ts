// Read-only mode of an untrusted workspace, in the real extension host: deploy, approve, reject and roll back
// refuse with a message naming the untrusted workspace, whether run from the palette, a menu or another
// extension, and change nothing in AWS. The harness runs code-server with workspace trust disabled (= trusted),
// so the test API makes the extension act as if the workspace were untrusted.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { TestApi } from '../../src/vscode/testApi';
import { activateExtension, approvalTabs, deployableVersion, environmentSettings, sandbox, sandboxService, setSandboxStageSeconds, waitFor, withSettings } from './helpers';

const ENV = 'spryker-staging';

describe('untrusted workspace (extension host + sandbox)', function () {
  this.timeout(90_000);
  const sb = sandbox();

  it('refuses deploy, approve, reject and rollback with a clear message and changes nothing', async () => {
    assert.ok(sb, 'the sandbox is not running: start these tests with `npm run test:vscode`');
    const api = await activateExtension<TestApi | undefined>();
    assert.ok(api?.deploys, 'activate() returned no test API');
    await setSandboxStageSeconds(sb, 0.5);
    const service = sandboxService(sb, { name: ENV, production: false });
    const asked: string[] = [];
    api.setConfirmer({ confirm: async (input) => (asked.push(input.title), true) });
    try {
      await withSettings({ 'sprykerDeploy.environments': environmentSettings(sb, [{ name: ENV, production: false }]), 'sprykerDeploy.notifications.approval': false }, async () => {
        await waitFor(() => api.store.environment(ENV)?.endpoint === sb.endpoint, { message: 'settings applied' });
        const version = await deployableVersion(sb, (await service.status()).lastDeployedVersion);
        // An approval waits, so approve and reject have something they could decide.
        const started = await service.deploy(version, { supersede: true });
        await service.follow(started.executionId, { stopAtApproval: true, pollMs: 200 });
        const before = await service.status();
        const token = (await service.approvalDetails())?.approval.token;
        assert.ok(token, 'no approval waits');
        const other = await deployableVersion(sb, version, before.lastDeployedVersion);

        api.setWorkspaceTrusted(false);
        await api.store.refresh(ENV);

        const root = (await api.trees.environments.getChildren())[0];
        const rootItem = await api.trees.environments.getTreeItem(root);
        assert.doesNotMatch(String(rootItem.contextValue), /\b(canDeploy|canRollback|canApprove)\b/, 'the menus offer changes');

        const arg = { environment: ENV };
        const refusals: [string, () => Promise<unknown>][] = [
          ['deployHead', () => api.deploys.deployHead(arg)],
          ['deployCommit', () => api.deploys.deployCommit({ ...arg, commit: other })],
          ['rollback', () => api.deploys.rollback({ ...arg, commit: other })],
          ['approve', () => api.deploys.approve(arg)],
          ['reject', () => api.deploys.reject({ ...arg, comment: 'no' })],
        ];
        for (const [name, run] of refusals) {
          await assert.rejects(run(), (e: Error & { kind?: string }) => /untrusted workspace \(read-only mode\)/.test(e.message) && e.kind === 'invalid-input', `${name} was not refused`);
        }
        // The registered commands (palette, menus, other extensions) go through the same handlers and the error path.
        for (const [command, ...args] of [
          ['sprykerDeploy.deploy.head', arg],
          ['sprykerDeploy.deploy.commit', { ...arg, version: other }],
          ['sprykerDeploy.commit.deployTo', { ref: { sha: other } }, arg],
          ['sprykerDeploy.rollback', { ...arg, version: other }],
          ['sprykerDeploy.approval.approve', arg],
          ['sprykerDeploy.approval.reject', { ...arg, comment: 'no' }],
        ] as [string, ...unknown[]][]) {
          await vscode.commands.executeCommand(command, ...args);
        }
        await vscode.commands.executeCommand('sprykerDeploy.approval.openPanel', ENV);
        const handle = api.panels.inspect(ENV);
        assert.ok(handle);
        const state = await waitFor(() => (handle.state()?.approval?.token === token ? handle.state() : undefined), { timeoutMs: 20_000, message: 'the panel' });
        assert.equal(state.canModify, false);
        await handle.send({ type: 'approve', comment: 'untrusted', token, action: state.approval!.actionName });
        assert.equal(handle.state()?.error?.kind, 'not-allowed');
        assert.match(handle.state()?.error?.message ?? '', /untrusted workspace/);

        assert.deepEqual(asked, [], 'a refused command got as far as a confirmation');
        const after = await service.status();
        assert.equal(after.desiredVersion, before.desiredVersion, 'desired_version changed');
        assert.equal(after.pipeline?.executionId, before.pipeline?.executionId, 'a new execution started');
        assert.equal((await service.approvalDetails())?.approval.token, token, 'the approval was decided');

        api.setWorkspaceTrusted(undefined);
        await service.decide((await service.approvalDetails())!.approval, 'Rejected', 'untrusted test cleanup');
      });
    } finally {
      api.setWorkspaceTrusted(undefined);
      api.setConfirmer(undefined);
      for (const tab of approvalTabs()) await vscode.window.tabGroups.close(tab);
    }
  });

  it('Restricted Mode: the sandbox writes its environments to the user settings (says so), keeps every entry anyone wrote, and Stop takes out only its own', async () => {
    const api = await activateExtension<TestApi | undefined>();
    assert.ok(api, 'activate() returned no test API');
    const config = () => vscode.workspace.getConfiguration('sprykerDeploy');
    const inspect = () => config().inspect<{ name: string; endpoint?: string }[]>('environments');
    const repositoryEntries = [{ name: 'shop-from-repository', region: 'eu-west-1' }];
    const userEntries = [{ name: 'shop-from-user' }];
    const before = { workspace: inspect()?.workspaceValue, user: inspect()?.globalValue };
    try {
      await config().update('environments', repositoryEntries, vscode.ConfigurationTarget.Workspace);
      await config().update('environments', userEntries, vscode.ConfigurationTarget.Global);
      api.setWorkspaceTrusted(false);
      // Asked for the workspace, as the welcome view's "This workspace" did: Restricted Mode would ignore that.
      await vscode.commands.executeCommand('sprykerDeploy.sandbox.start', { scope: 'workspace' });
      assert.deepEqual(inspect()?.workspaceValue, repositoryEntries, 'the repository settings changed');
      const user = inspect()?.globalValue ?? [];
      assert.deepEqual(user.slice(0, 1), userEntries, 'the user entries were dropped');
      const endpoint = user.find((e) => e.name === 'spryker-staging')?.endpoint;
      assert.ok(endpoint && user.find((e) => e.name === 'spryker-prod')?.endpoint === endpoint, 'the sandbox environments are in the user settings');
      // Someone adds an environment while the sandbox runs: Stop must keep it.
      await config().update('environments', [...user, { name: 'added-meanwhile' }], vscode.ConfigurationTarget.Global);
      await vscode.commands.executeCommand('sprykerDeploy.sandbox.stop');
      assert.deepEqual(inspect()?.globalValue, [...userEntries, { name: 'added-meanwhile' }]);
      assert.deepEqual(inspect()?.workspaceValue, repositoryEntries, 'Stop deleted the repository settings');

      // Trusted, the workspace settings are used: its entries stay and Stop takes out only the sandbox's.
      api.setWorkspaceTrusted(true);
      await vscode.commands.executeCommand('sprykerDeploy.sandbox.start', { scope: 'workspace' });
      const workspace = inspect()?.workspaceValue ?? [];
      assert.deepEqual(workspace.slice(0, 1), repositoryEntries);
      assert.deepEqual(workspace.slice(1).map((e) => e.name), ['spryker-staging', 'spryker-prod']);
      await vscode.commands.executeCommand('sprykerDeploy.sandbox.stop');
      assert.deepEqual(inspect()?.workspaceValue, repositoryEntries);
    } finally {
      api.setWorkspaceTrusted(undefined);
      await config().update('environments', before.workspace, vscode.ConfigurationTarget.Workspace);
      await config().update('environments', before.user, vscode.ConfigurationTarget.Global);
    }
  });

  it("a trusted workspace's settings (a cloned repository's) may not send the credentials elsewhere, nor make production not production", async () => {
    const api = await activateExtension<TestApi | undefined>();
    assert.ok(api, 'activate() returned no test API');
    const config = () => vscode.workspace.getConfiguration('sprykerDeploy');
    const before = config().inspect('environments')?.workspaceValue;
    try {
      await config().update('environments', [{ name: ENV, endpoint: 'https://collector.example', region: 'eu-central-1' }], vscode.ConfigurationTarget.Workspace);
      const refused = await waitFor(() => api.store.configError(), { message: 'the endpoint elsewhere refused' });
      assert.match(refused.message, /sends spryker-staging's AWS requests, signed with your credentials, to https:\/\/collector\.example\..*user settings/);
      assert.equal(api.store.environments().length, 0, 'an environment that would send the credentials elsewhere is shown');
      assert.equal(api.store.viewState(), 'configError');

      // Production's pipeline under another name, marked not production: it is production all the same.
      await config().update(
        'environments',
        [{ name: ENV, production: false, pipelines: { normal: 'NORMAL_Deploy_Spryker_spryker-prod' }, endpoint: sb!.endpoint, region: sb!.region }],
        vscode.ConfigurationTarget.Workspace,
      );
      const env = await waitFor(() => api.store.environment(ENV), { message: 'the sandbox environment from the workspace settings' });
      assert.equal(env.endpoint, sb!.endpoint, 'the local sandbox is this machine: allowed');
      assert.equal(env.production, true, 'the workspace settings made an environment that starts production\'s pipeline not production');
    } finally {
      await config().update('environments', before, vscode.ConfigurationTarget.Workspace);
    }
  });
});
