// The deploy flow through the real AWS SDK v3 clients against the sandbox over HTTP; every raw response is checked
// against botocore's official shapes after its test.
import * as assert from 'node:assert/strict';
import * as net from 'node:net';
import { GetLogEventsCommand, ResourceNotFoundException } from '@aws-sdk/client-cloudwatch-logs';
import { BatchGetBuildsCommand } from '@aws-sdk/client-codebuild';
import {
  ApprovalAlreadyCompletedException,
  GetPipelineCommand,
  GetPipelineExecutionCommand,
  GetPipelineStateCommand,
  InvalidApprovalTokenException,
  ListActionExecutionsCommand,
  ListPipelineExecutionsCommand,
  ListPipelinesCommand,
  PipelineExecutionNotStoppableException,
  PipelineNotFoundException,
  PutApprovalResultCommand,
  StartPipelineExecutionCommand,
  StopPipelineExecutionCommand,
} from '@aws-sdk/client-codepipeline';
import { DescribeImagesCommand, DescribeRepositoriesCommand, ImageNotFoundException, RepositoryNotFoundException } from '@aws-sdk/client-ecr';
import { ClusterNotFoundException, DescribeServicesCommand, DescribeTaskDefinitionCommand, DescribeTasksCommand, ListServicesCommand, ListTasksCommand } from '@aws-sdk/client-ecs';
import { GetParameterCommand, GetParameterHistoryCommand, GetParametersByPathCommand, GetParametersCommand, ParameterAlreadyExists, ParameterNotFound, PutParameterCommand } from '@aws-sdk/client-ssm';
import { startSandbox, type Sandbox } from '../../../src/sandbox/index';
import { clients, CONTROL_HEADERS, rawRequest, sdkSandboxSuite, waitFor } from './helpers';

