import * as assert from 'node:assert/strict';
import { APPROVAL_ACTION, UNBUILT_COMMITS } from '../../../src/sandbox/defaultWorld';
import { hasImage } from '../../../src/sandbox/ecr';
import { PipelineEngine } from '../../../src/sandbox/pipelineEngine';
import { createCodePipelineService } from '../../../src/sandbox/codepipeline';
import { AwsError, type JsonObject } from '../../../src/sandbox/protocol';
import { parameterValue, writeParameter } from '../../../src/sandbox/ssm';
import type { RealWorldShape } from '../../../src/sandbox/shapes';
import { Ids, type ExecutionRecord } from '../../../src/sandbox/world';
import { engineAt, NOW, PIPELINE, runUntil, STAGE, type EngineFixture } from './engineFixtures';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

const setup = (shapes: readonly RealWorldShape[] = []): EngineFixture => engineAt(7, undefined, shapes);


const token = (e: ExecutionRecord): string => {
  const run = e.actions.find((a) => a.token && a.status === 'InProgress');
  assert.ok(run?.token, 'no approval waits');
  return run.token;
};

function approve(engine: PipelineEngine, e: ExecutionRecord, status: 'Approved' | 'Rejected' = 'Approved'): void {
  engine.decideApproval({ pipelineName: PIPELINE, stageName: 'Please_approve', actionName: APPROVAL_ACTION, token: token(e), status, summary: 'test', caller: 'arn:aws:iam::000000000000:user/test' });
}

