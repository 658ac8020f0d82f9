// When a deploy goes wrong, in the real extension host against the runner's sandbox: a CodeBuild stage that fails
// (the tree names the stage and AWS's reason, the notification offers Show Log / Retry / Roll Back, Show Log opens
// the log at its error, Retry runs the pipeline to success) and a deliberate Reject (neutral "Rejected by …", the
// offer to restore desired_version, which puts the deployed version back). Notifications cannot be clicked in the
// extension host: the test API's message answerer stands in for the user and sees exactly the message and buttons.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ShownMessage } from '../../src/vscode/messages';
import type { TestApi } from '../../src/vscode/testApi';
import { activateExtension, deployableVersion, environmentSettings, sandbox, sandboxJson, sandboxService, treeItems as allTreeItems, waitFor, withSettings, itemText } from './helpers';

const ENV = 'spryker-staging';

/** Every node of the environment's branch of the Environments tree, with its TreeItem. */
const treeItems = (api: TestApi) => allTreeItems(api.trees.environments, (node) => node.env.name === ENV);


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
        'sprykerDeploy.environments': environmentSettings(sb, [{ name: ENV, production: false }]),
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
    const version = await deployableVersion(sb!, before.lastDeployedVersion, before.desiredVersion);
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
    assert.match(itemText(pipeline.description), /^Failed at Run_install.*: /, 'the pipeline item says where and why it failed');
    assert.match(String(pipeline.contextValue), /\bcanRetry\b/, 'the failed pipeline offers Retry in its context menu');
    const environment = items.find((i) => i.node.kind === 'environment')?.item;
    assert.match(itemText(environment?.description), /Failed at Run_install/);

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
    const version = await deployableVersion(sb!, deployed, before.desiredVersion);
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
    assert.match(itemText(pipeline?.description), /^Rejected by .+: Not before the sale ends$/);
    const icon = pipeline?.iconPath as vscode.ThemeIcon | undefined;
    assert.equal(icon?.id, 'circle-slash', 'a rejection has its own neutral icon, not the failure one');
    assert.doesNotMatch(String(pipeline?.contextValue), /\bcanRetry\b/, 'a rejection offers no Retry');
    const environment = items.find((i) => i.node.kind === 'environment')?.item;
    assert.match(itemText(environment?.description), /Rejected by /);
    assert.doesNotMatch(itemText(environment?.description), /failed/i);
    assert.equal((environment?.iconPath as vscode.ThemeIcon | undefined)?.id, 'circle-slash');
  });

  /** Deploys a version from VS Code up to its approval; returns it with the state before. */
  async function deployToApproval(): Promise<{ execution: string; version: string; deployed: string; service: ReturnType<typeof sandboxService> }> {
    const service = sandboxService(sb!, { name: ENV, production: false });
    const before = await service.status();
    const deployed = before.lastDeployedVersion;
    assert.ok(deployed, 'the environment has no deployed version');
    const version = await deployableVersion(sb!, deployed, before.desiredVersion);
    const toApproval = await api.deploys.deploy(api.store.environment(ENV)!, version, 'deploy');
    assert.equal(toApproval?.status, 'AwaitingApproval');
    await api.store.refresh(ENV);
    return { execution: toApproval.executionId, version, deployed, service };
  }

  /** What the tree and the approval panel say about the latest execution now. */
  async function treeAndPanel(): Promise<{ pipeline: vscode.TreeItem; environment: vscode.TreeItem; ended: string | undefined }> {
    await api.store.refresh(ENV);
    const items = await treeItems(api);
    const pipeline = items.find((i) => i.node.kind === 'pipeline')?.item;
    const environment = items.find((i) => i.node.kind === 'environment')?.item;
    assert.ok(pipeline && environment);
    await api.panels.open(ENV);
    const handle = api.panels.inspect(ENV)!;
    await handle.settled();
    const ended = handle.state()?.pipeline.ended;
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    return { pipeline, environment, ended };
  }

  it('an expired approval is told as a lapse, neither a rejection nor a failure: notification, tree and panel', async () => {
    const { version, deployed, service } = await deployToApproval();
    shown.length = 0;
    // CodePipeline fails an approval nobody decided after seven days: the sandbox's clock gets there.
    await sandboxJson(sb!.endpoint, '/advance', { method: 'POST', body: JSON.stringify({ seconds: 7 * 24 * 3600 + 60 }) });
    const told = await waitFor(() => shown.find((m) => /expired/.test(m.message)), { timeoutMs: 30_000, message: 'the expiry notification' });
    assert.equal(told.severity, 'warning');
    assert.match(told.message, new RegExp(`^${ENV}: the approval of ${version.slice(0, 7)}.* expired; nothing was deployed\\.`));
    assert.doesNotMatch(told.message, /fail|reject/i, 'an expiry told as a failure or a rejection');
    assert.deepEqual(told.actions, [`Restore ${deployed.slice(0, 7)}`]);
    assert.equal(api.store.status(ENV)?.pipeline?.outcome?.kind, 'expired');

    const { pipeline, environment, ended } = await treeAndPanel();
    assert.match(itemText(pipeline.description), /^Approval expired/);
    assert.equal((pipeline.iconPath as vscode.ThemeIcon | undefined)?.id, 'circle-slash', 'an expiry has the neutral icon, not the failure one');
    assert.doesNotMatch(String(pipeline.contextValue), /\bcanRetry\b/, 'an expiry offers Retry');
    assert.match(itemText(environment.description), /Approval expired/);
    assert.doesNotMatch(itemText(environment.description), /fail|reject/i);
    assert.match(ended ?? '', /^Approval expired/, 'the panel does not say the approval expired');
    await service.restoreDesiredVersion(deployed);
  });

  it('an execution someone else stops while the user follows it: the notification names the stop and its reason; tree and panel say stopped', async () => {
    const { execution, deployed, service } = await deployToApproval();
    shown.length = 0;
    await service.stop(execution, 'Hotfix 4711 goes out first');
    const told = await waitFor(() => shown.find((m) => /stopped/.test(m.message)), { timeoutMs: 30_000, message: 'the stop notification' });
    assert.equal(told.severity, 'warning');
    assert.match(told.message, /was stopped( at \S+)?: Hotfix 4711 goes out first\./, 'the notification does not give the reason AWS has');
    assert.doesNotMatch(told.message, /fail|reject/i);
    assert.deepEqual(told.actions, [`Restore ${deployed.slice(0, 7)}`]);

    const { pipeline, ended } = await treeAndPanel();
    assert.match(itemText(pipeline.description), /^Stopped/);
    assert.doesNotMatch(String(pipeline.contextValue), /\bcanRetry\b/);
    assert.match(ended ?? '', /^Stopped/);
    await service.restoreDesiredVersion(deployed);
  });

  it('an execution superseded by someone else\'s newer one: the notification names the newer execution and who started it; the panel shows the newer approval', async () => {
    const { execution, version, deployed, service } = await deployToApproval();
    const other = await deployableVersion(sb!, deployed, version);
    shown.length = 0;
    const newer = await service.deploy(other, { supersede: true });
    const told = await waitFor(() => shown.find((m) => /superseded/.test(m.message)), { timeoutMs: 30_000, message: 'the supersession notification' });
    assert.equal(told.severity, 'info');
    assert.match(told.message, new RegExp(`^${ENV}: deployment of .*was superseded by execution ${newer.executionId} \\(started by [^)]+\\)\\.$`), told.message);
    assert.ok(told.message.includes(execution) || told.message.includes(version.slice(0, 7)), 'the notification does not say which deployment');
    await api.store.refresh(ENV);
    await api.panels.open(ENV);
    const panel = api.panels.inspect(ENV)!;
    const waitingNewer = await waitFor(() => panel.state()?.approval?.executionId === newer.executionId && panel.state(), { timeoutMs: 20_000, message: 'the panel on the newer approval' });
    assert.equal(waitingNewer.approval?.executionId, newer.executionId);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await service.stop(newer.executionId, 'test cleanup');
    await service.restoreDesiredVersion(deployed);
  });

  it('Restore puts desired_version back to the deployed version only, after confirming what it writes; another version is refused, nothing written', async () => {
    const service = sandboxService(sb!, { name: ENV, production: false });
    const before = await service.status();
    const deployed = before.lastDeployedVersion;
    assert.ok(deployed, 'the environment has no deployed version');
    const other = await deployableVersion(sb!, deployed, before.desiredVersion);
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

  it('a failed ECS rollout: the notification and a "Runs now" row say what runs, how the parameters disagree and what to do (not drift); the rolled-back service lists its stopped tasks and ECS events; Show Log has them too; Roll Back deploys the old version', async () => {
    const env = api.store.environment(ENV)!;
    const service = sandboxService(sb!, { name: ENV, production: false });
    const before = await service.status();
    const deployed = before.lastDeployedVersion;
    assert.ok(deployed, 'the environment has no deployed version');
    const crashing = before.services[0]?.name;
    assert.ok(crashing, 'the environment has no ECS service');
    const version = await deployableVersion(sb!, deployed, before.desiredVersion);
    await sandboxJson(sb!.endpoint, '/scenarios', { method: 'PUT', body: JSON.stringify({ scenarios: [`rollout-fails:${crashing}:${ENV}`] }) });
    answer = (m) => (m.severity === 'error' && m.actions.includes('Show Log') ? 'Show Log' : undefined);

    const toApproval = await api.deploys.deploy(env, version, 'deploy');
    assert.equal(toApproval?.status, 'AwaitingApproval');
    await api.deploys.approve({ environment: ENV, approval: toApproval.approval! });

    const failure = await waitFor(() => shown.find((m) => m.severity === 'error'), { timeoutMs: 60_000, message: 'the failure notification' });
    assert.match(failure.message, /Deploy_Spryker_services/, 'the notification names the failed stage');
    assert.match(failure.message, /circuit breaker/, "the notification carries ECS's reason");
    assert.doesNotMatch(failure.message, /\.\./, 'a doubled full stop');
    const others = before.services.length - 1;
    const [oldShort, newShort, crashingShort] = [deployed.slice(0, 7), version.slice(0, 7), crashing.slice(ENV.length + 1)];
    // What runs now, plainly: the failed version on the others, the old one on the rolled-back service.
    assert.match(failure.message, new RegExp(`Runs now: ${newShort} \\(the version of the failed deploy\\) on ${others} services: .*; ${oldShort} \\(the last good version\\) on 1 service: ${crashingShort} \\(ECS rolled it back\\)\\.`), failure.message);
    assert.match(failure.message, new RegExp(`desired_version holds ${newShort} \\(the failed deploy wrote it\\), which runs on ${others} services only; \\S*last_?deployed_?version holds ${oldShort}, which runs on 1 service only`), failure.message);
    assert.match(failure.message, new RegExp(`Roll Back to ${oldShort} \\(the last good version\\) to run it everywhere, or Retry Deploy_Spryker_services to finish ${newShort}`), failure.message);
    assert.deepEqual(failure.actions, ['Show Log', 'Retry', 'Roll Back']);

    // The tree: the service reads rolled back, its tooltip has the rollout's reason and ECS's own story of it.
    // A poll sends one ListTasks with its DescribeServices; reading a service's stopped tasks one ListTasks alone.
    const stoppedReads = async (since: number) => {
      const ops = (await sandboxJson<{ requests: { operation: string }[] }>(sb!.endpoint, `/requests?since=${since}`)).requests.map((r) => r.operation);
      return ops.filter((o) => o === 'ListTasks').length - ops.filter((o) => o === 'DescribeServices').length;
    };
    const firstLook = (await sandboxJson<{ total: number }>(sb!.endpoint, '/requests')).total;
    const items = await treeItems(api);
    const listTasksByTree = await stoppedReads(firstLook);
    const serviceItem = items.find((i) => i.node.kind === 'service' && i.node.service.name === crashing)?.item;
    assert.ok(serviceItem, `no tree item for ${crashing}`);
    assert.match(itemText(serviceItem.description), new RegExp(`^${deployed.slice(0, 7)} .*rollout failed, rolled back`), 'the service item says it runs the old version and was rolled back');
    const tip = itemText(serviceItem.tooltip);
    assert.match(tip, /circuit breaker/);
    assert.match(tip, /deployment failed: tasks failed to start/);
    assert.match(tip, /rolling back to deployment/);
    const environment = items.find((i) => i.node.kind === 'environment')?.item;
    assert.match(itemText(environment?.description), new RegExp(`Failed at Deploy_Spryker_services · services: ${others} on ${newShort}, 1 rolled back to ${oldShort}$`));
    // Not drift: the failed deploy explains the services on its version.
    for (const { node, item } of items) assert.doesNotMatch(`${itemText(item.description)} ${itemText(item.tooltip)}`, /drifted|another version than the deployed one/, `${node.kind} calls it drift`);
    const runsNow = items.find((i) => i.node.kind === 'runs-now');
    assert.ok(runsNow, 'no "Runs now" row after the rollback');
    assert.equal(itemText(runsNow.item.label), 'Runs now');
    assert.equal(itemText(runsNow.item.description), `${others} on ${newShort}, 1 rolled back to ${oldShort}`);
    assert.match(itemText(runsNow.item.tooltip).replace(/\\(.)/g, '$1'), new RegExp(`What to do:\\*\\* Roll Back to ${oldShort}`));
    assert.match(String(runsNow.item.contextValue), /\bcanRollback\b.*\bcanRetry\b/);

    // The rolled-back service's stopped tasks, why and with which exit code, and its ECS events, as rows under it.
    const stoppedRows = items.filter((i) => i.node.kind === 'stopped-task' && i.node.serviceName === crashing);
    assert.ok(stoppedRows.length > 0, `no stopped task rows under ${crashing}`);
    assert.match(itemText(stoppedRows[0].item.label), /Essential container in task exited/);
    assert.match(itemText(stoppedRows[0].item.description), /exit 1\b/);
    const eventRows = items.filter((i) => i.node.kind === 'service-event' && i.node.serviceName === crashing).map((i) => itemText(i.item.label));
    assert.ok(eventRows.some((e) => /rolling back to deployment/.test(e)), eventRows.join('\n'));
    // Only the failing service's stopped tasks are read (one ListTasks), and a second look after a poll reads none.
    assert.ok(!items.some((i) => i.node.kind === 'stopped-tasks' && i.node.serviceName !== crashing), 'a healthy service has a stopped-tasks row');
    assert.equal(listTasksByTree, 1, 'the tree read stopped tasks of other services too');
    await api.store.refresh(ENV);
    const since = (await sandboxJson<{ total: number }>(sb!.endpoint, '/requests')).total;
    await treeItems(api);
    assert.equal(await stoppedReads(since), 0, 'the second look read stopped tasks again');

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
