// A deploy inside maintenance mode from the extension (the confirmation's second button), what the user is told
// when it goes wrong (maintenance stays on, with Disable Maintenance; or switched back off when the deploy never
// started), a concurrent deploy in its own words, and the note after a lost approval reply. Real extension host
// against the runner's sandbox; the sandbox's executions of Maintenance_Enable_/_Disable_ are the proof.
// Needs `npm run test:vscode`.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { EnvironmentService } from '../../src/core/api';
import type { ConfirmInput } from '../../src/vscode/contracts';
import type { ShownMessage } from '../../src/vscode/messages';
import type { TestApi } from '../../src/vscode/testApi';
import { activateExtension, sandbox, sandboxJson, sandboxService, setSandboxStageSeconds, waitFor, withSettings } from './helpers';

const STAGING = 'spryker-staging';
const ENABLE = `Maintenance_Enable_${STAGING}`;
const DISABLE = `Maintenance_Disable_${STAGING}`;
const NORMAL = `NORMAL_Deploy_Spryker_${STAGING}`;

interface WorldEnvironment {
  name: string;
  maintenance: boolean;
  desiredVersion?: string;
  lastDeployedVersion?: string;
  pipelines: Record<string, { status?: string; executionId?: string }>;
}

describe('deploy in maintenance mode (extension host + sandbox)', function () {
  this.timeout(180_000);
  const sb = sandbox();
  let api: TestApi;
  let staging: EnvironmentService;
  let shown: ShownMessage[] = [];
  /** The button the "user" clicks on a message (by its text); undefined dismisses it. */
  let answer: (m: ShownMessage) => string | undefined = () => undefined;

  const settings = () => ({
    'sprykerDeploy.environments': [{ name: STAGING, endpoint: sb!.endpoint, region: sb!.region, production: false }],
    'sprykerDeploy.confirm.nonProduction': true,
    'sprykerDeploy.notifications.approval': false,
    'sprykerDeploy.polling.activeSeconds': 1,
  });
  const world = async (): Promise<WorldEnvironment> => (await sandboxJson<{ environments: WorldEnvironment[] }>(sb!.endpoint, '/state')).environments.find((e) => e.name === STAGING)!;
  /** Answers the confirmation with the second button ("… in Maintenance Mode"), keeping what was asked. */
  const chooseMaintenance = (asked: ConfirmInput[]) => api.setConfirmer({ confirm: async (input) => (asked.push(input), input.alternative ? 'alternative' : false) });
  const waitForApproval = () => waitFor(() => staging.approvalDetails(), { timeoutMs: 60_000, message: 'the deploy waits for approval' });
  const message = (pattern: RegExp, what: string) => waitFor(() => shown.find((m) => pattern.test(m.message)), { timeoutMs: 60_000, message: `${what}; shown: ${JSON.stringify(shown.map((m) => m.message))}` });
  /** The version staging runs: its images exist, so the deploy needs no build. */
  const running = async () => (await staging.status()).lastDeployedVersion!;

  before(async function () {
    assert.ok(sb, 'the sandbox is not running: start these tests with `npm run test:vscode`');
    await sandboxJson(sb.endpoint, '/reset', { method: 'POST', body: JSON.stringify({}) });
    await setSandboxStageSeconds(sb, 0.2);
    api = (await activateExtension<TestApi | undefined>())!;
    assert.ok(api?.deploys, 'activate() returned no test API');
    staging = sandboxService(sb, { name: STAGING, production: false });
  });
  beforeEach(() => {
    shown = [];
    answer = () => undefined;
    api.answerMessages(async (m) => (shown.push(m), answer(m)));
  });
  afterEach(async () => {
    api.setConfirmer(undefined);
    api.answerMessages(undefined);
    await sandboxJson(sb!.endpoint, '/faults', { method: 'DELETE' });
    await setSandboxStageSeconds(sb!, 0.2);
  });

  it('Deploy Commit offers "Deploy in Maintenance Mode" (a second button, never the default): maintenance on, deploy through approval, off after success', async () => {
    await withSettings(settings(), async () => {
      const version = await running();
      const before = await world();
      assert.equal(before.maintenance, false);
      const asked: ConfirmInput[] = [];
      chooseMaintenance(asked);
      const command = vscode.commands.executeCommand('sprykerDeploy.deploy.commit', { environment: STAGING, version });
      const waiting = await waitForApproval();
      assert.equal((await world()).maintenance, true, 'maintenance is on while the deploy waits for approval');
      assert.equal(asked.length, 1);
      assert.equal(asked[0].action, 'Deploy', 'the default button deploys without maintenance');
      assert.equal(asked[0].alternative, 'Deploy in Maintenance Mode');
      assert.match(asked[0].detail, /“Deploy in Maintenance Mode” switches maintenance mode on \(Maintenance_Enable_spryker-staging\) first and off \(Maintenance_Disable_spryker-staging\) once the deploy succeeded; if it fails or is rejected, maintenance mode stays on until you disable it\./);
      await staging.decide(waiting.approval, 'Approved', 'in maintenance');
      await command;
      const after = await world();
      assert.equal(after.maintenance, false, 'maintenance is off after the deploy succeeded');
      assert.notEqual(after.pipelines[ENABLE].executionId, before.pipelines[ENABLE]?.executionId, 'a Maintenance_Enable_ execution ran');
      assert.equal(after.pipelines[ENABLE].status, 'Succeeded');
      assert.notEqual(after.pipelines[DISABLE].executionId, before.pipelines[DISABLE]?.executionId, 'a Maintenance_Disable_ execution ran');
      assert.equal(after.pipelines[DISABLE].status, 'Succeeded');
      assert.equal(after.pipelines[NORMAL].status, 'Succeeded');
      await message(new RegExp(`^Maintenance mode of spryker-staging is off again: ${version.slice(0, 7)} is deployed\\.$`), 'the user is told maintenance is off again');
    });
  });

  it('a deploy in maintenance mode that is rejected: maintenance stays ON, the user is told why, and Disable Maintenance switches it off', async () => {
    await withSettings(settings(), async () => {
      const version = await running();
      chooseMaintenance([]);
      answer = (m) => (m.actions.includes('Disable Maintenance') ? 'Disable Maintenance' : undefined);
      const command = vscode.commands.executeCommand('sprykerDeploy.deploy.commit', { environment: STAGING, version });
      const waiting = await waitForApproval();
      await staging.decide(waiting.approval, 'Rejected', 'not today');
      await command;
      const told = await message(/^Maintenance mode of spryker-staging stays ON: /, 'the user is told maintenance stays on');
      assert.equal(told.severity, 'warning');
      assert.match(told.message, /^Maintenance mode of spryker-staging stays ON: the deploy ended Failed.*\.$/);
      assert.deepEqual(told.actions, ['Disable Maintenance']);
      // The click switched it off: a Maintenance_Disable_ execution, and the state reads off.
      await waitFor(async () => ((await world()).maintenance === false ? true : undefined), { timeoutMs: 30_000, message: 'Disable Maintenance switched it off' });
      assert.equal((await world()).pipelines[DISABLE].status, 'Succeeded');
    });
  });

  it('a deploy that meets a concurrent deploy while maintenance goes on never starts: maintenance is switched back off, and the error says so', async () => {
    await withSettings(settings(), async () => {
      const version = await running();
      const other = (await staging.rollbackCandidates()).candidates.find((c) => !c.current)!.version;
      const before = await world();
      chooseMaintenance([]);
      // Slow pipelines: the Maintenance_Enable_ execution runs long enough for a colleague's deploy to start meanwhile.
      await setSandboxStageSeconds(sb!, 1.5);
      const command = vscode.commands.executeCommand('sprykerDeploy.deploy.commit', { environment: STAGING, version });
      await waitFor(async () => {
        const p = (await world()).pipelines[ENABLE];
        return p.executionId !== before.pipelines[ENABLE]?.executionId && p.status === 'InProgress' ? true : undefined;
      }, { timeoutMs: 30_000, message: 'Maintenance_Enable_ runs' });
      const colleague = await staging.deploy(other, { supersede: true, allowMissingImages: true });
      try {
        await command;
        const error = await message(/The deploy never started/, 'the error is shown');
        assert.equal(error.severity, 'error');
        assert.match(error.message, new RegExp(`already has execution ${colleague.executionId} in progress.* The deploy never started, so maintenance mode of spryker-staging was switched back off \\(Maintenance_Disable_spryker-staging\\)\\.$`));
        const after = await world();
        assert.equal(after.maintenance, false, 'maintenance is off again');
        assert.notEqual(after.pipelines[DISABLE].executionId, before.pipelines[DISABLE]?.executionId);
        assert.equal(after.pipelines[DISABLE].status, 'Succeeded');
        assert.equal(after.desiredVersion, other, "the colleague's version is what desired_version holds");
      } finally {
        await staging.stop(colleague.executionId, 'test cleanup');
      }
    });
  });

  it('a concurrent deploy gets its own words: which version really goes out, and who wrote it', async () => {
    await withSettings(settings(), async () => {
      // This deploy goes back to an earlier version; a colleague puts the running one back meanwhile.
      const theirs = await running();
      const ours = (await staging.rollbackCandidates()).candidates.find((c) => !c.current)!.version;
      api.setConfirmer({ confirm: async () => true });
      // desired_version starts at the running version (an earlier test leaves another one there).
      await staging.restoreDesiredVersion(theirs);
      // The start answers late: the colleague writes desired_version in between.
      await sandboxJson(sb!.endpoint, '/faults', { method: 'POST', body: JSON.stringify({ fault: 'latency:4000:StartPipelineExecution' }) });
      const command = vscode.commands.executeCommand('sprykerDeploy.deploy.commit', { environment: STAGING, version: ours });
      await waitFor(async () => ((await world()).desiredVersion === ours ? true : undefined), { timeoutMs: 30_000, message: 'this deploy wrote desired_version' });
      await staging.restoreDesiredVersion(theirs);
      await command;
      const error = await message(/another deploy got in first/, 'the concurrent deploy is told');
      const started = (await world()).pipelines[NORMAL].executionId!;
      try {
        assert.equal(error.severity, 'error');
        assert.equal(
          error.message,
          `Deploy commit: another deploy got in first. spryker-staging will get ${theirs.slice(0, 7)}, not ${ours.slice(0, 7)}: test wrote /spryker-staging/desired_version after this deploy did, and execution ${started} deploys what it holds. Nothing was undone (that would undo theirs); deploy ${ours.slice(0, 7)} again once theirs is done.`,
        );
      } finally {
        await staging.stop(started, 'test cleanup');
      }
    });
  });

  it('Approve after a lost reply says AWS already had this decision, and by whom', async () => {
    await withSettings(settings(), async () => {
      const started = await staging.deploy(await running(), { supersede: true });
      await staging.follow(started.executionId, { stopAtApproval: true, pollMs: 100 });
      await api.store.refresh(STAGING);
      await sandboxJson(sb!.endpoint, '/faults', { method: 'POST', body: JSON.stringify({ fault: 'drop-reply:PutApprovalResult' }) });
      api.setConfirmer({ confirm: async () => true });
      await vscode.commands.executeCommand('sprykerDeploy.approval.approve', { environment: STAGING, comment: 'checked twice' });
      const note = await message(/AWS already had this decision/, 'the note after the lost reply is shown');
      assert.match(note.message, /^Approved the deployment of [0-9a-f]{7} to spryker-staging\. The first answer was lost and AWS already had this decision: Approved by arn:aws:iam::\d+:user\/test \("checked twice"\)\.$/);
    });
  });

  it('the approval panel shows the note after a lost reply too', async () => {
    await withSettings(settings(), async () => {
      const started = await staging.deploy(await running(), { supersede: true });
      await staging.follow(started.executionId, { stopAtApproval: true, pollMs: 100 });
      api.setConfirmer({ confirm: async () => true });
      await vscode.commands.executeCommand('sprykerDeploy.approval.openPanel', { environment: STAGING });
      const handle = await waitFor(() => api.panels.inspect(STAGING), { message: 'the approval panel' });
      const state = await waitFor(() => (handle.state()?.approval?.executionId === started.executionId ? handle.state() : undefined), { timeoutMs: 20_000, message: 'the panel shows the waiting approval' });
      await sandboxJson(sb!.endpoint, '/faults', { method: 'POST', body: JSON.stringify({ fault: 'drop-reply:PutApprovalResult' }) });
      await handle.send({ type: 'approve', comment: 'checked in the panel', token: state!.approval!.token, action: state!.approval!.actionName });
      const outcome = handle.state()?.outcome;
      assert.equal(outcome?.decision, 'Approved');
      assert.match(outcome?.note ?? '', /^The first answer was lost and AWS already had this decision: Approved by arn:aws:iam::\d+:user\/test \("checked in the panel"\)\.$/);
      assert.equal(handle.state()?.error, undefined);
      for (const tab of vscode.window.tabGroups.all.flatMap((g) => g.tabs)) await vscode.window.tabGroups.close(tab);
    });
  });
});