describe('sandbox pipeline engine', () => {
  it('builds a default world with a consistent history', () => {
    const { world } = setup();
    const prodDeployed = parameterValue(world, '/spryker-prod/last_deployed_version');
    const stagingDeployed = parameterValue(world, '/spryker-staging/lastdeployedversion');
    assert.ok(prodDeployed && stagingDeployed && prodDeployed !== stagingDeployed);
    assert.equal(world.parameters['/spryker-prod/desired_version'].history.length >= 3, true);
    assert.match(world.parameters['/spryker-prod/desired_version'].history[1].lastModifiedUser, /assumed-role\/SprykerDeploy\/(jane\.doe|john\.smith)$/);
    const executions = world.executions[PIPELINE];
    assert.ok(executions.length >= 2 && executions.every((e) => e.status === 'Succeeded' && UUID.test(e.id)));
    // the newest commits have no images yet
    assert.equal(hasImage(world, 'spryker-prod-b2c-yves', world.commits[0].sha), false);
    assert.equal(hasImage(world, 'spryker-prod-b2c-yves', world.commits[UNBUILT_COMMITS].sha), true);
    // the services run what was deployed last, nothing else
    const yves = world.clusters['spryker-prod'].services.find((s) => s.name === 'spryker-prod-yves')!;
    const td = world.taskDefinitions['spryker-prod-yves'].find((t) => t.arn === yves.taskDefinition)!;
    assert.equal(td.containers[0].image, `000000000000.dkr.ecr.eu-central-1.amazonaws.com/spryker-prod-b2c-yves:${prodDeployed}`);
    assert.equal(world.clusters['spryker-prod'].tasks.filter((t) => t.service === yves.name && t.lastStatus === 'RUNNING').length, 2);
  });

  it('runs a deployment: comparison log, approval, rollout side by side, last deployed version', () => {
    const { world, clock, engine } = setup();
    const version = world.commits[3].sha;
    const before = parameterValue(world, '/spryker-prod/last_deployed_version');
    writeParameter(world, '/spryker-prod/desired_version', version, 'me', NOW);
    const e = engine.start(PIPELINE, 'me');
    assert.match(e.id, UUID);
    runUntil(clock, engine, () => e.phase === 'approval');
    assert.match(token(e), UUID);
    const compare = e.actions.find((a) => a.stageName === 'Prepare_versions_information_for_Approval_stage')!;
    const build = world.builds[compare.externalExecutionId!];
    const lines = world.logGroups['/aws/codebuild/spryker-prod'].streams[build.logStream].events.map((x) => x.message);
    assert.ok(lines.includes(`Deploymnet version: ${version}`));
    assert.ok(lines.includes(`Latest deployed version: ${before}`));
    // waiting at the approval does not move on its own
    clock.advance(100 * STAGE);
    engine.sync();
    assert.equal(e.phase, 'approval');
    approve(engine, e);
    runUntil(clock, engine, () => e.stages.some((s) => s.name === 'Deploy_Spryker_services') && world.clusters['spryker-prod'].tasks.some((t) => t.service === 'spryker-prod-yves' && t.lastStatus === 'RUNNING' && t.taskDefinition.endsWith(`:${world.taskDefinitions['spryker-prod-yves'].length}`)));
    const yves = world.clusters['spryker-prod'].services.find((s) => s.name === 'spryker-prod-yves')!;
    assert.deepEqual(yves.deployments.map((d) => [d.status, d.rolloutState]), [['PRIMARY', 'IN_PROGRESS'], ['ACTIVE', 'COMPLETED']]);
    const running = world.clusters['spryker-prod'].tasks.filter((t) => t.service === yves.name && t.lastStatus === 'RUNNING');
    assert.equal(new Set(running.map((t) => t.taskDefinition)).size, 2, 'old and new tasks run side by side');
    runUntil(clock, engine, () => e.status !== 'InProgress');
    assert.equal(e.status, 'Succeeded');
    assert.equal(parameterValue(world, '/spryker-prod/last_deployed_version'), version);
    assert.deepEqual(yves.deployments.map((d) => [d.status, d.rolloutState]), [['PRIMARY', 'COMPLETED']]);
    const after = world.clusters['spryker-prod'].tasks.filter((t) => t.service === yves.name && t.lastStatus === 'RUNNING');
    assert.equal(after.length, 2);
    assert.ok(after.every((t) => t.taskDefinition === yves.taskDefinition));
  });

  it('fails on rejection and keeps the last deployed version', () => {
    const { world, clock, engine } = setup();
    const before = parameterValue(world, '/spryker-prod/last_deployed_version');
    writeParameter(world, '/spryker-prod/desired_version', world.commits[3].sha, 'me', NOW);
    const e = engine.start(PIPELINE, 'me');
    runUntil(clock, engine, () => e.phase === 'approval');
    const t = token(e);
    approve(engine, e, 'Rejected');
    assert.equal(e.status, 'Failed');
    assert.equal(e.stages.at(-1)!.status, 'Failed');
    assert.equal(parameterValue(world, '/spryker-prod/last_deployed_version'), before);
    assert.throws(
      () => engine.decideApproval({ pipelineName: PIPELINE, stageName: 'Please_approve', actionName: APPROVAL_ACTION, token: t, status: 'Approved', summary: '', caller: 'x' }),
      (err: AwsError) => err.code === 'ApprovalAlreadyCompletedException',
    );
  });

  it('fails the build stage on a version that is no commit, and builds missing images for a new one', () => {
    const { world, clock, engine } = setup();
    writeParameter(world, '/spryker-prod/desired_version', 'f'.repeat(40), 'me', NOW);
    const bad = engine.start(PIPELINE, 'me');
    runUntil(clock, engine, () => bad.phase === 'approval');
    approve(engine, bad);
    runUntil(clock, engine, () => bad.status !== 'InProgress');
    assert.equal(bad.status, 'Failed');
    assert.equal(bad.stages.at(-1)!.name, 'Build_and_Prepare');
    assert.match(bad.statusSummary ?? '', /not found/);

    const fresh = world.commits[0].sha;
    assert.equal(hasImage(world, 'spryker-prod-b2c-zed', fresh), false);
    writeParameter(world, '/spryker-prod/desired_version', fresh, 'me', clock.now());
    const good = engine.start(PIPELINE, 'me');
    runUntil(clock, engine, () => good.phase === 'approval');
    approve(engine, good);
    runUntil(clock, engine, () => good.status !== 'InProgress');
    assert.equal(good.status, 'Succeeded');
    assert.equal(hasImage(world, 'spryker-prod-b2c-zed', fresh), true);
  });

  it('supersedes an execution waiting for approval when a newer one reaches the stage', () => {
    const { clock, engine } = setup();
    const first = engine.start(PIPELINE, 'me');
    runUntil(clock, engine, () => first.phase === 'approval');
    const oldToken = token(first);
    const second = engine.start(PIPELINE, 'me');
    assert.equal(first.status, 'InProgress', 'still waiting while the newer one runs the earlier stages');
    runUntil(clock, engine, () => second.phase === 'approval');
    assert.equal(first.status, 'Superseded');
    assert.throws(
      () => engine.decideApproval({ pipelineName: PIPELINE, stageName: 'Please_approve', actionName: APPROVAL_ACTION, token: oldToken, status: 'Approved', summary: '', caller: 'x' }),
      (err: AwsError) => err.code === 'InvalidApprovalTokenException',
    );
    assert.notEqual(token(second), oldToken);
  });

  it('lets an execution past the approval run on while a newer one waits behind it', () => {
    const { clock, engine } = setup();
    const first = engine.start(PIPELINE, 'me');
    runUntil(clock, engine, () => first.phase === 'approval');
    approve(engine, first);
    const second = engine.start(PIPELINE, 'me');
    runUntil(clock, engine, () => second.phase === 'approval');
    assert.equal(first.status, 'InProgress');
    approve(engine, second);
    runUntil(clock, engine, () => first.status !== 'InProgress' && second.status !== 'InProgress');
    assert.equal(first.status, 'Succeeded');
    assert.equal(second.status, 'Succeeded');
  });

  it('QUEUED (V2): a newer execution waits behind one waiting for approval, never supersedes it, and runs after it', () => {
    const { clock, engine, world } = setup(['v2-queued']);
    assert.equal(world.pipelines[PIPELINE].executionMode, 'QUEUED');
    assert.equal(world.pipelines['Maintenance_Enable_spryker-prod'].executionMode, undefined, 'only the deploy pipelines are V2');
    const first = engine.start(PIPELINE, 'me');
    runUntil(clock, engine, () => first.phase === 'approval');
    const second = engine.start(PIPELINE, 'me');
    const third = engine.start(PIPELINE, 'me');
    // Long after the second could have reached the approval: it waits at that stage's transition, the third behind it.
    clock.advance(20 * STAGE);
    engine.sync();
    assert.deepEqual([first.status, first.phase], ['InProgress', 'approval']);
    assert.deepEqual([second.status, second.phase, second.stageIndex], ['InProgress', 'waiting', 2]);
    assert.deepEqual([third.status, third.phase, third.stageIndex], ['InProgress', 'waiting', 2]);
    approve(engine, first);
    // The oldest waiting one goes first; the other keeps waiting, superseded by nobody.
    assert.equal(second.phase, 'approval');
    assert.deepEqual([third.status, third.phase], ['InProgress', 'waiting']);
    approve(engine, second);
    runUntil(clock, engine, () => third.phase === 'approval');
    approve(engine, third);
    runUntil(clock, engine, () => [first, second, third].every((e) => e.status !== 'InProgress'));
    assert.deepEqual([first.status, second.status, third.status], ['Succeeded', 'Succeeded', 'Succeeded']);
  });

  it('PARALLEL (V2): a newer execution reaches the approval beside the waiting one; neither waits nor is superseded', () => {
    const { clock, engine } = setup(['v2-parallel:spryker-prod']);
    const first = engine.start(PIPELINE, 'me');
    runUntil(clock, engine, () => first.phase === 'approval');
    const second = engine.start(PIPELINE, 'me');
    runUntil(clock, engine, () => second.phase === 'approval');
    assert.deepEqual([first.status, first.phase], ['InProgress', 'approval']);
    approve(engine, second);
    approve(engine, first);
    runUntil(clock, engine, () => first.status !== 'InProgress' && second.status !== 'InProgress');
    assert.deepEqual([first.status, second.status], ['Succeeded', 'Succeeded']);
  });

  it('stops: Stopping until the running stage ends, then Stopped; refuses to stop twice', () => {
    const { clock, engine } = setup();
    const e = engine.start(PIPELINE, 'me');
    engine.stop(PIPELINE, e.id, false, 'not now');
    assert.equal(e.status, 'Stopping');
    assert.throws(() => engine.stop(PIPELINE, e.id, false, undefined), (err: AwsError) => err.code === 'DuplicatedStopRequestException');
    runUntil(clock, engine, () => e.status !== 'Stopping');
    assert.equal(e.status, 'Stopped');
    assert.throws(() => engine.stop(PIPELINE, e.id, true, undefined), (err: AwsError) => err.code === 'PipelineExecutionNotStoppableException');
  });

  it('replays a long clock jump with the right timestamps', () => {
    const { clock, engine } = setup();
    const e = engine.start(PIPELINE, 'me');
    clock.advance(STAGE * 100);
    engine.sync();
    assert.equal(e.phase, 'approval');
    const source = e.stages.find((s) => s.name === 'Source')!;
    const compare = e.stages.find((s) => s.name === 'Prepare_versions_information_for_Approval_stage')!;
    assert.equal(source.lastUpdateTime - source.enteredAt, STAGE);
    assert.equal(compare.enteredAt, NOW + STAGE);
  });
});

