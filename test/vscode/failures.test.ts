// When a deploy goes wrong, in the real extension host against the runner's sandbox: a CodeBuild stage that fails
// (the tree names the stage and AWS's reason, the notification offers Show Log / Retry / Roll Back, Show Log opens
// the log at its error, Retry runs the pipeline to success) and a deliberate Reject (neutral "Rejected by …", the
// offer to restore desired_version, which puts the deployed version back). Notifications cannot be clicked in the
// extension host: the test API's message answerer stands in for the user and sees exactly the message and buttons.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ShownMessage } from '../../src/vscode/messages';
import type { TestApi } from '../../src/vscode/testApi';
import type { EnvTreeNode } from '../../src/vscode/tree/nodes';
import { activateExtension, sandbox, sandboxJson, sandboxService, waitFor, withSettings, type SandboxInfo } from './helpers';

const ENV = 'spryker-staging';

async function treeItems(api: TestApi): Promise<{ node: EnvTreeNode; item: vscode.TreeItem }[]> {
  const tree = api.trees.environments;
  const items: { node: EnvTreeNode; item: vscode.TreeItem }[] = [];
  const walk = async (node?: EnvTreeNode): Promise<void> => {
    for (const child of await tree.getChildren(node)) {
      if (child.env.name !== ENV) continue;
      items.push({ node: child, item: await tree.getTreeItem(child) });
      await walk(child);
    }
  };
  await walk();
  return items;
}

const text = (v: string | boolean | vscode.TreeItemLabel | vscode.MarkdownString | undefined): string =>
  v === undefined || typeof v === 'boolean' ? '' : typeof v === 'string' ? v : 'value' in v ? v.value : v.label;

/** A version the sandbox has an image for that is neither deployed nor desired on the environment. */
async function versionToDeploy(sb: SandboxInfo, deployed: string | undefined, desired: string | undefined): Promise<string> {
  const world = await sandboxJson<{ commits: { sha: string }[] }>(sb.endpoint, '/world');
  const version = world.commits.map((c) => c.sha).slice(3).find((sha) => sha !== deployed && sha !== desired);
  assert.ok(version, 'the sandbox offers no version to deploy');
  return version;
}

