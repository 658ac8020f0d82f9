// The extension's flows in the real extension host against a sandbox started in-process with this workspace's
// git history (so image tags are real commits): live versions in the tree, deploy of a commit and of HEAD
// through approval to success, rollback, the status bar, errors (signed out, throttled, missing pipeline,
// malformed hashes) and the cost of polling. Commands are driven with arguments; only the modal confirmation
// is answered through the test API (modals cannot be clicked here; the UI tests click the real one).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { GitApi } from '../../src/vscode/git/gitApi';
import { registerDeployHover } from '../../src/vscode/git/historyItemHover';
import type { ShownMessage } from '../../src/vscode/messages';
import type { TestApi } from '../../src/vscode/testApi';
import type { EnvTreeNode } from '../../src/vscode/tree/nodes';
import {
  activateExtension,
  approvalTabs,
  commitDaily,
  environmentSettings,
  gitIn,
  itemText,
  sandbox as runnerSandbox,
  sandboxJson,
  startBundledSandbox,
  treeChildren as environmentChildren,
  waitFor,
  withSettings,
  workspaceFolder,
} from './helpers';

interface InProcessSandbox {
  endpoint: string;
  region: string;
  control: { addFault(f: string): void; clearFaults(): void };
  inspect: { parameter(name: string): string | undefined; pendingApproval(p: string): unknown };
  requests(): readonly { operation: string }[];
  stop(): Promise<void>;
}