describe('sandbox pipeline engine at scale', () => {
  it('after 3,000 executions a refresh reads none of the ended ones: the cost per request stays constant', () => {
    const { world, clock, engine } = setup();
    const codepipeline = createCodePipelineService(engine);
    const call = (op: string, input: JsonObject): JsonObject =>
      codepipeline.operations[op](input, { world, now: clock.now(), ids: new Ids(1), callerArn: 'arn:aws:iam::000000000000:user/test', changed: () => undefined });
    // Each execution reaches the approval and the next one supersedes it, as deploys that nobody approved do.
    for (let i = 0; i < 3000; i++) {
      engine.start(PIPELINE, 'test');
      clock.advance(3 * STAGE);
      engine.sync();
    }
    const history = world.executions[PIPELINE];
    assert.equal(history.filter((e) => e.status === 'Superseded').length >= 2999, true);
    const newest = history[history.length - 1];
    // The indexes are built from the history once, on first use (a world loaded from --state has no index yet).
    const before = call('GetPipelineState', { name: PIPELINE });
    call('GetPipelineExecution', { pipelineName: PIPELINE, pipelineExecutionId: history[0].id });

    let reads = 0;
    world.executions[PIPELINE] = new Proxy(history, {
      get(target, key, receiver) {
        if (typeof key === 'string' && /^\d+$/.test(key)) reads++;
        return Reflect.get(target, key, receiver) as unknown;
      },
    });
    clock.advance(STAGE);
    engine.sync();
    engine.nextDue();
    assert.deepEqual(call('GetPipelineState', { name: PIPELINE }), before);
    const page = call('ListPipelineExecutions', { pipelineName: PIPELINE, maxResults: 5 });
    assert.deepEqual(
      (page.pipelineExecutionSummaries as { pipelineExecutionId: string }[]).map((s) => s.pipelineExecutionId),
      history.slice(-5).reverse().map((e) => e.id),
    );
    assert.equal((call('GetPipelineExecution', { pipelineName: PIPELINE, pipelineExecutionId: newest.id }).pipelineExecution as { status: string }).status, 'InProgress');
    assert.equal(reads, 5, 'only the page of history that was asked for is read');

    // The next page goes on from there, newest first.
    const next = call('ListPipelineExecutions', { pipelineName: PIPELINE, maxResults: 5, nextToken: page.nextToken });
    assert.deepEqual(
      (next.pipelineExecutionSummaries as { pipelineExecutionId: string }[]).map((s) => s.pipelineExecutionId),
      history.slice(-10, -5).reverse().map((e) => e.id),
    );
  });
});