describe('when a deploy goes wrong (extension host + sandbox)', function () {
  this.timeout(150_000);
  const sb = sandbox();
  let api: TestApi;
  const shown: ShownMessage[] = [];
  /** The button the "user" presses on a message, by what it says. */
  let answer: (m: ShownMessage) => string | undefined = () => undefined;
  let release: () => void = () => undefined;

  before(async () => {
    assert.ok(sb, 'the sandbox is not running: start these tests with `npm run test:vscode`');
    api = await activateExtension<TestApi>();
    api.setConfirmer({ confirm: async () => true });
    api.answerMessages(async (m) => {
      shown.push(m);
      return answer(m);
    });
    let ready!: () => void;
    const applied = new Promise<void>((r) => (ready = r));
    const released = new Promise<void>((r) => (release = r));
    void withSettings(
      {
        'sprykerDeploy.environments': [{ name: ENV, endpoint: sb.endpoint, region: sb.region, production: false }],
        'sprykerDeploy.notifications.approval': false,
        'sprykerDeploy.polling.activeSeconds': 1,
      },
      async () => {
        ready();
        await released;
      },
    );
    await applied;
    await waitFor(() => api.store.environment(ENV)?.endpoint === sb.endpoint, { message: 'settings applied' });
  });

  after(async () => {
    api?.setConfirmer(undefined);
    api?.answerMessages(undefined);
    if (sb) await sandboxJson(sb.endpoint, '/scenarios', { method: 'DELETE' });
    release();
  });

  beforeEach(() => {
    shown.length = 0;
    answer = () => undefined;
  });

  it('a failed stage: the tree names stage and reason, the notification offers Show Log / Retry / Roll Back, Show Log (notification and panel) opens the error, Retry deploys', async () => {
    const env = api.store.environment(ENV)!;
    const service = sandboxService(sb!, { name: ENV, production: false });
    const before = await service.status();
    const version = await versionToDeploy(sb!, before.lastDeployedVersion, before.desiredVersion);
    await sandboxJson(sb!.endpoint, '/scenarios', { method: 'PUT', body: JSON.stringify({ scenarios: [`stage-fails:Run_install:${ENV}`] }) });
    // The failure notification's Show Log, as the user would press it.
    answer = (m) => (m.severity === 'error' && m.actions.includes('Show Log') ? 'Show Log' : undefined);

    const toApproval = await api.deploys.deploy(env, version, 'deploy');
    assert.equal(toApproval?.status, 'AwaitingApproval');
    assert.ok(toApproval.approval);
    await api.deploys.approve({ environment: ENV, approval: toApproval.approval });

    const failure = await waitFor(() => shown.find((m) => m.severity === 'error'), { timeoutMs: 30_000, message: 'the failure notification' });
    assert.match(failure.message, /Run_install/, 'the notification names the failed stage');
    assert.match(failure.message, /COMMAND_EXECUTION_ERROR|FAILED/, "the notification carries AWS's reason");
    assert.deepEqual(failure.actions, ['Show Log', 'Retry', 'Roll Back']);

    const status = api.store.status(ENV);
    assert.equal(status?.pipeline?.outcome?.kind, 'failed');
    const items = await treeItems(api);
    const pipeline = items.find((i) => i.node.kind === 'pipeline')?.item;
    assert.ok(pipeline, 'no pipeline item');
    assert.match(text(pipeline.description), /^Failed at Run_install.*: /, 'the pipeline item says where and why it failed');
    assert.match(String(pipeline.contextValue), /\bcanRetry\b/, 'the failed pipeline offers Retry in its context menu');
    const environment = items.find((i) => i.node.kind === 'environment')?.item;
    assert.match(text(environment?.description), /Failed at Run_install/);

    // Show Log: the failed action's whole build log, scrolled to its end where the error is.
    const editor = await waitFor(() => vscode.window.activeTextEditor?.document.uri.scheme !== 'file' && vscode.window.activeTextEditor?.document.getText().includes('Run_install') && vscode.window.activeTextEditor, {
      timeoutMs: 20_000,
      message: 'the build log to open',
    });
    const doc = editor.document;
    const lastLines = Array.from({ length: Math.min(15, doc.lineCount) }, (_, i) => doc.lineAt(doc.lineCount - 1 - i).text).join('\n');
    assert.match(lastLines, /exception|error|exit/i, `the log does not end with the error:\n${lastLines}`);
    assert.equal(editor.selection.active.line, doc.lineCount - 1, 'the log is not scrolled to its end');

    // The approval panel, opened on the failed execution, shows the failed stage with the end of its log.
    await api.panels.open(ENV);
    const panelFailure = await waitFor(() => (api.panels.inspect(ENV)?.state()?.failure?.lines.length ?? 0) > 0 && api.panels.inspect(ENV)?.state()?.failure, { timeoutMs: 20_000, message: 'the panel\'s failed-stage section with log lines' });
    assert.equal(panelFailure.stage, 'Run_install');
    assert.match(`${panelFailure.code ?? ''} ${panelFailure.message ?? ''}`, /COMMAND_EXECUTION_ERROR|FAILED/);
    assert.match(panelFailure.lines.join('\n'), /exception|error|exit/i, 'the panel shows the log lines with the error');
    assert.ok(panelFailure.lines.length <= 20);
    // The failure section's Show Log opens the same read-only log document as the notification's.
    const logUri = doc.uri.toString();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await api.panels.open(ENV);
    await api.panels.inspect(ENV)!.send({ type: 'showLog' });
    const fromPanel = await waitFor(() => vscode.window.activeTextEditor?.document.uri.toString() === logUri && vscode.window.activeTextEditor, { timeoutMs: 20_000, message: "the panel's Show Log to open the build log" });
    assert.equal(fromPanel.selection.active.line, fromPanel.document.lineCount - 1, "the panel's Show Log is not scrolled to the end");
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');

    // Retry, exactly as the notification's button calls it; the scenario was used up, so the stage passes now.
    shown.length = 0;
    await vscode.commands.executeCommand('sprykerDeploy.pipeline.retry', { environment: ENV, executionId: status!.pipeline!.executionId! });
    const after = await waitFor(
      async () => {
        const s = await service.status();
        return s.pipeline?.status === 'Succeeded' && s;
      },
      { timeoutMs: 60_000, message: 'the retried execution to succeed' },
    );
    assert.equal(after.pipeline?.executionId, status!.pipeline!.executionId, 'Retry ran the same execution again, not a new one');
    assert.equal(after.lastDeployedVersion, version);
    const success = await waitFor(() => shown.find((m) => m.severity === 'info' && m.message.startsWith('Deployed')), { timeoutMs: 20_000, message: 'the success notification' });
    assert.match(success.message, new RegExp(version.slice(0, 7)));
  });

  it('a deliberate Reject shows "Rejected by …" (not failed) and Restore puts desired_version back to the deployed version', async () => {
    const env = api.store.environment(ENV)!;
    const service = sandboxService(sb!, { name: ENV, production: false });
    const before = await service.status();
    const deployed = before.lastDeployedVersion;
    assert.ok(deployed, 'the environment has no deployed version');
    const version = await versionToDeploy(sb!, deployed, before.desiredVersion);
    answer = (m) => m.actions.find((a) => a === `Restore ${deployed.slice(0, 7)}`);

    const toApproval = await api.deploys.deploy(env, version, 'deploy');
    assert.equal(toApproval?.status, 'AwaitingApproval');
    assert.ok(toApproval.approval);
    assert.equal((await service.status()).desiredVersion, version);
    await api.deploys.reject({ environment: ENV, approval: toApproval.approval, comment: 'Not before the sale ends' });

    const offer = await waitFor(() => shown.find((m) => m.message.startsWith('Rejected')), { message: 'the rejection message' });
    assert.equal(offer.severity, 'info', 'a rejection is told as a neutral fact, not an error');
    assert.deepEqual(offer.actions, [`Restore ${deployed.slice(0, 7)}`]);
    assert.ok(!shown.some((m) => m.severity === 'error'), 'a rejection was told as a failure');

    const restored = await waitFor(
      async () => {
        const s = await service.status();
        return s.desiredVersion === deployed && s;
      },
      { timeoutMs: 20_000, message: 'desired_version to be the deployed version again' },
    );
    assert.equal(restored.lastDeployedVersion, deployed, 'the deployed version changed');

    await api.store.refresh(ENV);
    const status = api.store.status(ENV);
    assert.equal(status?.pipeline?.outcome?.kind, 'rejected');
    const items = await treeItems(api);
    const pipeline = items.find((i) => i.node.kind === 'pipeline')?.item;
    assert.match(text(pipeline?.description), /^Rejected by .+: Not before the sale ends$/);
    const icon = pipeline?.iconPath as vscode.ThemeIcon | undefined;
    assert.equal(icon?.id, 'circle-slash', 'a rejection has its own neutral icon, not the failure one');
    assert.doesNotMatch(String(pipeline?.contextValue), /\bcanRetry\b/, 'a rejection offers no Retry');
    const environment = items.find((i) => i.node.kind === 'environment')?.item;
    assert.match(text(environment?.description), /Rejected by /);
    assert.doesNotMatch(text(environment?.description), /failed/i);
    assert.equal((environment?.iconPath as vscode.ThemeIcon | undefined)?.id, 'circle-slash');
  });

  it('Restore puts desired_version back to the deployed version only, after confirming what it writes; another version is refused, nothing written', async () => {
    const service = sandboxService(sb!, { name: ENV, production: false });
    const before = await service.status();
    const deployed = before.lastDeployedVersion;
    assert.ok(deployed, 'the environment has no deployed version');
    const other = await versionToDeploy(sb!, deployed, before.desiredVersion);
    // desired_version left on another version (a deploy that did not happen).
    await service.restoreDesiredVersion(other);
    const asked: { title: string; detail: string }[] = [];
    api.setConfirmer({ confirm: async (input) => (asked.push(input), true) });
    try {
      await assert.rejects(api.deploys.restoreDesired({ environment: ENV, commit: other }), /is not it\. Nothing was changed/);
      assert.equal((await service.status()).desiredVersion, other, 'a version that is not the deployed one was written');
      assert.equal(asked.length, 0, 'a refused restore asked for confirmation');

      await api.deploys.restoreDesired({ environment: ENV });
      assert.equal(asked.length, 1, 'the restore was not confirmed');
      assert.match(asked[0].title, new RegExp(`back to ${deployed.slice(0, 7)}, the deployed version`));
      assert.match(asked[0].detail, new RegExp(`${other} → ${deployed}`));
      assert.equal((await service.status()).desiredVersion, deployed);
      assert.ok(shown.some((m) => m.message.endsWith(`is ${deployed.slice(0, 7)} again, the deployed version.`)), 'the user was not told what desired_version holds now');
    } finally {
      api.setConfirmer({ confirm: async () => true });
    }
  });

  it('a failed ECS rollout: the tree shows the rolled-back service with its ECS events, the notification says what runs, Show Log has the stopped tasks\' reasons and exit codes, Roll Back deploys the old version', async () => {
    const env = api.store.environment(ENV)!;
    const service = sandboxService(sb!, { name: ENV, production: false });
    const before = await service.status();
    const deployed = before.lastDeployedVersion;
    assert.ok(deployed, 'the environment has no deployed version');
    const crashing = before.services[0]?.name;
    assert.ok(crashing, 'the environment has no ECS service');
    const version = await versionToDeploy(sb!, deployed, before.desiredVersion);
    await sandboxJson(sb!.endpoint, '/scenarios', { method: 'PUT', body: JSON.stringify({ scenarios: [`rollout-fails:${crashing}:${ENV}`] }) });
    answer = (m) => (m.severity === 'error' && m.actions.includes('Show Log') ? 'Show Log' : undefined);

    const toApproval = await api.deploys.deploy(env, version, 'deploy');
    assert.equal(toApproval?.status, 'AwaitingApproval');
    await api.deploys.approve({ environment: ENV, approval: toApproval.approval! });

    const failure = await waitFor(() => shown.find((m) => m.severity === 'error'), { timeoutMs: 60_000, message: 'the failure notification' });
    assert.match(failure.message, /Deploy_Spryker_services/, 'the notification names the failed stage');
    assert.match(failure.message, /circuit breaker/, "the notification carries ECS's reason");
    assert.match(failure.message, new RegExp(`ECS rolled back ${crashing}: ${deployed.slice(0, 7)} runs there`), 'the notification says what runs now');
    assert.deepEqual(failure.actions, ['Show Log', 'Retry', 'Roll Back']);

    // The tree: the service reads rolled back, its tooltip has the rollout's reason and ECS's own story of it.
    const items = await treeItems(api);
    const serviceItem = items.find((i) => i.node.kind === 'service' && i.node.service.name === crashing)?.item;
    assert.ok(serviceItem, `no tree item for ${crashing}`);
    assert.match(text(serviceItem.description), new RegExp(`^${deployed.slice(0, 7)} .*rollout failed, rolled back`), 'the service item says it runs the old version and was rolled back');
    const tip = text(serviceItem.tooltip);
    assert.match(tip, /circuit breaker/);
    assert.match(tip, /deployment failed: tasks failed to start/);
    assert.match(tip, /rolling back to deployment/);
    const environment = items.find((i) => i.node.kind === 'environment')?.item;
    assert.match(text(environment?.description), /Failed at Deploy_Spryker_services.* · 1 rolled back/);

    // Show Log: no build log for an ECS action; the service's events and the stopped tasks, why and with which exit code.
    const editor = await waitFor(() => vscode.window.activeTextEditor?.document.getText().includes('circuit breaker') && vscode.window.activeTextEditor, { timeoutMs: 20_000, message: 'the rollout log to open' });
    const log = editor.document.getText();
    assert.match(log, new RegExp(`Runs now: ${deployed}`));
    assert.match(log, /Essential container in task exited/);
    assert.match(log, /exit code 1|exitCode 1|exit 1/i, `no exit code in:\n${log}`);
    assert.match(log, /rolling back to deployment/);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');

    // Roll Back as the notification's button calls it: the last good version, the deployed one, is deployed again.
    shown.length = 0;
    answer = () => undefined;
    // (follows the new execution to its approval, as a deploy does)
    await api.deploys.rollback({ environment: ENV, commit: deployed });
    const waitingBack = await service.approvalDetails();
    assert.ok(waitingBack, 'the roll back did not reach its approval');
    assert.equal(waitingBack.approval.version, deployed, 'Roll Back deploys the last good version');
    await api.deploys.approve({ environment: ENV, approval: waitingBack.approval });
    const after = await waitFor(
      async () => {
        const s = await service.status();
        return s.pipeline?.status === 'Succeeded' && s;
      },
      { timeoutMs: 60_000, message: 'the roll back to succeed' },
    );
    assert.equal(after.desiredVersion, deployed);
    assert.equal(after.lastDeployedVersion, deployed);
    const crashed = after.services.find((s) => s.name === crashing);
    assert.deepEqual(crashed?.runningVersions, [deployed], 'the old version runs');
  });
});
