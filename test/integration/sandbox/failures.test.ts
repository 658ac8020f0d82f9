// The failure scenarios over HTTP with the real SDK v3: what a failed stage, a rolled-back service, a retry and
// the control API look like on the wire; every raw response is checked against botocore's shapes after its test.
import * as assert from 'node:assert/strict';
import { GetLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { BatchGetBuildsCommand } from '@aws-sdk/client-codebuild';
import {
  GetPipelineExecutionCommand,
  GetPipelineStateCommand,
  ListActionExecutionsCommand,
  ListPipelineExecutionsCommand,
  NotLatestPipelineExecutionException,
  PutApprovalResultCommand,
  RetryStageExecutionCommand,
  StageNotRetryableException,
  StartPipelineExecutionCommand,
  StopPipelineExecutionCommand,
} from '@aws-sdk/client-codepipeline';
import { DescribeServicesCommand, DescribeTasksCommand, ListTasksCommand } from '@aws-sdk/client-ecs';
import { PutParameterCommand } from '@aws-sdk/client-ssm';
import { CONTROL_HEADERS, sdkSandboxSuite, waitFor } from './helpers';

const PROD = 'NORMAL_Deploy_Spryker_spryker-prod';

describe('sandbox failure scenarios over HTTP with the AWS SDK v3', function () {
  this.timeout(60_000);
  const suite = sdkSandboxSuite(0.05);
  // Every test starts from a fresh world (no scenario, no execution, the real time) whatever ran before it.
  beforeEach(async () => {
    assert.equal((await control('POST', '/reset', {})).status, 200);
  });

  async function control(method: string, path: string, body?: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
    const res = await fetch(`${suite.sandbox.endpoint}/_sandbox${path}`, { method, headers: CONTROL_HEADERS, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
    return { status: res.status, json: (await res.json()) as Record<string, unknown> };
  }

  async function deployApproved(): Promise<string> {
    const version = suite.sandbox.inspect.commits()[4].sha;
    await suite.aws.ssm.send(new PutParameterCommand({ Name: '/spryker-prod/desired_version', Value: version, Type: 'String', Overwrite: true }));
    const { pipelineExecutionId } = await suite.aws.codepipeline.send(new StartPipelineExecutionCommand({ name: PROD }));
    const approval = await waitFor('the approval', () => {
      const a = suite.sandbox.inspect.pendingApproval(PROD);
      return a?.executionId === pipelineExecutionId ? a : undefined;
    });
    await suite.aws.codepipeline.send(
      new PutApprovalResultCommand({ pipelineName: PROD, stageName: approval.stageName, actionName: approval.actionName, token: approval.token, result: { status: 'Approved', summary: 'ok' } }),
    );
    return pipelineExecutionId!;
  }

  async function finished(executionId: string): Promise<string> {
    return waitFor('the end of the execution', async () => {
      const e = await suite.aws.codepipeline.send(new GetPipelineExecutionCommand({ pipelineName: PROD, pipelineExecutionId: executionId }));
      const s = e.pipelineExecution?.status;
      return s && s !== 'InProgress' && s !== 'Stopping' ? s : undefined;
    });
  }

  it('control API: refuses a bad scenario with 400 and changes nothing, lists the good ones', async () => {
    const bad = await control('PUT', '/scenarios', { scenarios: ['stage-fails:Run_install:spryker-prod', 'stage-fails:Nope:spryker-prod'] });
    assert.equal(bad.status, 400);
    assert.match(String(bad.json.error), /not a CodeBuild stage/);
    assert.deepEqual((await control('GET', '/scenarios')).json.scenarios, []);
    const good = await control('POST', '/scenarios', { scenario: 'stage-fails:Run_install:spryker-prod' });
    assert.equal(good.status, 200);
    assert.deepEqual((await control('GET', '/scenarios')).json.scenarios, [{ kind: 'stage-fails', environment: 'spryker-prod', stage: 'Run_install', mode: 'next', spec: 'stage-fails:Run_install:spryker-prod:next' }]);
  });

  it('a failed stage shows errorDetails in GetPipelineState and ListActionExecutions, its build FAILED with the error in its log; a retry succeeds', async () => {
    await control('PUT', '/scenarios', { scenarios: ['stage-fails:Run_install:spryker-prod'] });
    const id = await deployApproved();
    assert.equal(await finished(id), 'Failed');
    const state = await suite.aws.codepipeline.send(new GetPipelineStateCommand({ name: PROD }));
    const stage = state.stageStates!.find((s) => s.stageName === 'Run_install')!;
    assert.equal(stage.latestExecution?.status, 'Failed');
    const latest = stage.actionStates![0].latestExecution!;
    assert.equal(latest.status, 'Failed');
    assert.equal(latest.errorDetails?.code, 'JobFailed');
    assert.match(latest.errorDetails?.message ?? '', /COMMAND_EXECUTION_ERROR/);
    const actions = await suite.aws.codepipeline.send(new ListActionExecutionsCommand({ pipelineName: PROD, filter: { pipelineExecutionId: id } }));
    const failed = actions.actionExecutionDetails!.find((a) => a.status === 'Failed')!;
    assert.equal(failed.stageName, 'Run_install');
    assert.equal(failed.output?.executionResult?.errorDetails?.code, 'JobFailed');
    const builds = await suite.aws.codebuild.send(new BatchGetBuildsCommand({ ids: [failed.output!.executionResult!.externalExecutionId!] }));
    const build = builds.builds![0];
    assert.equal(build.buildStatus, 'FAILED');
    assert.equal(build.phases!.find((p) => p.phaseType === 'BUILD')?.contexts?.[0]?.statusCode, 'COMMAND_EXECUTION_ERROR');
    const log = await suite.aws.logs.send(new GetLogEventsCommand({ logGroupName: build.logs!.groupName!, logStreamName: build.logs!.streamName!, startFromHead: true }));
    assert.ok(log.events!.some((e) => e.message!.includes('SQLSTATE[42S01]')));

    await assert.rejects(suite.aws.codepipeline.send(new RetryStageExecutionCommand({ pipelineName: PROD, stageName: 'Deploy_Scheduler', pipelineExecutionId: id, retryMode: 'FAILED_ACTIONS' })), StageNotRetryableException);
    const retried = await suite.aws.codepipeline.send(new RetryStageExecutionCommand({ pipelineName: PROD, stageName: 'Run_install', pipelineExecutionId: id, retryMode: 'FAILED_ACTIONS' }));
    assert.equal(retried.pipelineExecutionId, id);
    assert.equal(await finished(id), 'Succeeded');
    await assert.rejects(suite.aws.codepipeline.send(new RetryStageExecutionCommand({ pipelineName: PROD, stageName: 'Run_install', pipelineExecutionId: id, retryMode: 'FAILED_ACTIONS' })), StageNotRetryableException);
  });

  it('a newer execution makes the failed one not the latest: NotLatestPipelineExecutionException', async () => {
    await control('PUT', '/scenarios', { scenarios: ['stage-fails:Run_install:spryker-prod'] });
    const failed = await deployApproved();
    assert.equal(await finished(failed), 'Failed');
    const newer = await deployApproved();
    assert.equal(await finished(newer), 'Succeeded');
    await assert.rejects(
      suite.aws.codepipeline.send(new RetryStageExecutionCommand({ pipelineName: PROD, stageName: 'Run_install', pipelineExecutionId: failed, retryMode: 'FAILED_ACTIONS' })),
      NotLatestPipelineExecutionException,
    );
  });

  it('a failed rollout: FAILED deployment, the previous one PRIMARY again, ECS events, stopped tasks with exit codes', async () => {
    await control('PUT', '/scenarios', { scenarios: ['rollout-fails:spryker-prod-yves:spryker-prod'] });
    const id = await deployApproved();
    assert.equal(await finished(id), 'Failed');
    const described = await suite.aws.ecs.send(new DescribeServicesCommand({ cluster: 'spryker-prod', services: ['spryker-prod-yves'] }));
    const service = described.services![0];
    assert.deepEqual(
      service.deployments!.map((d) => [d.status, d.rolloutState]),
      [
        ['INACTIVE', 'FAILED'],
        ['PRIMARY', 'COMPLETED'],
      ],
    );
    assert.ok(service.events!.some((e) => /deployment failed: tasks failed to start/.test(e.message!)));
    const stoppedArns = await suite.aws.ecs.send(new ListTasksCommand({ cluster: 'spryker-prod', serviceName: 'spryker-prod-yves', desiredStatus: 'STOPPED' }));
    const stopped = await suite.aws.ecs.send(new DescribeTasksCommand({ cluster: 'spryker-prod', tasks: stoppedArns.taskArns! }));
    const crashed = stopped.tasks!.filter((t) => t.stopCode === 'EssentialContainerExited');
    assert.equal(crashed.length, 2);
    assert.ok(crashed.every((t) => t.stoppedReason === 'Essential container in task exited' && t.containers![0].exitCode === 1));
  });

  it('an approval nobody decides expires after seven days; a stopped and a superseded execution say why (its responses checked against the models)', async () => {
    const version = suite.sandbox.inspect.commits()[4].sha;
    await suite.aws.ssm.send(new PutParameterCommand({ Name: '/spryker-prod/desired_version', Value: version, Type: 'String', Overwrite: true }));
    const waiting = async () => {
      const { pipelineExecutionId } = await suite.aws.codepipeline.send(new StartPipelineExecutionCommand({ name: PROD }));
      await waitFor('the approval', () => (suite.sandbox.inspect.pendingApproval(PROD)?.executionId === pipelineExecutionId ? true : undefined));
      return pipelineExecutionId!;
    };
    const expiring = await waiting();
    await control('POST', '/advance', { seconds: 7 * 24 * 3600 + 60 });
    assert.equal(await finished(expiring), 'Failed');
    const actions = await suite.aws.codepipeline.send(new ListActionExecutionsCommand({ pipelineName: PROD, filter: { pipelineExecutionId: expiring } }));
    const approval = actions.actionExecutionDetails!.find((a) => a.status === 'Failed');
    assert.match(approval?.output?.executionResult?.errorDetails?.message ?? '', /expired/i, 'the expired approval does not say so');
    assert.equal(approval?.updatedBy, undefined, 'an expiry is nobody\'s decision');
    await suite.aws.codepipeline.send(new GetPipelineStateCommand({ name: PROD }));

    const stopped = await waiting();
    await suite.aws.codepipeline.send(new StopPipelineExecutionCommand({ pipelineName: PROD, pipelineExecutionId: stopped, abandon: true, reason: 'Hotfix first' }));
    assert.equal(await finished(stopped), 'Stopped');
    const stoppedExecution = await suite.aws.codepipeline.send(new GetPipelineExecutionCommand({ pipelineName: PROD, pipelineExecutionId: stopped }));
    assert.equal(stoppedExecution.pipelineExecution?.statusSummary, 'Stopped: Hotfix first');

    const older = await waiting();
    const { pipelineExecutionId: newer } = await suite.aws.codepipeline.send(new StartPipelineExecutionCommand({ name: PROD }));
    assert.equal(await finished(older), 'Superseded');
    const superseded = await suite.aws.codepipeline.send(new GetPipelineExecutionCommand({ pipelineName: PROD, pipelineExecutionId: older }));
    assert.equal(superseded.pipelineExecution?.statusSummary, `Superseded by execution ${newer}`);
    const list = await suite.aws.codepipeline.send(new ListPipelineExecutionsCommand({ pipelineName: PROD, maxResults: 5 }));
    assert.equal(list.pipelineExecutionSummaries?.find((e) => e.pipelineExecutionId === stopped)?.stopTrigger?.reason, 'Hotfix first');
    await suite.aws.codepipeline.send(new StopPipelineExecutionCommand({ pipelineName: PROD, pipelineExecutionId: newer, abandon: true, reason: 'cleanup' }));
  });

  it('a reset puts the clock back at the real time: an advance does not outlive it', async () => {
    const before = Date.now();
    await control('POST', '/advance', { seconds: 7 * 24 * 3600 });
    const advanced = Number((await control('GET', '/health')).json.now);
    assert.ok(advanced >= before + 7 * 24 * 3600_000, `the clock did not move forward: ${new Date(advanced).toISOString()}`);
    assert.equal((await control('POST', '/reset', {})).status, 200);
    const after = Number((await control('GET', '/health')).json.now);
    assert.ok(after >= before && after <= Date.now(), `after a reset the clock reads ${new Date(after).toISOString()}, not the real time`);
  });

});