const PROD = 'NORMAL_Deploy_Spryker_spryker-prod';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('sandbox over HTTP with the AWS SDK v3', function () {
  this.timeout(60_000);
  const suite = sdkSandboxSuite(0.1);

  async function token(pipeline = PROD): Promise<{ token: string; executionId: string }> {
    return waitFor('the approval', async () => {
      const state = await suite.aws.codepipeline.send(new GetPipelineStateCommand({ name: pipeline }));
      const stage = state.stageStates?.find((s) => s.stageName === 'Please_approve');
      const latest = stage?.actionStates?.[0].latestExecution;
      return latest?.status === 'InProgress' && latest.token && stage?.latestExecution?.pipelineExecutionId
        ? { token: latest.token, executionId: stage.latestExecution.pipelineExecutionId }
        : undefined;
    });
  }

  async function finished(executionId: string, pipeline = PROD): Promise<string> {
    return waitFor('the end of the execution', async () => {
      const e = await suite.aws.codepipeline.send(new GetPipelineExecutionCommand({ pipelineName: pipeline, pipelineExecutionId: executionId }));
      const s = e.pipelineExecution?.status;
      return s && s !== 'InProgress' && s !== 'Stopping' ? s : undefined;
    });
  }

  it('raises the modeled exception classes', async () => {
    await assert.rejects(suite.aws.ssm.send(new GetParameterCommand({ Name: '/spryker-prod/nope' })), ParameterNotFound);
    await assert.rejects(suite.aws.ssm.send(new PutParameterCommand({ Name: '/spryker-prod/desired_version', Value: 'x', Type: 'String' })), ParameterAlreadyExists);
    await assert.rejects(suite.aws.codepipeline.send(new GetPipelineStateCommand({ name: 'nope' })), PipelineNotFoundException);
    await assert.rejects(suite.aws.ecs.send(new DescribeServicesCommand({ cluster: 'nope', services: ['x'] })), ClusterNotFoundException);
    await assert.rejects(suite.aws.ecr.send(new DescribeImagesCommand({ repositoryName: 'nope' })), RepositoryNotFoundException);
    await assert.rejects(suite.aws.ecr.send(new DescribeImagesCommand({ repositoryName: 'spryker-prod-b2c-yves', imageIds: [{ imageTag: 'f'.repeat(40) }] })), ImageNotFoundException);
    await assert.rejects(suite.aws.logs.send(new GetLogEventsCommand({ logGroupName: '/aws/codebuild/nope', logStreamName: 'x' })), ResourceNotFoundException);
    await assert.rejects(suite.aws.ssm.send(new GetParametersCommand({ Names: Array.from({ length: 11 }, (_, i) => `/p${i}`) })), (e: Error) => e.name === 'ValidationException');
  });

  it('runs the whole deploy flow: version, start, comparison log, approval, rollout, result', async () => {
    const version = suite.sandbox.inspect.commits()[3].sha;
    const previous = (await suite.aws.ssm.send(new GetParameterCommand({ Name: '/spryker-prod/last_deployed_version' }))).Parameter?.Value;
    const both = await suite.aws.ssm.send(new GetParametersCommand({ Names: ['/spryker-staging/lastdeployedversion', '/spryker-staging/last_deployed_version'] }));
    assert.deepEqual(both.InvalidParameters, ['/spryker-staging/last_deployed_version']);
    const put = await suite.aws.ssm.send(new PutParameterCommand({ Name: '/spryker-prod/desired_version', Value: version, Overwrite: true }));
    assert.equal(put.Tier, 'Standard');
    assert.ok((put.Version ?? 0) > 1);
    const history = await suite.aws.ssm.send(new GetParameterHistoryCommand({ Name: '/spryker-prod/desired_version' }));
    assert.ok(history.Parameters!.at(-1)!.LastModifiedDate instanceof Date);
    assert.equal(history.Parameters!.at(-1)!.Value, version);
    const byPath = await suite.aws.ssm.send(new GetParametersByPathCommand({ Path: '/spryker-prod' }));
    assert.ok(byPath.Parameters!.some((p) => p.Name === '/spryker-prod/last_deployed_version'));

    const pipelines = await suite.aws.codepipeline.send(new ListPipelinesCommand({}));
    assert.ok(pipelines.pipelines!.some((p) => p.name === 'DESTRUCTIVE_Deploy_Spryker_spryker-prod'));
    const definition = await suite.aws.codepipeline.send(new GetPipelineCommand({ name: PROD }));
    const stageNames = definition.pipeline!.stages!.map((s) => s.name);
    assert.deepEqual(stageNames.slice(0, 4), ['Source', 'Prepare_versions_information_for_Approval_stage', 'Please_approve', 'Build_and_Prepare']);
    assert.equal(definition.pipeline!.stages![0].actions![0].name, 'Spryker_App_Src');

    const started = await suite.aws.codepipeline.send(new StartPipelineExecutionCommand({ name: PROD }));
    assert.match(started.pipelineExecutionId!, UUID);
    const approval = await token();
    assert.equal(approval.executionId, started.pipelineExecutionId);
    assert.match(approval.token, UUID);

    const actions = await suite.aws.codepipeline.send(new ListActionExecutionsCommand({ pipelineName: PROD, filter: { pipelineExecutionId: started.pipelineExecutionId } }));
    const compare = actions.actionExecutionDetails!.find((a) => a.stageName === 'Prepare_versions_information_for_Approval_stage')!;
    const buildId = compare.output!.executionResult!.externalExecutionId!;
    const builds = await suite.aws.codebuild.send(new BatchGetBuildsCommand({ ids: [buildId] }));
    const logs = builds.builds![0].logs!;
    assert.equal(logs.groupName, '/aws/codebuild/spryker-prod');
    const events = await suite.aws.logs.send(new GetLogEventsCommand({ logGroupName: logs.groupName, logStreamName: logs.streamName, startFromHead: true }));
    const lines = events.events!.map((e) => e.message);
    assert.ok(lines.includes(`Deploymnet version: ${version}`), lines.join('\n'));
    assert.ok(lines.includes(`Latest deployed version: ${previous}`));
    assert.ok(events.events![0].timestamp! > 1e12, 'log event timestamps are milliseconds');

    await suite.aws.codepipeline.send(
      new PutApprovalResultCommand({ pipelineName: PROD, stageName: 'Please_approve', actionName: 'Approval', token: approval.token, result: { status: 'Approved', summary: 'ok' } }),
    );
    await assert.rejects(
      suite.aws.codepipeline.send(new PutApprovalResultCommand({ pipelineName: PROD, stageName: 'Please_approve', actionName: 'Approval', token: approval.token, result: { status: 'Approved', summary: 'again' } })),
      ApprovalAlreadyCompletedException,
    );

    // During Deploy_Spryker_services the new deployment rolls with old and new tasks running side by side; slow the
    // clock down so that a poll sees that window.
    suite.sandbox.control.setStageSeconds(1.5);
    await waitFor('the rollout with old and new tasks running', async () => {
      const s = await suite.aws.ecs.send(new DescribeServicesCommand({ cluster: 'spryker-prod', services: ['spryker-prod-yves'] }));
      const d = s.services![0].deployments!;
      return d.length === 2 && d[0].status === 'PRIMARY' && d[0].rolloutState === 'IN_PROGRESS' && d[0].runningCount! > 0 && d[1].runningCount! > 0;
    });
    suite.sandbox.control.setStageSeconds(0.1);
    assert.equal(await finished(started.pipelineExecutionId!), 'Succeeded');
    const deployed = await suite.aws.ssm.send(new GetParameterCommand({ Name: '/spryker-prod/last_deployed_version' }));
    assert.equal(deployed.Parameter!.Value, version);

    const arns = await suite.aws.ecs.send(new ListServicesCommand({ cluster: 'spryker-prod', maxResults: 100 }));
    assert.equal(arns.serviceArns!.length, 7);
    const services = await suite.aws.ecs.send(new DescribeServicesCommand({ cluster: 'spryker-prod', services: arns.serviceArns }));
    for (const s of services.services!) {
      assert.equal(s.deployments!.length, 1);
      assert.equal(s.deployments![0].rolloutState, 'COMPLETED');
      const td = await suite.aws.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: s.taskDefinition }));
      assert.ok(td.taskDefinition!.containerDefinitions!.every((c) => c.image!.endsWith(`:${version}`)), s.serviceName);
    }
    const tasks = await suite.aws.ecs.send(new ListTasksCommand({ cluster: 'spryker-prod' }));
    const described = await suite.aws.ecs.send(new DescribeTasksCommand({ cluster: 'spryker-prod', tasks: tasks.taskArns }));
    assert.ok(described.tasks!.every((t) => t.lastStatus === 'RUNNING' && t.containers!.every((c) => c.image!.endsWith(`:${version}`))));
    assert.ok(described.tasks!.every((t) => t.group?.startsWith('service:spryker-prod-')));
    const repos = await suite.aws.ecr.send(new DescribeRepositoriesCommand({}));
    assert.ok(repos.repositories!.some((r) => r.repositoryName === 'spryker-prod-b2c-yves'));
    const images = await suite.aws.ecr.send(new DescribeImagesCommand({ repositoryName: 'spryker-prod-b2c-yves', imageIds: [{ imageTag: version }] }));
    assert.equal(images.imageDetails!.length, 1);

    const history2 = await suite.aws.codepipeline.send(new ListPipelineExecutionsCommand({ pipelineName: PROD, maxResults: 5 }));
    assert.equal(history2.pipelineExecutionSummaries![0].pipelineExecutionId, started.pipelineExecutionId);
    const detail = await suite.aws.codepipeline.send(new GetPipelineExecutionCommand({ pipelineName: PROD, pipelineExecutionId: started.pipelineExecutionId }));
    assert.equal(detail.pipelineExecution!.artifactRevisions![0].revisionId, suite.sandbox.inspect.commits()[0].sha);
  });

  it('rejects: the execution fails and the deployed version stays', async () => {
    const before = suite.sandbox.inspect.parameter('/spryker-prod/last_deployed_version');
    const started = await suite.aws.codepipeline.send(new StartPipelineExecutionCommand({ name: PROD }));
    const approval = await token();
    await suite.aws.codepipeline.send(new PutApprovalResultCommand({ pipelineName: PROD, stageName: 'Please_approve', actionName: 'Approval', token: approval.token, result: { status: 'Rejected', summary: 'no' } }));
    assert.equal(await finished(started.pipelineExecutionId!), 'Failed');
    assert.equal(suite.sandbox.inspect.parameter('/spryker-prod/last_deployed_version'), before);
  });

  it('supersedes a waiting execution; its token is refused', async () => {
    const first = await suite.aws.codepipeline.send(new StartPipelineExecutionCommand({ name: PROD }));
    const old = await token();
    assert.equal(old.executionId, first.pipelineExecutionId);
    const second = await suite.aws.codepipeline.send(new StartPipelineExecutionCommand({ name: PROD }));
    assert.equal(await finished(first.pipelineExecutionId!), 'Superseded');
    const fresh = await token();
    assert.equal(fresh.executionId, second.pipelineExecutionId);
    await assert.rejects(
      suite.aws.codepipeline.send(new PutApprovalResultCommand({ pipelineName: PROD, stageName: 'Please_approve', actionName: 'Approval', token: old.token, result: { status: 'Approved', summary: 'late' } })),
      InvalidApprovalTokenException,
    );
    await suite.aws.codepipeline.send(new StopPipelineExecutionCommand({ pipelineName: PROD, pipelineExecutionId: second.pipelineExecutionId, abandon: true, reason: 'test' }));
    assert.equal(await finished(second.pipelineExecutionId!), 'Stopped');
    await assert.rejects(suite.aws.codepipeline.send(new StopPipelineExecutionCommand({ pipelineName: PROD, pipelineExecutionId: second.pipelineExecutionId })), PipelineExecutionNotStoppableException);
  });

});

