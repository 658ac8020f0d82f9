// The sandbox's failure scenarios, on a manual clock: a failing CodeBuild stage, a rollout the circuit breaker
// rolls back, an approval that expires, and RetryStageExecution with the errors AWS gives.
import * as assert from 'node:assert/strict';
import { APPROVAL_ACTION } from '../../../src/sandbox/defaultWorld';
import { APPROVAL_TIMEOUT_MS, PipelineEngine } from '../../../src/sandbox/pipelineEngine';
import { AwsError } from '../../../src/sandbox/protocol';
import { checkScenario, ScenarioError } from '../../../src/sandbox/scenarios';
import { parameterValue, writeParameter } from '../../../src/sandbox/ssm';
import type { ExecutionRecord, ManualClock, World } from '../../../src/sandbox/world';
import { engineAt, NOW, PIPELINE, runUntil, type EngineFixture } from './engineFixtures';


function setup(scenarios: string[] = []): EngineFixture {
  const fixture = engineAt(11, (world) => {
    world.scenarios = scenarios.map((s) => checkScenario(world, s));
  });
  writeParameter(fixture.world, '/spryker-prod/desired_version', fixture.world.commits[3].sha, 'me', NOW);
  return fixture;
}

function startApproved(clock: ManualClock, engine: PipelineEngine): ExecutionRecord {
  const e = engine.start(PIPELINE, 'me');
  runUntil(clock, engine, () => e.phase === 'approval');
  const token = e.actions.find((a) => a.token && a.status === 'InProgress')!.token!;
  engine.decideApproval({ pipelineName: PIPELINE, stageName: 'Please_approve', actionName: APPROVAL_ACTION, token, status: 'Approved', summary: 'ok', caller: 'arn:aws:iam::000000000000:user/test' });
  return e;
}

const logOf = (world: World, buildId: string): string[] => {
  const build = world.builds[buildId];
  return world.logGroups[build.logGroup].streams[build.logStream].events.map((x) => x.message);
};

