// The approval panel in the real extension host, against the local AWS sandbox: a deploy waits at the
// approval, the panel opens through the extension's command, its view model shows the waiting approval and the
// pipeline's comparison, and an approve sent through the panel host (exactly as the webview sends it) lets the
// pipeline run on to Succeeded. Needs `npm run test:vscode` (it starts the sandbox and code-server).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { EnvironmentService } from '../../src/core/api';
import type { Confirmer } from '../../src/vscode/contracts';
import type { TestApi } from '../../src/vscode/testApi';
import { activateExtension, approvalTabs, deployableVersion, environmentSettings, sandbox, sandboxJson, sandboxService, setSandboxStageSeconds, waitFor, withSettings } from './helpers';

const ENV = 'spryker-staging';

describe('approval panel (extension host + sandbox)', function () {
  this.timeout(90_000);
  const sb = sandbox();
  let service: EnvironmentService;
  let api: TestApi;

  before(async function () {
    assert.ok(sb, 'the sandbox is not running: start these tests with `npm run test:vscode`');
    await sandboxJson(sb.endpoint, '/reset', { method: 'POST' });
    await setSandboxStageSeconds(sb, 0.5);
    service = sandboxService(sb, { name: ENV, production: false });
    const exports = await activateExtension<TestApi | undefined>();
    assert.ok(exports?.panels, 'activate() returned no test API with the approval panels (is the extension host in test mode?)');
    api = exports;
  });

  afterEach(async () => {
    api?.setConfirmer(undefined);
    for (const tab of approvalTabs()) await vscode.window.tabGroups.close(tab);
  });

  /** Deploys a version that has images and is not deployed yet, and waits until the approval waits. */
  async function deployToApproval(target: EnvironmentService): Promise<{ version: string; executionId: string }> {
    const version = await deployableVersion(sb!, (await target.status()).lastDeployedVersion);
    const started = await target.deploy(version, { supersede: true });
    const waiting = await target.follow(started.executionId, { stopAtApproval: true, pollMs: 200 });
    assert.equal(waiting.status, 'AwaitingApproval');
    return { version, executionId: started.executionId };
  }

  it('opens for a waiting approval, shows it, and approving lets the pipeline succeed', async () => {
    await withSettings(
      {
        'sprykerDeploy.environments': environmentSettings(sb!, [{ name: ENV, production: false }]),
        'sprykerDeploy.confirm.nonProduction': false,
        'sprykerDeploy.notifications.approval': false,
      },
      async () => {
        const started = await deployToApproval(service);
        const version = started.version;

        await vscode.commands.executeCommand('sprykerDeploy.approval.openPanel', ENV);
        await waitFor(() => approvalTabs().length === 1, { message: 'the approval panel tab' });
        // Opening again reveals the same panel instead of a second one.
        await vscode.commands.executeCommand('sprykerDeploy.approval.openPanel', { environment: ENV });
        assert.equal(approvalTabs().length, 1);

        const handle = api.panels.inspect(ENV);
        assert.ok(handle, 'no panel registered for the environment');
        const state = await waitFor(() => {
          const s = handle.state();
          return s?.approval?.executionId === started.executionId ? s : undefined;
        }, { timeoutMs: 20_000, message: 'the view model of the waiting approval' });
        assert.equal(state.env, ENV);
        assert.equal(state.production, false);
        assert.equal(state.target.version, version);
        assert.equal(state.comparison.deploymentVersion, version);
        assert.equal(state.comparison.disagrees, false);
        const status = await waitFor(() => api.store.status(ENV), { message: 'the store to poll the environment' });
        assert.ok(state.services && state.services.length > 0, `no service whose image changes; status errors: ${JSON.stringify(status.errors)}, services: ${status.services.length}, target ${state.target.version}`);
        assert.ok(state.pipeline.stages.some((s) => s.isApproval && s.status === 'Waiting'), 'the approval stage is not shown as waiting');
        // The workspace repository does not hold the sandbox's commits: the panel must say so, not list nothing.
        assert.equal(state.commits.kind, 'missing');

        // Invalid messages change nothing.
        await handle.send({ type: 'approve', comment: 'x'.repeat(513), token: state.approval!.token, action: 'Approval' });
        await handle.send({ type: 'approve', comment: 'ok', token: 'not a token', action: 'Approval' });
        assert.equal((await service.approvalDetails())?.approval.token, state.approval!.token);

        // A stale token is refused with a message, and nothing is decided.
        await handle.send({ type: 'approve', comment: 'ok', token: '00000000-0000-4000-8000-000000000000', action: 'Approval' });
        assert.equal(handle.state()?.error?.kind, 'stale');
        assert.ok(await service.approvalDetails(), 'a stale approve decided something');

        // Two approves in a row (a double click): one decision.
        const first = handle.send({ type: 'approve', comment: 'Approved from the extension-host test', token: state.approval!.token, action: 'Approval' });
        const second = handle.send({ type: 'approve', comment: 'again', token: state.approval!.token, action: 'Approval' });
        await Promise.all([first, second]);
        const after = handle.state();
        assert.equal(after?.outcome?.decision, 'Approved');
        assert.equal(after?.outcome?.comment, 'Approved from the extension-host test');
        assert.equal(after?.error, undefined);

        const finished = await service.follow(started.executionId, { pollMs: 200 });
        assert.equal(finished.status, 'Succeeded');
        assert.equal((await service.status()).lastDeployedVersion, version);
      },
    );
  });
  it('two approval actions waiting in one stage: shows each, decides the one chosen, and refuses a stale choice with a clear error', async function () {
    this.timeout(120_000);
    await sandboxJson(sb!.endpoint, '/reset', { method: 'POST', body: JSON.stringify({ shapes: ['two-approvers'] }) });
    try {
      await withSettings(
        {
          'sprykerDeploy.environments': [{ name: ENV, endpoint: sb!.endpoint, region: sb!.region, production: false }],
          'sprykerDeploy.confirm.nonProduction': false,
          'sprykerDeploy.notifications.approval': false,
        },
        async () => {
          const started = await deployToApproval(service);
          await vscode.commands.executeCommand('sprykerDeploy.approval.openPanel', ENV);
          const handle = api.panels.inspect(ENV);
          assert.ok(handle, 'no panel registered for the environment');
          const state = await waitFor(() => (handle.state()?.approvals?.length === 2 ? handle.state() : undefined), {
            timeoutMs: 20_000,
            message: 'the view model with both waiting approvals',
          });
          assert.deepEqual(state.approvals!.map((a) => a.actionName), ['QA_Approval', 'ProductOwner_Approval']);
          assert.ok(state.approvals!.every((a) => a.executionId === started.executionId && a.waitingSince), 'each approval names its execution and since when it waits');
          const [qa, owner] = state.approvals!;
          const asked: { title: string; detail?: string }[] = [];
          api.setConfirmer({ confirm: async (input) => (asked.push({ title: input.title, detail: input.detail }), true) });

          // The product owner decides first: only that action is approved, QA still waits.
          await handle.send({ type: 'approve', comment: 'PO: fine', token: owner.token, action: owner.actionName });
          assert.equal(handle.state()?.error, undefined, `the decision failed: ${handle.state()?.error?.message}`);
          // Its confirmation names the action and the approver still to come.
          assert.match(asked[0]?.title ?? '', / to spryker-staging as ProductOwner_Approval\?$/);
          assert.match(asked[0]?.detail ?? '', / will be deployed to spryker-staging once QA_Approval is approved too\.$/);
          const left = await service.approvalDetails();
          assert.deepEqual(left?.waiting?.map((a) => a.actionName), ['QA_Approval'], 'the product owner\'s approval still waits, or QA\'s was decided');

          // A stale choice (the product owner's again, as a second window would send it): a clear error, nothing sent.
          await handle.send({ type: 'reject', comment: 'late', token: owner.token, action: owner.actionName });
          const stale = handle.state()?.error;
          assert.equal(stale?.kind, 'stale');
          assert.match(stale?.message ?? '', /ProductOwner_Approval does not wait for a decision in spryker-staging.*Waiting now: QA_Approval/);
          // An action that never waited, and a token that is not the chosen action's: refused the same way.
          await handle.send({ type: 'approve', comment: '', token: qa.token, action: 'Security_Approval' });
          assert.match(handle.state()?.error?.message ?? '', /Security_Approval does not wait/);
          assert.deepEqual((await service.approvalDetails())?.waiting?.map((a) => a.actionName), ['QA_Approval'], 'a refused choice decided something');

          // The panel shows the one left, and approving it lets the pipeline run on.
          const one = await waitFor(() => (handle.state()?.approvals?.length === 1 ? handle.state() : undefined), { timeoutMs: 20_000, message: 'the panel to show only QA_Approval' });
          assert.equal(one.approval?.actionName, 'QA_Approval');
          await handle.send({ type: 'approve', comment: 'QA: tested', token: qa.token, action: qa.actionName });
          assert.equal(handle.state()?.outcome?.decision, 'Approved');
          // The last one waiting: no other approver to wait for.
          assert.match(asked.at(-1)?.detail ?? '', /will be deployed to spryker-staging\.$/);
          const finished = await service.follow(started.executionId, { pollMs: 200 });
          assert.equal(finished.status, 'Succeeded');
        },
      );
    } finally {
      api.setConfirmer(undefined);
      await sandboxJson(sb!.endpoint, '/reset', { method: 'POST' });
    }
  });

  it('keeps its timeline live while the views are hidden and the window unfocused (the panel watches the environment)', async () => {
    await withSettings(
      {
        'sprykerDeploy.environments': environmentSettings(sb!, [{ name: ENV, production: false }]),
        'sprykerDeploy.notifications.approval': false,
        'sprykerDeploy.polling.activeSeconds': 1,
      },
      async () => {
        const started = await deployToApproval(service);
        await vscode.commands.executeCommand('sprykerDeploy.approval.openPanel', ENV);
        const handle = api.panels.inspect(ENV);
        assert.ok(handle, 'no panel registered for the environment');
        const waiting = await waitFor(() => (handle.state()?.approval?.executionId === started.executionId ? handle.state() : undefined), {
          timeoutMs: 20_000,
          message: 'the view model of the waiting approval',
        });
        // Nobody looks at the tree: only the panel's watch may keep the data coming.
        api.store.setViewVisible('Environments', false);
        api.store.setViewVisible('Commits', false);
        api.store.setWindowFocused(false);
        try {
          // Decided outside the extension (as a colleague in the AWS console would): only polling can tell the panel.
          await service.decide((await service.approvalDetails())!.approval, 'Approved', 'Approved outside VS Code');
          const finished = await waitFor(
            () => {
              const p = handle.state()?.pipeline;
              return p?.executionId === started.executionId && p.status === 'Succeeded' ? p : undefined;
            },
            { timeoutMs: 30_000, message: 'the panel timeline to reach Succeeded without the views' },
          );
          assert.ok(finished.stages.length > 0 && finished.stages.every((s) => s.status === 'Succeeded'), JSON.stringify(finished.stages.map((s) => [s.name, s.status])));
          assert.ok(waiting.pipeline.stages.some((s) => s.status === 'Waiting'), 'the panel first showed the approval waiting');
        } finally {
          api.store.setViewVisible('Environments', true);
          api.store.setWindowFocused(true);
        }
      },
    );
  });
});