describe('extension flows against the sandbox', function () {
  this.timeout(120_000);
  let api: TestApi;
  let sandbox: InProcessSandbox;
  let root: string;
  const shas: string[] = [];
  const confirmations: { title: string; detail: string }[] = [];
  let restoreSettings: () => void = () => undefined;

  const git = (...args: string[]) => gitIn(root)(...args);

  before(async () => {
    api = await activateExtension<TestApi>();
    assert.ok(api?.store, 'activate() returns the test API in test mode');
    root = workspaceFolder().uri.fsPath;
    // Seven commits dated in the past: the sandbox builds images for all but the newest two and gives the
    // environments a deploy history from them.
    shas.push(...commitDaily(root, 7));
    sandbox = await startBundledSandbox<InProcessSandbox>(root);
    api.setConfirmer({
      confirm: async (input) => {
        confirmations.push({ title: input.title, detail: input.detail });
        return true;
      },
    });
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    let ready!: () => void;
    const applied = new Promise<void>((r) => (ready = r));
    void withSettings(
      {
        'sprykerDeploy.environments': environmentSettings(sandbox, [{ name: 'spryker-staging' }, { name: 'spryker-prod' }]),
        'sprykerDeploy.polling.activeSeconds': 1,
        'sprykerDeploy.polling.idleSeconds': 5,
      },
      async () => {
        ready();
        await released;
      },
    );
    restoreSettings = release;
    await applied;
    await waitFor(() => api.store.environments().length === 2, { message: 'two environments from the settings' });
    await api.git.start();
    await waitFor(() => api.git.current(), { message: 'the git repository of the workspace' });
  });

  after(async () => {
    api?.setConfirmer(undefined);
    restoreSettings();
    await sandbox?.stop();
  });

  const status = (env: string) => api.store.status(env);
  const deployed = (env: string) => sandbox.inspect.parameter(env === 'spryker-staging' ? `/${env}/lastdeployedversion` : `/${env}/last_deployed_version`);

  const treeChildren = (node?: EnvTreeNode) => environmentChildren(api.trees.environments, node);

  it('shows live versions in the Environments tree, with commit subjects from git', async () => {
    await api.store.refresh();
    const roots = await treeChildren();
    assert.deepEqual(roots.map((r) => r.item.label), ['spryker-staging', 'spryker-prod']);
    const staging = roots[0];
    const live = status('spryker-staging');
    assert.ok(live?.lastDeployedVersion, 'staging has a deployed version');
    assert.equal(live.lastDeployedVersion, deployed('spryker-staging'));
    assert.match(String(staging.item.description), new RegExp(live.lastDeployedVersion.slice(0, 7)));
    assert.equal(staging.item.id, 'env:spryker-staging');
    assert.match(String(staging.item.contextValue), /\bcanDeploy\b/);
    const children = await treeChildren(staging.node);
    const deployedItem = children.find((c) => c.item.label === 'Deployed version');
    assert.ok(deployedItem, 'a deployed-version node');
    const subject = git('log', '-1', '--format=%s', live.lastDeployedVersion);
    assert.match(String(deployedItem.item.description), new RegExp(subject));
    const services = children.find((c) => c.item.label === 'Services');
    assert.ok(services);
    const serviceItems = await treeChildren(services.node);
    assert.ok(serviceItems.length >= 5, `services listed (${serviceItems.length})`);
    assert.match(String(serviceItems[0].item.description), /\d+\/\d+/);
  });

  it('deploys a commit to staging through the approval to success', async () => {
    const target = shas[2];
    assert.notEqual(deployed('spryker-staging'), target);
    confirmations.length = 0;
    await vscode.commands.executeCommand('sprykerDeploy.deploy.commit', { environment: 'spryker-staging', version: target });
    assert.equal(confirmations.length, 1, 'one confirmation');
    assert.match(confirmations[0].detail, /spryker-staging/);
    assert.match(confirmations[0].detail, new RegExp(`→ ${target.slice(0, 7)} "Shop change 3"`));
    assert.match(confirmations[0].detail, /NORMAL_Deploy_Spryker_spryker-staging/);
    await waitFor(() => status('spryker-staging')?.pipeline?.pendingApproval, { message: 'the approval to wait', timeoutMs: 20_000 });
    const approvalNode = (await treeChildren((await treeChildren())[0].node)).find((c) => c.node.kind === 'pipeline');
    assert.ok(approvalNode);
    const pipelineChildren = await treeChildren(approvalNode.node);
    assert.equal(pipelineChildren[0].item.label, 'Waiting for approval');
    assert.match(String(pipelineChildren[0].item.contextValue), /\bcanApprove\b/);
    await vscode.commands.executeCommand('sprykerDeploy.approval.approve', { environment: 'spryker-staging' });
    await waitFor(() => deployed('spryker-staging') === target, { message: 'the commit deployed', timeoutMs: 30_000 });
    await api.store.refresh('spryker-staging');
    assert.equal(status('spryker-staging')?.lastDeployedVersion, target);
    assert.equal(status('spryker-staging')?.pipeline?.status, 'Succeeded');
  });

  it('deploys HEAD (warning that it is not pushed) through to success', async () => {
    git('checkout', '-q', shas[3]);
    await waitFor(async () => (await api.git.current()?.head())?.sha === shas[3], { message: 'HEAD moved' });
    confirmations.length = 0;
    await vscode.commands.executeCommand('sprykerDeploy.deploy.head', { environment: 'spryker-staging' });
    assert.equal(confirmations.length, 1);
    // Its images exist (the sandbox built them): the warning says so instead of claiming none can have been built.
    assert.match(confirmations[0].detail, /not pushed to its upstream, though images tagged with it exist/);
    assert.doesNotMatch(confirmations[0].detail, /no image can have been built|push it before its images can be built/);
    await waitFor(() => status('spryker-staging')?.pipeline?.pendingApproval, { message: 'the approval to wait', timeoutMs: 20_000 });
    await vscode.commands.executeCommand('sprykerDeploy.approval.approve', { environment: 'spryker-staging' });
    await waitFor(() => deployed('spryker-staging') === shas[3], { message: 'HEAD deployed', timeoutMs: 30_000 });
  });

  it('an old approval notification\'s Approve says the approval no longer waits before asking anything', async () => {
    confirmations.length = 0;
    const old = { pipelineName: 'NORMAL_Deploy_Spryker_spryker-staging', stageName: 'Please_approve', actionName: 'Approval', token: '00000000-0000-4000-8000-000000000000', executionId: '11111111-1111-4111-8111-111111111111', version: shas[2] };
    const desiredBefore = sandbox.inspect.parameter('/spryker-staging/desired_version');
    // Exactly what the notification's Approve button passes.
    await vscode.commands.executeCommand('sprykerDeploy.approval.approve', { environment: 'spryker-staging', approval: old });
    assert.equal(confirmations.length, 0, 'a confirmation was asked for an approval that no longer waits');
    assert.equal(sandbox.inspect.parameter('/spryker-staging/desired_version'), desiredBefore);
    await assert.rejects((api.deploys as unknown as { approve(t: object): Promise<void> }).approve({ environment: 'spryker-staging', approval: old }), (e: Error & { kind?: string }) => e.kind === 'stale-approval' && /no longer waits.*Nothing was sent/.test(e.message));
  });

  it('offers Deploy Anyway for a commit without images (even with confirmations off), and the pipeline builds them and deploys', async () => {
    const unbuilt = shas[6]; // the sandbox has images for every commit but the newest two
    const asked: { title: string; detail: string; action: string; always?: boolean }[] = [];
    let answer = false;
    api.setConfirmer({
      confirm: async (input) => {
        asked.push(input);
        return answer;
      },
    });
    const desiredBefore = sandbox.inspect.parameter('/spryker-staging/desired_version');
    try {
      await vscode.commands.executeCommand('sprykerDeploy.deploy.commit', { environment: 'spryker-staging', version: unbuilt });
      assert.equal(asked.length, 1, 'the refusal became one question');
      assert.equal(asked[0].action, 'Deploy Anyway');
      assert.equal(asked[0].always, true, 'asked even where non-production confirmations are off');
      assert.match(asked[0].title, new RegExp(`^Deploy spryker-staging to ${unbuilt.slice(0, 7)}\\? Its images are not built yet\\.$`));
      assert.match(asked[0].detail, /No image is tagged \w{7} yet in \d+ repositories/);
      assert.match(asked[0].detail, /Build_and_Prepare stage builds and pushes them first, so this deploy takes longer/);
      assert.equal(sandbox.inspect.parameter('/spryker-staging/desired_version'), desiredBefore, 'declining changed nothing');

      answer = true;
      await vscode.commands.executeCommand('sprykerDeploy.deploy.commit', { environment: 'spryker-staging', version: unbuilt });
      assert.equal(sandbox.inspect.parameter('/spryker-staging/desired_version'), unbuilt);
      await waitFor(() => status('spryker-staging')?.pipeline?.pendingApproval, { message: 'the approval to wait', timeoutMs: 20_000 });
      await vscode.commands.executeCommand('sprykerDeploy.approval.approve', { environment: 'spryker-staging' });
      await waitFor(() => deployed('spryker-staging') === unbuilt, { message: 'the unbuilt commit built and deployed', timeoutMs: 40_000 });
    } finally {
      api.setConfirmer({
        confirm: async (input) => {
          confirmations.push({ title: input.title, detail: input.detail });
          return true;
        },
      });
    }
  });

  it('rolls back to an earlier deployed version from the palette command', async () => {
    const { candidates } = await (await api.store.service('spryker-staging')).rollbackCandidates();
    const previous = candidates.find((c) => !c.current);
    assert.ok(previous, 'an earlier deployed version');
    const running = deployed('spryker-staging');
    assert.ok(running && shas.indexOf(previous.version) < shas.indexOf(running), 'the earlier version is an ancestor of the running one');
    confirmations.length = 0;
    await vscode.commands.executeCommand('sprykerDeploy.rollback', { environment: 'spryker-staging', version: previous.version });
    // It says it rolls back and lists the commits it undoes, newest first (shas are oldest first).
    assert.match(confirmations[0]?.title ?? '', new RegExp(`^Roll back spryker-staging to ${previous.version.slice(0, 7)}\\?`));
    const undone = shas.slice(shas.indexOf(previous.version) + 1, shas.indexOf(running) + 1).reverse();
    const lines = confirmations[0].detail.split('\n');
    const at = lines.findIndex((l) => l.startsWith(`Rolls back ${undone.length} commit`));
    assert.ok(at >= 0 && /\d+ files? changed; removed, newest first:$/.test(lines[at]), confirmations[0].detail);
    assert.deepEqual(lines.slice(at + 1, at + 1 + undone.length).map((l) => l.trim().split(' ')[1]), undone.map((sha) => sha.slice(0, 7)));
    await waitFor(() => status('spryker-staging')?.pipeline?.pendingApproval, { message: 'the approval to wait', timeoutMs: 20_000 });
    // Approved from the panel, which shows the commits it removes: its confirmation calls it a rollback too.
    await vscode.commands.executeCommand('sprykerDeploy.approval.openPanel', 'spryker-staging');
    try {
      const handle = api.panels.inspect('spryker-staging');
      assert.ok(handle, 'no panel for spryker-staging');
      const state = await waitFor(
        () => {
          const s = handle.state();
          return s?.approval && s.commits.kind === 'list' && s.commits.undone.length > 0 ? s : undefined;
        },
        { message: 'the panel with the commits the rollback removes', timeoutMs: 20_000 },
      );
      confirmations.length = 0;
      await handle.send({ type: 'approve', comment: 'Rolled back from the panel', token: state.approval!.token, action: state.approval!.actionName });
      assert.match(confirmations[0]?.title ?? '', new RegExp(`^Approve the rollback of spryker-staging to ${previous.version.slice(0, 7)}\\?$`));
      assert.match(
        confirmations[0]?.detail ?? '',
        new RegExp(`^${running.slice(0, 7)} → ${previous.version.slice(0, 7)}: spryker-staging will be rolled back, undoing ${undone.length} commits? \\(newest: ${undone[0].slice(0, 7)} "`),
      );
      assert.equal(handle.state()?.outcome?.decision, 'Approved', `the panel did not approve: ${JSON.stringify(handle.state()?.error)}`);
    } finally {
      for (const tab of approvalTabs()) await vscode.window.tabGroups.close(tab);
    }
    await waitFor(() => deployed('spryker-staging') === previous.version, { message: 'rolled back', timeoutMs: 30_000 });
  });

  it('shows the pipeline build log (the version comparison) in a read-only document', async () => {
    await api.store.refresh('spryker-staging');
    await vscode.commands.executeCommand('sprykerDeploy.pipeline.showLogs', { environment: 'spryker-staging' });
    const editor = await waitFor(() => (vscode.window.activeTextEditor?.document.uri.scheme === 'spryker-deploy-log' ? vscode.window.activeTextEditor : undefined), { message: 'the log document' });
    const text = editor.document.getText();
    assert.match(text, /^# spryker-staging · NORMAL_Deploy_Spryker_spryker-staging/);
    assert.match(text, /Deploy(ment|mnet) version/i);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  it('refuses a rollback to a version never deployed, and malformed hashes from any entry, changing nothing', async () => {
    const desiredBefore = sandbox.inspect.parameter('/spryker-staging/desired_version');
    confirmations.length = 0;
    // shas[5] is deployed by no test (shas[6] is: Deploy Anyway deploys it), so it is never an earlier deployed version.
    await vscode.commands.executeCommand('sprykerDeploy.rollback', { environment: 'spryker-staging', version: shas[5] });
    // The Graph hover's shape (our marker, then the hash git appends) with a short hash.
    await vscode.commands.executeCommand('sprykerDeploy.commit.deployTo', { caller: 'graph-hover' }, 'abc123', { environment: 'spryker-staging' });
    await vscode.commands.executeCommand('sprykerDeploy.commit.deployTo', { ref: { sha: 'not-a-sha' } }, { environment: 'spryker-staging' });
    await vscode.commands.executeCommand('sprykerDeploy.commit.deployTo', { commit: { sha: 'g'.repeat(40) } }, { environment: 'spryker-staging' });
    assert.equal(confirmations.length, 0, 'nothing got as far as a confirmation');
    assert.equal(sandbox.inspect.parameter('/spryker-staging/desired_version'), desiredBefore);
  });

  it('deploys a commit given the way GitLens passes it (ref.sha)', async () => {
    confirmations.length = 0;
    // Whichever built commit staging neither runs nor wants now (alone, the sandbox's own history decides; in the
    // whole file, the deploys before this one do).
    const desired = sandbox.inspect.parameter('/spryker-staging/desired_version');
    const target = shas.slice(0, 5).reverse().find((sha) => sha !== deployed('spryker-staging') && sha !== desired)!;
    await vscode.commands.executeCommand('sprykerDeploy.commit.deployTo', { ref: { sha: target } }, { environment: 'spryker-staging' });
    assert.equal(confirmations.length, 1);
    await waitFor(() => status('spryker-staging')?.pipeline?.pendingApproval, { message: 'the approval to wait', timeoutMs: 20_000 });
    await vscode.commands.executeCommand('sprykerDeploy.approval.reject', { environment: 'spryker-staging', comment: 'Not today' });
    await waitFor(() => status('spryker-staging')?.pipeline?.status === 'Failed' || undefined, { message: 'the execution rejected', timeoutMs: 20_000 });
    assert.equal(sandbox.inspect.parameter('/spryker-staging/desired_version'), target, 'desired_version was the GitLens commit');
    assert.notEqual(deployed('spryker-staging'), target);
  });

  it('offers the Source Control Graph commit, not the provider, from its context menu (provider, historyItem) and its hover (marker, hash)', async () => {
    const asked: string[] = [];
    api.setConfirmer({
      confirm: async (input) => {
        asked.push(input.title);
        return false;
      },
    });
    // A real SourceControl with the git extension's id, as the workbench passes it first.
    const provider = vscode.scm.createSourceControl('git', 'Git', workspaceFolder().uri);
    try {
      const historyItem = { id: shas[3], parentIds: [shas[2]], subject: 'Shop change 4', message: 'Shop change 4', displayId: shas[3].slice(0, 7), author: 'Test', timestamp: Date.now() };
      await vscode.commands.executeCommand('sprykerDeploy.commit.deployTo', provider, historyItem, { environment: 'spryker-staging' });
      // The hover's command as our provider declares it, with the hash appended as the git extension does.
      let hoverArgs: unknown[] = [];
      const gitApi: Pick<GitApi, 'registerSourceControlHistoryItemDetailsProvider'> = {
        registerSourceControlHistoryItemDetailsProvider: (p) => {
          void p.provideHoverCommands(undefined as never).then((commands) => (hoverArgs = [...(commands?.[0]?.arguments ?? []), shas[1]]));
          return { dispose: () => undefined };
        },
      };
      registerDeployHover(gitApi as GitApi, () => true);
      await waitFor(() => hoverArgs.length > 0 || undefined, { message: 'the hover command' });
      await vscode.commands.executeCommand('sprykerDeploy.commit.deployTo', ...hoverArgs, { environment: 'spryker-staging' });
    } finally {
      provider.dispose();
      api.setConfirmer({
        confirm: async (input) => {
          confirmations.push({ title: input.title, detail: input.detail });
          return true;
        },
      });
    }
    assert.equal(asked.length, 2, `both reached the confirmation: ${JSON.stringify(asked)}`);
    assert.match(asked[0], new RegExp(`spryker-staging.*${shas[3].slice(0, 7)}`));
    assert.match(asked[1], new RegExp(`spryker-staging.*${shas[1].slice(0, 7)}`));
  });

  it('shows production in the status bar: version, attention while an approval waits', async () => {
    await api.store.refresh('spryker-prod');
    await api.statusBar.update();
    const prodVersion = status('spryker-prod')?.lastDeployedVersion;
    assert.ok(prodVersion);
    assert.match(api.statusBar.lastView?.text ?? '', new RegExp(`spryker-prod ${prodVersion.slice(0, 7)}`));
    assert.equal(api.statusBar.lastView?.background, undefined);
    await vscode.commands.executeCommand('sprykerDeploy.deploy.commit', { environment: 'spryker-prod', version: shas[3] });
    await waitFor(() => api.statusBar.lastView?.background === 'warning' || undefined, { message: 'attention state', timeoutMs: 20_000 });
    assert.match(api.statusBar.lastView?.text ?? '', /\$\(bell-dot\) spryker-prod: approve/);
    await vscode.commands.executeCommand('sprykerDeploy.approval.reject', { environment: 'spryker-prod', comment: 'Test' });
    await waitFor(() => !status('spryker-prod')?.pipeline?.pendingApproval || undefined, { message: 'approval gone' });
  });

  it('reports expired credentials as signed out, with the welcome view state', async () => {
    // Statuses read before the credentials expire (run alone, nothing has read them yet).
    await api.store.refresh();
    assert.ok(api.store.status('spryker-staging') && api.store.status('spryker-prod'), 'both environments read before the fault');
    sandbox.control.addFault('expired-credentials');
    try {
      const calls = api.awsCalls();
      await api.store.resetCredentials();
      assert.equal(api.store.error('spryker-staging')?.kind, 'credentials-expired', `calls made: ${api.awsCalls() - calls}; faults ${JSON.stringify((sandbox.control as unknown as { faults(): unknown }).faults())}`);
      assert.equal(api.store.error('spryker-prod')?.kind, 'credentials-expired');
      // Statuses polled before stay visible (with the error on the node); without any, the welcome view shows.
      assert.equal(api.store.viewState(), 'ready');
      const root = await api.trees.environments.getTreeItem((await api.trees.environments.getChildren())[0]);
      assert.match(String(root.description), /Credentials expired/);
    } finally {
      sandbox.control.clearFaults();
    }
    await api.store.refresh();
    assert.equal(api.store.error('spryker-staging'), undefined, 'recovers once the credentials work');
  });

  it('reports throttling as throttled', async () => {
    // Read once first, so there is a last known state for the throttled part to keep.
    await api.store.refresh('spryker-staging');
    assert.ok(status('spryker-staging')?.desiredVersion, 'staging\'s parameters were read');
    sandbox.control.addFault('throttle:GetParameters');
    try {
      await api.store.refresh('spryker-staging');
      // One part throttled is not an environment that failed: the other parts were read, the parameters are the
      // last known ones, marked stale because AWS throttled, and the tree says so in words.
      assert.equal(api.store.error('spryker-staging'), undefined, 'a throttled part failed the whole environment');
      const part = status('spryker-staging')?.errors.find((p) => p.part === 'parameters');
      assert.equal(part?.code, 'throttled', `the parameters part: ${JSON.stringify(part)}`);
      const stale = status('spryker-staging')?.stale?.find((p) => p.part === 'parameters');
      assert.equal(stale?.error?.code, 'throttled', 'the parameters are not kept as stale because of the throttling');
      const root = (await treeChildren()).find((c) => c.node.env.name === 'spryker-staging');
      assert.match(String(root?.item.description), /Throttled by AWS/);
    } finally {
      sandbox.control.clearFaults();
    }
  });

  it('keeps the last known versions, pipeline and services while AWS cannot be reached, marked stale, and recovers', async () => {
    await api.store.refresh();
    const known = status('spryker-prod');
    assert.ok(known?.lastDeployedVersion && known.pipeline && known.services.length > 0, 'production was read before');
    // The tree read the Maintenance row with that status (it is read again once a minute while settled).
    const prodBefore = (await treeChildren()).find((r) => r.node.kind === 'environment' && r.node.env.name === 'spryker-prod');
    const maintenanceBefore = (await treeChildren(prodBefore!.node)).find((c) => c.node.kind === 'maintenance');
    assert.match(String(maintenanceBefore?.item.description), /^(on|off)\b/);
    sandbox.control.addFault('drop');
    try {
      await api.store.refresh();
      const kept = status('spryker-prod');
      assert.equal(kept?.lastDeployedVersion, known.lastDeployedVersion);
      assert.equal(kept?.desiredVersion, known.desiredVersion);
      assert.equal(kept?.pipeline?.executionId, known.pipeline.executionId);
      assert.deepEqual(kept?.services.map((s) => s.name), known.services.map((s) => s.name));
      assert.deepEqual(kept?.stale?.map((s) => s.part), ['parameters', 'pipeline', 'services']);
      assert.equal(kept?.stale?.[0].asOf.getTime(), known.fetchedAt.getTime(), 'stale since the last read that answered');
      const rows = await treeChildren();
      const prodRow = rows.find((r) => r.node.kind === 'environment' && r.node.env.name === 'spryker-prod');
      assert.match(String(prodRow?.item.description), new RegExp(`^${known.lastDeployedVersion.slice(0, 7)}.* · last read (just now|\\d+ min ago) · Network error$`));
      assert.doesNotMatch(String(prodRow?.item.description), /Never deployed/);
      assert.ok(prodRow);
      const versionRow = (await treeChildren(prodRow.node)).find((c) => c.node.kind === 'version' && c.node.role === 'deployed');
      // Its children keep their values, marked by the warning icon and their tooltip; the age and the reason, alike
      // for every part, are said once on the environment's row.
      assert.equal(String(versionRow?.item.description).slice(0, 7), known.lastDeployedVersion.slice(0, 7));
      assert.equal((versionRow?.item.iconPath as vscode.ThemeIcon | undefined)?.id, 'warning');
      assert.match(itemText(versionRow?.item.tooltip), /Shown as last read .*AWS could not be reached since/);
      // The Maintenance row too: its state as read before, not a fresh-looking value.
      const maintenanceRow = (await treeChildren(prodRow.node)).find((c) => c.node.kind === 'maintenance');
      assert.equal(String(maintenanceRow?.item.description), String(maintenanceBefore?.item.description));
      assert.equal((maintenanceRow?.item.iconPath as vscode.ThemeIcon | undefined)?.id, 'warning');
      assert.match(itemText(maintenanceRow?.item.tooltip), /Shown as last read .*AWS could not be reached since/);
      await api.statusBar.update();
      assert.match(api.statusBar.lastView?.text ?? '', new RegExp(`spryker-prod ${known.lastDeployedVersion.slice(0, 7)} \\(stale\\)`));
      assert.equal(api.statusBar.lastView?.background, 'warning');
    } finally {
      sandbox.control.clearFaults();
    }
    await api.store.refresh();
    assert.equal(status('spryker-prod')?.stale, undefined, 'fresh again once AWS answers');
    await api.statusBar.update();
    assert.doesNotMatch(api.statusBar.lastView?.text ?? '', /stale/);
  });

  it('shows a missing pipeline on its node and refuses to deploy to it, leaving desired_version as it was', async () => {
    // For this test only: the tests after it (in any order) deploy through staging's real pipeline.
    const missing = [
      { name: 'spryker-staging', endpoint: sandbox.endpoint, region: sandbox.region, pipelines: { normal: 'NoSuchPipeline' } },
      { name: 'spryker-prod', endpoint: sandbox.endpoint, region: sandbox.region },
    ];
    await withSettings({ 'sprykerDeploy.environments': missing }, async () => {
      await waitFor(() => api.store.environment('spryker-staging')?.pipelines.normal === 'NoSuchPipeline', { message: 'settings applied' });
      await api.store.refresh('spryker-staging');
      const part = status('spryker-staging')?.errors.find((p) => p.part === 'pipeline');
      assert.ok(part, 'the pipeline part reports its error');
      const pipelineNode = (await treeChildren((await treeChildren())[0].node)).find((c) => c.node.kind === 'pipeline');
      assert.match(String(pipelineNode?.item.description), /NoSuchPipeline|not found|does not exist/i);
      const before = sandbox.inspect.parameter('/spryker-staging/desired_version');
      const env = api.store.environment('spryker-staging');
      assert.ok(env);
      // Refused before anything is written: the pipeline's executions are read first, and AWS has no such pipeline.
      await assert.rejects(api.deploys.deploy(env, shas[2], 'deploy'), (e: { kind?: string }) => e.kind === 'not-found');
      assert.equal(sandbox.inspect.parameter('/spryker-staging/desired_version'), before);
    });
    await waitFor(() => api.store.environment('spryker-staging')?.pipelines.normal !== 'NoSuchPipeline' || undefined, { message: 'the settings restored' });
  });

  it('starts the sandbox in-process from its command, points the environments at it, and restores them on stop', async () => {
    const before = vscode.workspace.getConfiguration('sprykerDeploy').inspect('environments')?.globalValue;
    await vscode.commands.executeCommand('sprykerDeploy.sandbox.start', { scope: 'user' });
    const envs = vscode.workspace.getConfiguration('sprykerDeploy').inspect<{ name: string; endpoint?: string }[]>('environments')?.globalValue ?? [];
    const endpoint = envs.find((e) => e.name === 'spryker-prod')?.endpoint;
    assert.ok(endpoint && endpoint !== sandbox.endpoint, `a new sandbox endpoint in the settings (${endpoint})`);
    await waitFor(() => api.store.environment('spryker-prod')?.endpoint === endpoint, { message: 'settings applied' });
    await api.store.refresh('spryker-prod');
    assert.ok(api.store.status('spryker-prod')?.lastDeployedVersion, 'the new sandbox answers with its credentials');
    assert.equal(api.store.error('spryker-prod'), undefined);
    await vscode.commands.executeCommand('sprykerDeploy.sandbox.stop');
    assert.deepEqual(vscode.workspace.getConfiguration('sprykerDeploy').inspect('environments')?.globalValue, before);
  });

  it('sandbox Start/Stop in the workspace: says which sandbox the views use, shows it in the status bar, and leaves no stale button or empty settings file', async () => {
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder);
    const settingsFile = vscode.Uri.joinPath(folder.uri, '.vscode', 'settings.json');
    const exists = (uri: vscode.Uri) => vscode.workspace.fs.stat(uri).then(() => true, () => false);
    assert.equal(await exists(settingsFile), false, 'the test workspace starts without .vscode/settings.json');
    const own = vscode.workspace.getConfiguration('sprykerDeploy').inspect<{ name: string; endpoint?: string }[]>('environments')?.globalValue ?? [];
    assert.ok(own.some((e) => e.name === 'spryker-prod' && e.endpoint === sandbox.endpoint), "the user settings point at the test's own sandbox, as the demo's do");
    const shown: ShownMessage[] = [];
    api.answerMessages(async (m) => {
      shown.push(m);
      return undefined;
    });
    try {
      await vscode.commands.executeCommand('sprykerDeploy.sandbox.start', { scope: 'workspace' });
      const started = api.sandboxIndicator();
      assert.ok(started, 'a status bar entry shows the running sandbox');
      const endpoint = vscode.workspace.getConfiguration('sprykerDeploy').inspect<{ name: string; endpoint?: string }[]>('environments')?.workspaceValue?.[0]?.endpoint;
      assert.ok(endpoint && endpoint !== sandbox.endpoint);
      assert.match(started.text, new RegExp(`Sandbox :${new URL(endpoint).port}$`));
      assert.match(started.tooltip, new RegExp(`spryker-staging and spryker-prod use ${endpoint} \\(workspace settings\\)`));
      const startMessage = shown.find((m) => /sandbox running/.test(m.message));
      assert.ok(startMessage, 'the start is told');
      assert.match(startMessage.message, new RegExp(`use ${endpoint} \\(workspace settings\\) \\(before: spryker-staging and spryker-prod use ${sandbox.endpoint} \\(user settings\\)\\)`));
      assert.deepEqual(startMessage.actions, ['Copy Endpoint'], 'no Stop button that would outlive the sandbox in the notification list');
      await waitFor(() => api.store.environment('spryker-prod')?.endpoint === endpoint || undefined, { message: 'the views use the new sandbox' });

      await vscode.commands.executeCommand('sprykerDeploy.sandbox.stop');
      assert.equal(api.sandboxIndicator(), undefined, 'the status bar entry is gone');
      assert.equal(await exists(settingsFile), false, 'Stop leaves no empty .vscode/settings.json');
      assert.equal(await exists(vscode.Uri.joinPath(folder.uri, '.vscode')), false, 'nor the .vscode folder it created');
      const stopMessage = shown.find((m) => /Stopped the local sandbox/.test(m.message));
      assert.ok(stopMessage, 'the stop is told');
      assert.match(stopMessage.message, new RegExp(`spryker-staging and spryker-prod use ${sandbox.endpoint} \\(user settings\\)`), 'it says which sandbox the views use now');
      await waitFor(() => api.store.environment('spryker-prod')?.endpoint === sandbox.endpoint || undefined, { message: 'the views use the first sandbox again' });
    } finally {
      api.answerMessages(undefined);
    }
  });

  it('makes no AWS call while the views are hidden and the window unfocused, and polls again when shown', async () => {
    const store = api.store;
    await store.refresh(); // someone looked before: the store is engaged
    // The headless browser reports focus changes of its own (closing editors, writing settings); keep the simulated
    // window unfocused. This listener runs right after the extension's, before any poll it scheduled can fire.
    const keepUnfocused = vscode.window.onDidChangeWindowState(() => store.setWindowFocused(false));
    let before = 0;
    try {
      // An open approval panel is someone looking (it watches its environment): close what earlier tests opened.
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      store.setViewVisible('Environments', false);
      store.setViewVisible('Commits', false);
      store.setWindowFocused(false);
      // Refreshes begun before (e.g. by the previous test's settings change) may still be retrying; let them end.
      await waitFor(() => api.store.environments().every((e) => !store.isRefreshing(e.name)) || undefined, { message: 'refreshes settled', timeoutMs: 20_000 });
      before = api.awsCalls();
      const requestsBefore = sandbox.requests().length;
      const sb = runnerSandbox();
      const runnerBefore = sb ? (await sandboxJson<{ total: number }>(sb.endpoint, '/requests')).total : 0;
      const made = async () => {
        const own = sandbox.requests().slice(requestsBefore).map((r) => r.operation);
        const runner = sb ? (await sandboxJson<{ requests: { operation: string }[] }>(sb.endpoint, `/requests?since=${runnerBefore}`)).requests.map((r) => r.operation) : [];
        const inner = store as unknown as { windowFocused: boolean; visibleViews: Set<string>; watchers: Map<string, number>; engaged: boolean };
        const state = { paused: store.isPaused(), focused: inner.windowFocused, views: [...inner.visibleViews], watchers: [...inner.watchers], engaged: inner.engaged };
        return `calls made: this test's sandbox ${JSON.stringify(own)}, the runner's ${JSON.stringify(runner)}; store ${JSON.stringify(state)}`;
      };
      // A settings change that reloads the environments must not call AWS either while nobody looks.
      const config = () => vscode.workspace.getConfiguration('sprykerDeploy');
      const reloads = api.store.environments();
      await config().update('defaultRegion', 'eu-west-1', vscode.ConfigurationTarget.Global);
      await waitFor(() => api.store.environments() !== reloads || undefined, { message: 'environments reloaded' });
      // No wall-clock window: paused means no poll is planned at all, so no call can come (when the store polls is
      // unit-tested on a clock the test moves: test/unit/vscode/store.test.ts).
      assert.ok(store.isPaused(), `the store plans a poll while nobody looks; ${await made()}`);
      assert.ok(api.store.environments().every((e) => !store.isRefreshing(e.name)), 'the reload started a refresh');
      assert.equal(api.awsCalls() - before, 0, `no AWS calls while nobody looks; ${await made()}`);
      await config().update('defaultRegion', undefined, vscode.ConfigurationTarget.Global);
      assert.equal(api.awsCalls() - before, 0, 'no AWS calls after restoring the setting either');
    } finally {
      keepUnfocused.dispose();
    }
    store.setViewVisible('Environments', true);
    await waitFor(() => api.awsCalls() > before || undefined, { message: 'polling resumed', timeoutMs: 8000 });
    store.setWindowFocused(true);
  });
});