describe('sandbox faults and authentication with the AWS SDK v3', function () {
  this.timeout(60_000);
  let sandbox: Sandbox;

  before(async () => {
    sandbox = await startSandbox({ stageSeconds: 0.1, seed: 1 });
  });
  after(async () => {
    await sandbox?.stop();
  });
  afterEach(() => sandbox.control.clearFaults());

  it('throttling is retried by the SDK', async () => {
    sandbox.control.setFaults(['throttle:GetParameters']);
    const aws = clients(sandbox, { maxAttempts: 3 });
    sandbox.clearRequests();
    await assert.rejects(aws.ssm.send(new GetParametersCommand({ Names: ['/spryker-prod/desired_version'] })), (e: Error) => e.name === 'ThrottlingException');
    assert.equal(sandbox.requests().filter((r) => r.operation === 'GetParameters').length, 3);
    sandbox.control.setFaults(['throttle:0.5']);
    sandbox.clearRequests();
    for (let i = 0; i < 5; i++) await clients(sandbox, { maxAttempts: 10 }).ssm.send(new GetParametersCommand({ Names: ['/spryker-prod/desired_version'] }));
    const log = sandbox.requests();
    assert.ok(log.some((r) => r.errorCode === 'ThrottlingException'), 'some calls were throttled');
    assert.equal(log.filter((r) => r.status === 200).length, 5);
  });

  it('5xx faults are retried, dropped connections surface as network errors', async () => {
    sandbox.control.setFaults(['error503:GetPipelineState']);
    sandbox.clearRequests();
    await assert.rejects(clients(sandbox, { maxAttempts: 2 }).codepipeline.send(new GetPipelineStateCommand({ name: PROD })), (e: Error & { $metadata?: { httpStatusCode?: number } }) => e.$metadata?.httpStatusCode === 503);
    assert.equal(sandbox.requests().length, 2);
    sandbox.control.setFaults(['drop:ListServices']);
    await assert.rejects(clients(sandbox, { maxAttempts: 1 }).ecs.send(new ListServicesCommand({ cluster: 'spryker-prod' })), (e: Error) => /socket hang up|ECONNRESET/i.test(`${e.message} ${(e as NodeJS.ErrnoException).code}`));
  });

  it('latency delays the answer', async () => {
    sandbox.control.setFaults(['latency:300:GetParameter']);
    const t0 = Date.now();
    await clients(sandbox).ssm.send(new GetParameterCommand({ Name: '/spryker-prod/desired_version' }));
    assert.ok(Date.now() - t0 >= 290);
  });

  it('expired credentials raise ExpiredTokenException for every signed call', async () => {
    sandbox.control.setFaults(['expired-credentials']);
    await assert.rejects(clients(sandbox).ssm.send(new GetParameterCommand({ Name: '/spryker-prod/desired_version' })), (e: Error & { $metadata?: { httpStatusCode?: number } }) => e.name === 'ExpiredTokenException' && e.$metadata?.httpStatusCode === 400);
  });

  it('refuses a bad signature and an unknown key as AWS does', async () => {
    await assert.rejects(clients(sandbox, { credentials: { accessKeyId: 'test', secretAccessKey: 'wrong' } }).ssm.send(new GetParameterCommand({ Name: '/spryker-prod/desired_version' })), (e: Error) => e.name === 'InvalidSignatureException');
    await assert.rejects(clients(sandbox, { credentials: { accessKeyId: 'AKIAUNKNOWN', secretAccessKey: 'test' } }).ssm.send(new GetParameterCommand({ Name: '/spryker-prod/desired_version' })), (e: Error) => e.name === 'UnrecognizedClientException');
  });

  it('keeps the control API off the AWS routes', async () => {
    const health = (await (await fetch(`${sandbox.endpoint}/_sandbox/health`)).json()) as { ok: boolean; region: string };
    assert.deepEqual([health.ok, health.region], [true, 'eu-central-1']);
    // An awsJson request to a control path is not an AWS operation, and an unsigned POST / is refused.
    const unsigned = await fetch(`${sandbox.endpoint}/`, { method: 'POST', headers: { 'x-amz-target': 'AmazonSSM.GetParameter', 'content-type': 'application/x-amz-json-1.1' }, body: '{"Name":"/spryker-prod/desired_version"}' });
    assert.equal(unsigned.status, 400);
    assert.equal(unsigned.headers.get('x-amzn-errortype'), 'MissingAuthenticationTokenException');
    const put = await fetch(`${sandbox.endpoint}/_sandbox/faults`, { method: 'PUT', headers: CONTROL_HEADERS, body: JSON.stringify({ faults: ['throttle:0.2', { kind: 'latency', ms: 10 }] }) });
    assert.equal(put.status, 200);
    assert.deepEqual(sandbox.control.faults(), [{ kind: 'throttle', rate: 0.2 }, { kind: 'latency', ms: 10 }]);
    const bad = await fetch(`${sandbox.endpoint}/_sandbox/faults`, { method: 'PUT', headers: CONTROL_HEADERS, body: JSON.stringify({ faults: ['explode'] }) });
    assert.equal(bad.status, 400);
    assert.equal(sandbox.control.faults().length, 2, 'a bad request changes nothing');
  });

  it('refuses control API changes a web page could send: no control header, a text/plain body, a foreign Host', async () => {
    sandbox.control.clearFaults();
    const url = `${sandbox.endpoint}/_sandbox/faults`;
    const body = JSON.stringify({ fault: 'error500' });
    // What a form or a no-cors fetch from any page can send cross-site.
    const simple = await fetch(url, { method: 'POST', headers: { 'content-type': 'text/plain' }, body });
    assert.equal(simple.status, 403);
    assert.match(((await simple.json()) as { error: string }).error, /x-sandbox-control/);
    const textPlain = await fetch(url, { method: 'POST', headers: { 'x-sandbox-control': '1', 'content-type': 'text/plain' }, body });
    assert.equal(textPlain.status, 403);
    // A DNS-rebinding page is same-origin to its own name, so its requests carry that name as Host.
    const rebound = await rawRequest(sandbox.endpoint, { method: 'POST', path: '/_sandbox/faults', headers: { ...CONTROL_HEADERS, host: 'attacker.example' }, body });
    assert.equal(rebound.status, 403);
    const resetByPage = await fetch(`${sandbox.endpoint}/_sandbox/reset`, { method: 'POST' });
    assert.equal(resetByPage.status, 403);
    assert.deepEqual(sandbox.control.faults(), [], 'nothing was changed');
    const allowed = await fetch(url, { method: 'POST', headers: CONTROL_HEADERS, body });
    assert.equal(allowed.status, 200);
    assert.equal(sandbox.control.faults().length, 1);
    sandbox.control.clearFaults();
  });

  it('answers a body over 1 MB with HTTP 400 SerializationException instead of resetting the connection', async () => {
    const big = JSON.stringify({ Name: '/spryker-prod/desired_version', Value: 'x'.repeat(1_200_000), Overwrite: true });
    const response = await fetch(`${sandbox.endpoint}/`, { method: 'POST', headers: { 'x-amz-target': 'AmazonSSM.PutParameter', 'content-type': 'application/x-amz-json-1.1' }, body: big });
    assert.equal(response.status, 400);
    assert.equal(response.headers.get('x-amzn-errortype'), 'SerializationException');
    assert.match(((await response.json()) as { message: string }).message, /limit is 1048576/);
  });

  it('listens on loopback only', () => {
    assert.ok(net.isIP(new URL(sandbox.endpoint).hostname) && new URL(sandbox.endpoint).hostname === '127.0.0.1');
  });
});