describe('approval panel confirmations outside production (extension host + sandbox)', function () {
  this.timeout(90_000);
  const sb = sandbox();

  it('asks before approving a non-production deploy when confirm.nonProduction is on, and sends nothing when declined', async () => {
    assert.ok(sb, 'the sandbox is not running: start these tests with `npm run test:vscode`');
    const api = await activateExtension<TestApi | undefined>();
    assert.ok(api?.panels);
    const service = sandboxService(sb, { name: ENV });
    await withSettings(
      { 'sprykerDeploy.environments': environmentSettings(sb, [{ name: ENV, production: false }]), 'sprykerDeploy.confirm.nonProduction': true, 'sprykerDeploy.notifications.approval': false },
      async () => {
        const version = await deployableVersion(sb, (await service.status()).lastDeployedVersion);
        const started = await service.deploy(version, { supersede: true });
        await service.follow(started.executionId, { stopAtApproval: true, pollMs: 200 });
        const asked: { action: string; production: boolean }[] = [];
        api.setConfirmer({ confirm: async (input) => (asked.push({ action: input.action, production: input.env.production }), false) });
        try {
          await vscode.commands.executeCommand('sprykerDeploy.approval.openPanel', ENV);
          const handle = api.panels.inspect(ENV)!;
          const state = await waitFor(() => (handle.state()?.approval?.executionId === started.executionId ? handle.state() : undefined), { timeoutMs: 20_000, message: 'the waiting approval' });
          await handle.send({ type: 'approve', comment: 'declined', token: state.approval!.token, action: 'Approval' });
          assert.deepEqual(asked, [{ action: 'Approve', production: false }]);
          assert.equal(handle.state()?.outcome, undefined);
          assert.equal((await service.approvalDetails())?.approval.token, state.approval!.token, 'a declined confirmation sent a decision');
          await service.decide(state.approval!, 'Rejected', 'cleanup');
        } finally {
          api.setConfirmer(undefined);
          for (const tab of approvalTabs()) await vscode.window.tabGroups.close(tab);
        }
      },
    );
  });
});

