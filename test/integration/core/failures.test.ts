// The core's failure path over the real SDK v3 against the sandbox's failure scenarios: the outcome of each way a
// deploy ends, the failed stage's log, the retry, the rolled-back service, and rolling (not drifted) tasks.

import * as assert from 'node:assert/strict';
import { createAwsPortsFactory } from '../../../src/aws';
import { createCoreCaches } from '../../../src/core/caches';
import { resolveEnvironment } from '../../../src/core/environments';
import { createEnvironmentService } from '../../../src/core/environmentService';
import { isDeployError } from '../../../src/core/errors';
import type { EnvironmentService } from '../../../src/core/api';
import { describeOutcome } from '../../../src/core/outcome';
import { startSandbox, type Sandbox } from '../../../src/sandbox';

describe('core failure outcomes against the sandbox', function () {
  this.timeout(120_000);
  let sandbox: Sandbox;
  let prod: EnvironmentService;

  before(async () => {
    sandbox = await startSandbox({ stageSeconds: 0.1, seed: 3 });
    const factory = createAwsPortsFactory({ credentials: sandbox.credentials });
    const config = resolveEnvironment({ name: 'spryker-prod', endpoint: sandbox.endpoint, region: sandbox.region });
    prod = createEnvironmentService(config, factory(config), { caches: createCoreCaches(), pollMs: 50 });
  });
  after(() => sandbox.stop());
  afterEach(() => sandbox.control.setScenarios([]));

  /** Deploys an older built commit and approves it (or rejects it with a comment); returns the execution id. */
  async function deploy(decision: 'Approved' | 'Rejected' = 'Approved', comment = 'looks good'): Promise<{ executionId: string; version: string }> {
    const status = await prod.status();
    const version = sandbox.inspect.commits().find((c, i) => i >= 3 && c.sha !== status.lastDeployedVersion)!.sha;
    const started = await prod.deploy(version);
    const waiting = await prod.follow(started.executionId, { stopAtApproval: true, pollMs: 50 });
    assert.equal(waiting.status, 'AwaitingApproval');
    await prod.decide(waiting.approval!, decision, comment);
    return { executionId: started.executionId, version };
  }

  it('a failed Run_install: the outcome names the stage, the action and AWS reason; its log ends with the error', async () => {
    sandbox.control.setScenarios(['stage-fails:Run_install:spryker-prod']);
    const { executionId } = await deploy();
    const end = await prod.follow(executionId, { pollMs: 50 });
    assert.equal(end.status, 'Failed');
    const outcome = (await prod.status()).pipeline?.outcome;
    assert.equal(outcome?.kind, 'failed');
    assert.ok(outcome?.kind === 'failed');
    assert.equal(outcome.stage, 'Run_install');
    assert.equal(outcome.action, 'Run_install');
    assert.match(outcome.message ?? '', /COMMAND_EXECUTION_ERROR.*exit status 1/);
    assert.match(describeOutcome(outcome), /^Failed at Run_install: Build terminated with state: FAILED/);
    const log = await prod.stageLog();
    assert.equal(log.stage, 'Run_install');
    assert.equal(log.executionId, executionId);
    assert.ok(log.lines.some((l) => l.includes('SQLSTATE[42S01]')));
    assert.match(log.lines.at(-2) ?? '', /Phase complete: BUILD State: FAILED/);
  });

  it('retries the failed stage and the execution then succeeds; a second retry is refused as not retryable', async () => {
    sandbox.control.setScenarios(['stage-fails:Run_install:spryker-prod']);
    const { executionId, version } = await deploy();
    await prod.follow(executionId, { pollMs: 50 });
    assert.deepEqual(await prod.retry(), { executionId, stage: 'Run_install' });
    const end = await prod.follow(executionId, { pollMs: 50 });
    assert.equal(end.status, 'Succeeded');
    const status = await prod.status();
    assert.equal(status.lastDeployedVersion, version);
    assert.equal(status.pipeline?.outcome?.kind, 'deployed');
    await assert.rejects(prod.retry(), (e: unknown) => isDeployError(e, 'not-retryable') && /did not fail/.test(e.message));
  });

  it('a rejection is a decision: outcome rejected by the approver with the comment, not retryable', async () => {
    const { executionId } = await deploy('Rejected', 'not during the sale');
    await prod.follow(executionId, { pollMs: 50 });
    const outcome = (await prod.status()).pipeline?.outcome;
    assert.deepEqual(outcome && { kind: outcome.kind, by: 'by' in outcome ? outcome.by : undefined, comment: 'comment' in outcome ? outcome.comment : undefined }, {
      kind: 'rejected',
      by: 'test',
      comment: 'not during the sale',
    });
    assert.equal(describeOutcome(outcome!), 'Rejected by test: not during the sale');
    await assert.rejects(prod.retry(), (e: unknown) => isDeployError(e, 'not-retryable') && /rejected/.test(e.message));
  });

  it('a failed rollout: the service shows the failed deployment, its events and its stopped tasks; the old version runs', async () => {
    sandbox.control.setScenarios(['rollout-fails:spryker-prod-yves:spryker-prod']);
    const before = (await prod.status()).lastDeployedVersion;
    const { executionId } = await deploy();
    await prod.follow(executionId, { pollMs: 50 });
    const status = await prod.status();
    const outcome = status.pipeline?.outcome;
    assert.ok(outcome?.kind === 'failed');
    assert.equal(outcome.stage, 'Deploy_Spryker_services');
    assert.equal(outcome.buildId, undefined, 'an ECS action has no build log');
    assert.match(outcome.message ?? '', /circuit breaker/);
    const yves = status.services.find((s) => s.name === 'spryker-prod-yves')!;
    assert.equal(yves.failedDeployment?.rolloutState, 'FAILED');
    assert.match(yves.failedDeployment?.rolloutStateReason ?? '', /circuit breaker/);
    assert.ok(yves.events?.some((e) => /rolling back to deployment/.test(e.message)));
    assert.deepEqual(yves.runningVersions, [before], 'the old version runs');
    assert.equal(yves.drift, 'in-sync');
    const stopped = await prod.stoppedTasks('spryker-prod-yves');
    const crashed = stopped.filter((t) => t.stopCode === 'EssentialContainerExited');
    assert.equal(crashed.length, 2);
    assert.equal(crashed[0].containers[0].exitCode, 1);
    assert.equal(crashed[0].stoppedReason, 'Essential container in task exited');
    await assert.rejects(prod.stageLog(), (e: unknown) => isDeployError(e, 'not-found') && /no CodeBuild build/.test(e.message));
  });

  it('tasks that moved to the version being deployed are rolling, not drifted, until UpdateDeployedVersion', async () => {
    sandbox.control.setStageSeconds(1);
    try {
      const { executionId, version } = await deploy();
      let seen = false;
      for (let i = 0; i < 400 && !seen; i++) {
        const status = await prod.status();
        if (status.pipeline?.executionId !== executionId || status.pipeline.status !== 'InProgress') break;
        const moved = status.services.filter((s) => s.runningVersions.length === 1 && s.runningVersions[0] === version && status.lastDeployedVersion !== version);
        if (moved.length > 0 && status.services.every((s) => s.rolloutState !== 'IN_PROGRESS')) {
          assert.deepEqual([...new Set(moved.map((s) => s.drift))], ['rolling']);
          seen = true;
        }
        await new Promise((r) => setTimeout(r, 100));
      }
      assert.ok(seen, 'saw the services on the new version before UpdateDeployedVersion');
      await prod.follow(executionId, { pollMs: 50 });
      const after = await prod.status();
      assert.ok(after.services.every((s) => s.drift === 'in-sync'));
    } finally {
      sandbox.control.setStageSeconds(0.1);
    }
  });
});