describe('sandbox failure scenarios', () => {
  it('a failing Run_install: action Failed with errorDetails, build FAILED, the PHP error at the end of its log', () => {
    const { world, clock, engine } = setup(['stage-fails:Run_install:spryker-prod']);
    const before = parameterValue(world, '/spryker-prod/last_deployed_version');
    const e = startApproved(clock, engine);
    runUntil(clock, engine, () => e.status !== 'InProgress');
    assert.equal(e.status, 'Failed');
    assert.equal(e.stages.at(-1)!.name, 'Run_install');
    const run = e.actions.filter((a) => a.stageName === 'Run_install').at(-1)!;
    assert.equal(run.status, 'Failed');
    assert.equal(run.errorDetails?.code, 'JobFailed');
    assert.match(run.errorDetails?.message ?? '', /^Build terminated with state: FAILED\. Phase: BUILD, Code: COMMAND_EXECUTION_ERROR, .*exit status 1$/);
    const build = world.builds[run.externalExecutionId!];
    assert.equal(build.status, 'FAILED');
    assert.equal(build.failure?.statusCode, 'COMMAND_EXECUTION_ERROR');
    const lines = logOf(world, build.id);
    assert.ok(lines.some((l) => l.includes('SQLSTATE[42S01]')), 'the migration error is in the log');
    assert.match(lines.at(-2)!, /Phase complete: BUILD State: FAILED/);
    assert.equal(parameterValue(world, '/spryker-prod/last_deployed_version'), before, 'a failed deploy writes no deployed version');
    assert.deepEqual(world.scenarios, [], 'a "next" scenario is used up');
  });

  it('a failing pre-deploy hook prints its non-zero exit', () => {
    const { world, clock, engine } = setup(['stage-fails:Run_pre-deploy_hook:spryker-prod']);
    const e = startApproved(clock, engine);
    runUntil(clock, engine, () => e.status !== 'InProgress');
    const run = e.actions.filter((a) => a.stageName === 'Run_pre-deploy_hook').at(-1)!;
    assert.match(run.errorDetails?.message ?? '', /exit status 2$/);
    assert.ok(logOf(world, run.externalExecutionId!).some((l) => /pre-deploy hook exited with code 2/.test(l)));
  });

  it('RetryStageExecution of the failed actions runs the stage again and the execution to success', () => {
    const { world, clock, engine } = setup(['stage-fails:Run_install:spryker-prod']);
    const e = startApproved(clock, engine);
    runUntil(clock, engine, () => e.status !== 'InProgress');
    engine.retry(PIPELINE, 'Run_install', e.id, 'FAILED_ACTIONS');
    assert.equal(e.status, 'InProgress');
    assert.equal(e.stages.find((s) => s.name === 'Run_install')!.status, 'InProgress');
    runUntil(clock, engine, () => e.status !== 'InProgress');
    assert.equal(e.status, 'Succeeded');
    assert.equal(parameterValue(world, '/spryker-prod/last_deployed_version'), world.commits[3].sha);
    assert.equal(e.actions.filter((a) => a.stageName === 'Run_install').length, 2, 'the retry is a new action execution');
  });

  it('an "always" scenario fails the retry again', () => {
    const { clock, engine } = setup(['stage-fails:Run_install:spryker-prod:always']);
    const e = startApproved(clock, engine);
    runUntil(clock, engine, () => e.status !== 'InProgress');
    engine.retry(PIPELINE, 'Run_install', e.id, 'FAILED_ACTIONS');
    runUntil(clock, engine, () => e.status !== 'InProgress');
    assert.equal(e.status, 'Failed');
  });

  it('refuses to retry what AWS refuses: a stage that did not fail, a stage a later execution ran, an unknown stage', () => {
    const { clock, engine } = setup(['stage-fails:Run_install:spryker-prod']);
    const e = startApproved(clock, engine);
    runUntil(clock, engine, () => e.status !== 'InProgress');
    const code = (f: () => void): string => {
      try {
        f();
      } catch (err) {
        return (err as AwsError).code;
      }
      return 'no error';
    };
    assert.equal(code(() => engine.retry(PIPELINE, 'Deploy_Scheduler', e.id, 'FAILED_ACTIONS')), 'StageNotRetryableException');
    assert.equal(code(() => engine.retry(PIPELINE, 'No_such_stage', e.id, 'FAILED_ACTIONS')), 'StageNotFoundException');
    const later = startApproved(clock, engine);
    runUntil(clock, engine, () => later.status !== 'InProgress');
    assert.equal(later.status, 'Succeeded');
    assert.equal(code(() => engine.retry(PIPELINE, 'Run_install', e.id, 'FAILED_ACTIONS')), 'NotLatestPipelineExecutionException');
  });

  it('a failing rollout: new tasks stop with exit code 1, the circuit breaker rolls back, the action fails', () => {
    const { world, clock, engine } = setup(['rollout-fails:spryker-prod-yves:spryker-prod']);
    const yves = world.clusters['spryker-prod'].services.find((s) => s.name === 'spryker-prod-yves')!;
    const oldTaskDefinition = yves.taskDefinition;
    const e = startApproved(clock, engine);
    runUntil(clock, engine, () => e.status !== 'InProgress');
    assert.equal(e.status, 'Failed');
    assert.equal(e.stages.at(-1)!.name, 'Deploy_Spryker_services');
    assert.equal(yves.taskDefinition, oldTaskDefinition, 'rolled back to the previous task definition');
    assert.deepEqual(
      yves.deployments.map((d) => [d.status, d.rolloutState]),
      [
        ['INACTIVE', 'FAILED'],
        ['PRIMARY', 'COMPLETED'],
      ],
    );
    assert.match(yves.deployments[0].rolloutStateReason, /circuit breaker/);
    const tasks = world.clusters['spryker-prod'].tasks.filter((t) => t.service === yves.name);
    const stopped = tasks.filter((t) => t.deploymentId === yves.deployments[0].id);
    assert.equal(stopped.length, 2);
    assert.ok(stopped.every((t) => t.lastStatus === 'STOPPED' && t.exitCode === 1 && t.stoppedReason === 'Essential container in task exited'));
    assert.equal(tasks.filter((t) => t.lastStatus === 'RUNNING' && t.taskDefinition === oldTaskDefinition).length, 2, 'the old tasks never stopped');
    const events = yves.events.map((x) => x.message);
    assert.ok(events.some((m) => /deployment failed: tasks failed to start/.test(m)));
    assert.ok(events.some((m) => /rolling back to deployment/.test(m)));
    const runs = e.actions.filter((a) => a.stageName === 'Deploy_Spryker_services');
    assert.deepEqual(runs.filter((r) => r.status === 'Failed').map((r) => r.actionName), ['Deploy_yves']);
    assert.match(runs.find((r) => r.status === 'Failed')!.errorDetails!.message, /circuit breaker/);
    // the other services rolled out
    const zed = world.clusters['spryker-prod'].services.find((s) => s.name === 'spryker-prod-zed')!;
    assert.deepEqual(zed.deployments.map((d) => d.rolloutState), ['COMPLETED']);
  });

  it('an approval nobody decides fails after seven days, not before', () => {
    const { clock, engine } = setup();
    const e = engine.start(PIPELINE, 'me');
    runUntil(clock, engine, () => e.phase === 'approval');
    clock.advance(APPROVAL_TIMEOUT_MS - 60_000);
    engine.sync();
    assert.equal(e.status, 'InProgress');
    clock.advance(120_000);
    engine.sync();
    assert.equal(e.status, 'Failed');
    const approval = e.actions.find((a) => a.stageName === 'Please_approve')!;
    assert.equal(approval.status, 'Failed');
    assert.match(approval.errorDetails?.message ?? '', /expired/);
    assert.throws(() => engine.retry(PIPELINE, 'Please_approve', e.id, 'FAILED_ACTIONS'), (err: AwsError) => err.code === 'StageNotRetryableException');
  });

  it('refuses a scenario that names no stage, service or environment of the world', () => {
    const { world } = setup();
    assert.throws(() => checkScenario(world, 'stage-fails:Please_approve:spryker-prod'), ScenarioError);
    assert.throws(() => checkScenario(world, 'rollout-fails:nope:spryker-prod'), ScenarioError);
    assert.throws(() => checkScenario(world, 'stage-fails:Run_install'), /name the environment/);
    assert.throws(() => checkScenario(world, 'explode:x:spryker-prod'), ScenarioError);
    assert.deepEqual(checkScenario(world, 'rollout-fails:*:spryker-prod:always'), { kind: 'rollout-fails', environment: 'spryker-prod', mode: 'always' });
  });
});