describe('approval panel on production (extension host + sandbox)', function () {
  this.timeout(90_000);
  const sb = sandbox();
  const PROD = 'spryker-prod';

  it('asks for a deliberate confirmation and sends nothing when it is declined', async () => {
    assert.ok(sb, 'the sandbox is not running: start these tests with `npm run test:vscode`');
    const api = await activateExtension<TestApi | undefined>();
    assert.ok(api?.panels);
    const service = sandboxService(sb, { name: PROD });
    assert.equal(service.config.production, true);
    await withSettings({ 'sprykerDeploy.environments': environmentSettings(sb, [{ name: PROD }]), 'sprykerDeploy.notifications.approval': false }, async () => {
      const deployed = (await service.status()).lastDeployedVersion;
      const version = await deployableVersion(sb, deployed);
      const started = await service.deploy(version, { supersede: true });
      await service.follow(started.executionId, { stopAtApproval: true, pollMs: 200 });

      const asked: { title: string; detail?: string; action: string; production: boolean; oneStep?: boolean }[] = [];
      let answer = false;
      const confirmer: Confirmer = {
        confirm: async (input) => (
          asked.push({ title: input.title, detail: input.detail, action: input.action, production: input.env.production, ...(input.oneStep ? { oneStep: true } : {}) }), answer
        ),
      };
      api.setConfirmer(confirmer);
      try {
        await vscode.commands.executeCommand('sprykerDeploy.approval.openPanel', PROD);
        const handle = api.panels.inspect(PROD)!;
        const state = await waitFor(() => (handle.state()?.approval?.executionId === started.executionId ? handle.state() : undefined), { timeoutMs: 20_000, message: 'the waiting approval' });
        assert.equal(state.production, true);

        await handle.send({ type: 'approve', comment: 'declined', token: state.approval!.token, action: 'Approval' });
        assert.equal(asked.length, 1);
        assert.ok(asked[0].production && asked[0].action === 'Approve' && /production/.test(asked[0].title));
        // One approval action waits: the confirmation names no action and waits for no other approver.
        assert.doesNotMatch(asked[0].title, / as /);
        assert.match(asked[0].detail ?? '', /^[0-9a-f]{7} → [0-9a-f]{7} will be deployed to production\.$/);
        assert.equal(handle.state()?.outcome, undefined);
        assert.equal(handle.state()?.busy, undefined, 'the buttons stay disabled after a declined confirmation');
        assert.equal((await service.approvalDetails())?.approval.token, state.approval!.token, 'a declined confirmation sent a decision');

        answer = true;
        await handle.send({ type: 'reject', comment: 'Rejected from the extension-host test', token: state.approval!.token, action: 'Approval' });
        assert.equal(handle.state()?.outcome?.decision, 'Rejected');
        // Rejecting is the safe action: one modal, not the typed production name as well.
        assert.equal(asked.length, 2);
        assert.deepEqual({ action: asked[1].action, oneStep: asked[1].oneStep }, { action: 'Reject', oneStep: true });
        const finished = await service.follow(started.executionId, { pollMs: 200 });
        assert.notEqual(finished.status, 'Succeeded');
        assert.equal((await service.status()).lastDeployedVersion, deployed);

        // The panel stays open while a new execution starts: it must show the new approval with its controls,
        // not the previous decision.
        const next = await service.deploy(version, { supersede: true });
        await service.follow(next.executionId, { stopAtApproval: true, pollMs: 200 });
        const fresh = await waitFor(() => (handle.state()?.approval?.executionId === next.executionId ? handle.state() : undefined), {
          timeoutMs: 20_000,
          message: 'the open panel to show the new approval',
        });
        assert.equal(fresh.outcome, undefined, 'the previous execution\'s decision is still shown');
        assert.equal(fresh.error, undefined);
        // The decision controls are there (the webview shows them for an approval without an outcome, not busy, with
        // canModify) and they are the waiting approval's: its token decides it.
        assert.equal(fresh.busy, undefined, 'the decision controls are disabled');
        assert.equal(fresh.canModify, true);
        const waitingNow = (await service.approvalDetails())!.approval;
        assert.equal(fresh.approval!.token, waitingNow.token, "the panel's decision is for another approval than the one waiting now");
        await handle.send({ type: 'reject', comment: 'Rejected from the panel left open', token: fresh.approval!.token, action: fresh.approval!.actionName });
        assert.equal(handle.state()?.outcome?.decision, 'Rejected', `the panel's own controls did not decide it: ${JSON.stringify(handle.state()?.error)}`);
        const decided = await service.follow(next.executionId, { pollMs: 200 });
        assert.notEqual(decided.status, 'Succeeded', 'the new execution was rejected from the panel left open');
      } finally {
        api.setConfirmer(undefined);
        for (const tab of approvalTabs()) await vscode.window.tabGroups.close(tab);
      }
    });
  });
});
