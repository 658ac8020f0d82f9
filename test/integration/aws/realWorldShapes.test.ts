// The client (src/aws + src/core) against the answers real AWS setups give and the default sandbox world never
// did: each sandbox below produces one real-world shape (src/sandbox/shapes.ts), every raw answer of that shape
// is checked against botocore's models, and the client must read it right.
import * as assert from 'node:assert/strict';
import { CloudWatchLogsClient, GetLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { BatchGetBuildsCommand, CodeBuildClient } from '@aws-sdk/client-codebuild';
import { GetPipelineCommand, GetPipelineExecutionCommand, GetPipelineStateCommand, ListPipelineExecutionsCommand, StartPipelineExecutionCommand } from '@aws-sdk/client-codepipeline';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { DescribeServicesCommand, DescribeTaskDefinitionCommand } from '@aws-sdk/client-ecs';
import { GetParameterHistoryCommand, GetParametersCommand } from '@aws-sdk/client-ssm';
import { tmpdir } from 'node:os';
import { createAwsPortsFactory } from '../../../src/aws';
import { BuildLogClient } from '../../../src/aws/buildLogs';
import { createCaller } from '../../../src/aws/call';
import { createCredentialSource } from '../../../src/aws/credentials';
import type { EnvironmentService } from '../../../src/core/api';
import { createCoreCaches } from '../../../src/core/caches';
import { resolveEnvironment } from '../../../src/core/environments';
import { createEnvironmentService } from '../../../src/core/environmentService';
import { isDeployError } from '../../../src/core/errors';
import type { AwsPorts } from '../../../src/core/ports';
import { startSandbox, type RealWorldShape, type Sandbox } from '../../../src/sandbox';
import { clients, RecordingHandler, waitFor } from '../sandbox/helpers';
import { ShapeValidator } from '../sandbox/shapes';
import { run, type CliIo } from '../../../src/cli/main';

const PROD = 'NORMAL_Deploy_Spryker_spryker-prod';

interface Setup {
  sandbox: Sandbox;
  ports: AwsPorts;
  prod: EnvironmentService;
  recorder: RecordingHandler;
  aws: ReturnType<typeof clients>;
}

async function setUp(shapes: readonly RealWorldShape[], stageSeconds = 0.1): Promise<Setup> {
  const sandbox = await startSandbox({ stageSeconds, seed: 23, shapes });
  const config = resolveEnvironment({ name: 'spryker-prod', endpoint: sandbox.endpoint, region: sandbox.region });
  const ports = createAwsPortsFactory({ credentials: sandbox.credentials })(config);
  const prod = createEnvironmentService(config, ports, { caches: createCoreCaches(), pollMs: 50 });
  const recorder = new RecordingHandler();
  return { sandbox, ports, prod, recorder, aws: clients(sandbox, { requestHandler: recorder, maxAttempts: 1 }) };
}

let validator: ShapeValidator;
before(() => {
  validator = new ShapeValidator();
});

function assertModelled(recorder: RecordingHandler): void {
  assert.ok(recorder.responses.length > 0, 'some raw answers were recorded');
  assert.deepEqual(
    recorder.responses.flatMap((r) => validator.check(r.target, r.status, r.body)),
    [],
  );
}

/** The CLI in-process against a sandbox; `answer` is what a terminal user types when asked. */
function cliOn(sandbox: Sandbox, argv: string[], isTTY = false, answer = '') {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = {
    stdout: (t) => out.push(t),
    stderr: (t) => err.push(t),
    isTTY,
    ask: async () => answer,
    cwd: tmpdir(),
    portsFactory: createAwsPortsFactory({ credentials: sandbox.credentials, endpoint: sandbox.endpoint }),
  };
  return run([...argv, '--region', sandbox.region], io).then((code) => ({ code, out, err }));
}

/** A built commit that is neither deployed nor desired on production. */
async function deployable(s: Setup): Promise<string> {
  const status = await s.prod.status();
  for (const c of s.sandbox.inspect.commits()) {
    if (c.sha === status.lastDeployedVersion || c.sha === status.desiredVersion) continue;
    if ((await s.prod.preflight(c.sha)).missingImages.length === 0) return c.sha;
  }
  throw new Error('no deployable commit');
}

describe('real-world shape: a CodeBuild log with a quiet stretch (empty GetLogEvents pages mid-stream)', function () {
  this.timeout(60_000);
  let s: Setup;
  let version: string;
  before(async () => {
    // Long stages on a clock moved by hand: the comparison build pauses 30 s before it prints the versions.
    s = await setUp(['quiet-log'], 30);
    version = await deployable(s);
    await s.prod.deploy(version);
    s.sandbox.control.advance(31_000);
    s.sandbox.control.advance(31_000);
    await waitFor('the approval', () => s.sandbox.inspect.pendingApproval(PROD));
  });
  after(() => s.sandbox.stop());

  it('the sandbox answers an empty page with a new token before the end, in the models\' shape', async () => {
    const build = await s.aws.codebuild.send(new BatchGetBuildsCommand({ ids: [buildIdOf(s)] }));
    const { groupName, streamName } = build.builds![0].logs!;
    const pages: { events: number; token: string }[] = [];
    let token: string | undefined;
    for (let i = 0; i < 10; i++) {
      const out = await s.aws.logs.send(new GetLogEventsCommand({ logGroupName: groupName, logStreamName: streamName, startFromHead: true, ...(token ? { nextToken: token } : {}) }));
      pages.push({ events: out.events!.length, token: out.nextForwardToken! });
      if (out.nextForwardToken === token) break;
      token = out.nextForwardToken;
    }
    const firstEmpty = pages.findIndex((p) => p.events === 0);
    assert.ok(firstEmpty > 0 && firstEmpty < pages.length - 1, `an empty page before the end: ${JSON.stringify(pages)}`);
    assert.ok(pages.slice(firstEmpty + 1).some((p) => p.events > 0), 'events after the empty page');
    assert.notEqual(pages[firstEmpty].token, pages[firstEmpty - 1].token, 'the empty page carries a new token');
    assertModelled(s.recorder);
  });

  it('the approval screen still reads the version comparison printed after the quiet stretch', async () => {
    const details = await s.prod.approvalDetails();
    assert.equal(details?.comparisonError, undefined);
    assert.equal(details?.comparison?.deploymentVersion, version);
  });

  it('empty pages do not count toward the page limit', async () => {
    const logs = new CloudWatchLogsClient({ endpoint: s.sandbox.endpoint, region: s.sandbox.region, credentials: s.sandbox.credentials });
    const codebuild = new CodeBuildClient({ endpoint: s.sandbox.endpoint, region: s.sandbox.region, credentials: s.sandbox.credentials });
    const credentials = createCredentialSource({ credentials: s.sandbox.credentials });
    const call = createCaller('logs', credentials, undefined, {});
    // Two pages with events (before and after the pause) fit a limit of two; the empty one between is free.
    const log = await new BuildLogClient(codebuild, logs, call, call, 2).getBuildLog(buildIdOf(s));
    assert.ok(log.lines.includes(`Deploymnet version: ${version}`), log.lines.join('\n'));
  });
});

function buildIdOf(s: Setup): string {
  const e = s.sandbox.inspect.world().executions[PROD].at(-1)!;
  return e.actions.find((a) => a.stageName === 'Prepare_versions_information_for_Approval_stage')!.externalExecutionId!;
}

describe('real-world shape: a proxy answers an HTML error page instead of AWS', function () {
  this.timeout(60_000);
  let s: Setup;
  before(async () => {
    s = await setUp([]);
  });
  after(() => s.sandbox.stop());

  it('says which call failed, its HTTP status and that the answer was not from AWS, in one line', async () => {
    s.sandbox.control.setFaults(['html502:GetParameters']);
    const error = await s.ports.parameters.getParameters(['/spryker-prod/desired_version']).then(
      () => assert.fail('GetParameters succeeded through the failing proxy'),
      (e: unknown) => e,
    );
    assert.ok(isDeployError(error));
    assert.equal(error.details.operation, 'GetParameters');
    assert.match(error.message, /^ssm GetParameters failed: HTTP 502 with a text\/html body that did not come from AWS/);
    assert.doesNotMatch(error.message, /\n|Unexpected token|\$response/);
    assert.notEqual(error.details.awsCode, 'SyntaxError');
    s.sandbox.control.clearFaults();
  });

  it('a status read through it names the failing part instead of throwing', async () => {
    s.sandbox.control.setFaults(['html502:GetPipelineState']);
    const status = await s.prod.status();
    s.sandbox.control.clearFaults();
    const pipeline = status.errors.find((e) => e.part === 'pipeline');
    assert.match(pipeline?.message ?? '', /GetPipelineState failed: HTTP 502/);
    assert.deepEqual(status.errors.filter((e) => e.part !== 'pipeline'), []);
  });
});

describe('real-world shape: desired_version is a SecureString', function () {
  this.timeout(60_000);
  let s: Setup;
  before(async () => {
    s = await setUp(['secure-desired-version']);
  });
  after(() => s.sandbox.stop());

  it('the sandbox answers ciphertext without decryption and the value with it, in the models\' shape', async () => {
    const name = '/spryker-prod/desired_version';
    const plain = s.sandbox.inspect.parameter(name)!;
    const encrypted = await s.aws.ssm.send(new GetParametersCommand({ Names: [name] }));
    assert.equal(encrypted.Parameters![0].Type, 'SecureString');
    assert.notEqual(encrypted.Parameters![0].Value, plain);
    const decrypted = await s.aws.ssm.send(new GetParametersCommand({ Names: [name], WithDecryption: true }));
    assert.equal(decrypted.Parameters![0].Value, plain);
    const history = await s.aws.ssm.send(new GetParameterHistoryCommand({ Name: name }));
    assert.ok(history.Parameters!.every((p) => p.Type === 'SecureString' && p.KeyId === 'alias/aws/ssm' && !/^[0-9a-f]{40}$/.test(p.Value!)));
    assertModelled(s.recorder);
  });

  it('status shows the version, not the ciphertext', async () => {
    const status = await s.prod.status();
    assert.equal(status.desiredVersion, s.sandbox.inspect.parameter('/spryker-prod/desired_version'));
    assert.deepEqual(status.errors, []);
  });

  it('rollback candidates keep the versions of the encrypted history', async () => {
    const { candidates } = await s.prod.rollbackCandidates();
    const desiredHistory = s.sandbox.inspect.world().parameters['/spryker-prod/desired_version'].history.map((h) => h.value);
    assert.ok(candidates.length >= 2);
    assert.ok(candidates.every((c) => desiredHistory.includes(c.version) || c.source === 'parameter-history'));
  });

  it('a parameter that does not exist yet is created as a String (AWS wants a type only then)', async () => {
    const version = await s.ports.parameters.putParameter('/spryker-prod/new_version_parameter', 'c'.repeat(40));
    assert.equal(version, 1);
    const created = s.sandbox.inspect.world().parameters['/spryker-prod/new_version_parameter'].history[0];
    assert.deepEqual([created.type, created.value], ['String', 'c'.repeat(40)]);
    assert.ok(s.sandbox.requests().some((r) => r.operation === 'PutParameter' && r.errorCode === 'ValidationException'), 'AWS refused the untyped create first');
  });

  it('a deploy writes the version and leaves the parameter a SecureString', async () => {
    const version = await deployable(s);
    await s.prod.deploy(version);
    const record = s.sandbox.inspect.world().parameters['/spryker-prod/desired_version'];
    const latest = record.history.at(-1)!;
    assert.equal(latest.value, version);
    assert.equal(latest.type, 'SecureString');
  });
});

describe('real-world shape: images pinned by digest, version parameters written by hand', function () {
  this.timeout(60_000);
  let s: Setup;
  before(async () => {
    s = await setUp(['digest-pinned-images', 'untidy-version-parameter']);
  });
  after(() => s.sandbox.stop());

  it('the sandbox pins images as repo:<sha>@sha256:<digest> and keeps the untidy values, in the models\' shape', async () => {
    const td = await s.aws.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: 'spryker-prod-yves' }));
    assert.match(td.taskDefinition!.containerDefinitions![0].image!, /:[0-9a-f]{40}@sha256:[0-9a-f]{64}$/);
    const raw = await s.aws.ssm.send(new GetParametersCommand({ Names: ['/spryker-prod/desired_version'] }));
    assert.match(raw.Parameters![0].Value!, /^[0-9A-F]{40}\n$/);
    assertModelled(s.recorder);
  });

  it('status reads the tag of pinned images and compares normalised versions: in sync, not unknown', async () => {
    const status = await s.prod.status();
    assert.deepEqual(status.errors, []);
    assert.match(status.desiredVersion ?? '', /^[0-9a-f]{40}$/);
    assert.match(status.lastDeployedVersion ?? '', /^[0-9a-f]{40}$/);
    for (const service of status.services) {
      assert.equal(service.images[0]?.tag, status.lastDeployedVersion, service.name);
      assert.equal(service.drift, 'in-sync', service.name);
    }
  });

  it('rollback flags the same version as current that status reports', async () => {
    const status = await s.prod.status();
    const { candidates } = await s.prod.rollbackCandidates();
    assert.deepEqual(
      candidates.filter((c) => c.current).map((c) => c.version),
      [status.lastDeployedVersion],
    );
  });

  it('preflight sees the untidy desired_version as the same commit', async () => {
    const status = await s.prod.status();
    const pre = await s.prod.preflight(status.lastDeployedVersion!.toUpperCase());
    assert.equal(pre.alreadyDeployed, true);
  });
});

describe('real-world shape: a last stage added after the last execution (never ran)', function () {
  this.timeout(60_000);
  let s: Setup;
  before(async () => {
    s = await setUp(['stage-added-later']);
  });
  after(() => s.sandbox.stop());

  it('the sandbox shows the new last stage without a latest execution, in the models\' shape', async () => {
    const state = await s.aws.codepipeline.send(new GetPipelineStateCommand({ name: PROD }));
    const last = state.stageStates!.at(-1)!;
    assert.equal(last.stageName, 'Notify_Deployment');
    assert.equal(last.latestExecution, undefined);
    assertModelled(s.recorder);
  });

  it('a finished execution reads as Succeeded (from the execution), not InProgress', async () => {
    const status = await s.prod.status();
    assert.equal(status.pipeline?.status, 'Succeeded');
    assert.equal(status.pipeline?.currentStage, undefined);
    assert.ok(
      s.sandbox.requests().some((r) => r.operation === 'GetPipelineExecution'),
      'asked the execution itself',
    );
  });
});

describe('real-world shape: EXTERNAL and CODE_DEPLOY deployment controllers (task sets)', function () {
  this.timeout(60_000);
  let s: Setup;
  before(async () => {
    s = await setUp(['external-controller', 'code-deploy-controller']);
  });
  after(() => s.sandbox.stop());

  it('the sandbox answers task sets, no service task definition for EXTERNAL, in the models\' shape', async () => {
    const out = await s.aws.ecs.send(new DescribeServicesCommand({ cluster: 'spryker-prod', services: ['spryker-prod-glue', 'spryker-prod-storeapp'] }));
    const glue = out.services!.find((x) => x.serviceName === 'spryker-prod-glue')!;
    const storeapp = out.services!.find((x) => x.serviceName === 'spryker-prod-storeapp')!;
    assert.equal(glue.deploymentController?.type, 'EXTERNAL');
    assert.equal(glue.taskDefinition, undefined);
    assert.ok(glue.taskSets!.length > 0);
    assert.equal(storeapp.deploymentController?.type, 'CODE_DEPLOY');
    assert.ok(storeapp.taskDefinition);
    assert.ok(storeapp.taskSets!.length > 0);
    assertModelled(s.recorder);
  });

  it('status reads both without a failing DescribeTaskDefinition, with their images and drift', async () => {
    s.sandbox.clearRequests();
    const status = await s.prod.status();
    assert.deepEqual(status.errors, []);
    assert.ok(!s.sandbox.requests().some((r) => r.operation === 'DescribeTaskDefinition' && r.status !== 200), 'no failing DescribeTaskDefinition');
    for (const name of ['spryker-prod-glue', 'spryker-prod-storeapp']) {
      const service = status.services.find((x) => x.name === name)!;
      assert.equal(service.images[0]?.tag, status.lastDeployedVersion, name);
      assert.equal(service.drift, 'in-sync', name);
      assert.equal(service.deployments[0]?.status, 'PRIMARY');
    }
  });
});

describe('real-world shape: GetPipelineExecution does not know a new execution yet', function () {
  this.timeout(60_000);
  let s: Setup;
  before(async () => {
    s = await setUp(['execution-lag'], 0.5);
  });
  after(() => s.sandbox.stop());

  it('the sandbox answers PipelineExecutionNotFoundException right after the start, in the models\' shape', async () => {
    const started = await s.aws.codepipeline.send(new StartPipelineExecutionCommand({ name: 'NORMAL_Deploy_Spryker_spryker-staging' }));
    await assert.rejects(
      s.aws.codepipeline.send(new GetPipelineExecutionCommand({ pipelineName: 'NORMAL_Deploy_Spryker_spryker-staging', pipelineExecutionId: started.pipelineExecutionId })),
      (e: Error) => e.name === 'PipelineExecutionNotFoundException',
    );
    assertModelled(s.recorder);
  });

  it('a followed deploy keeps following until the execution becomes visible', async () => {
    const version = await deployable(s);
    const { executionId } = await s.prod.deploy(version);
    const result = await s.prod.follow(executionId, { pollMs: 100, stopAtApproval: true });
    assert.equal(result.status, 'AwaitingApproval');
    assert.ok(s.sandbox.requests().some((r) => r.operation === 'GetPipelineExecution' && r.errorCode === 'PipelineExecutionNotFoundException'), 'it did meet the not-found');
  });
});

describe('rollback candidates when ListPipelineExecutions is denied', function () {
  this.timeout(60_000);
  let s: Setup;
  before(async () => {
    s = await setUp([]);
  });
  after(() => s.sandbox.stop());

  it('come from the parameter history alone and say what is missing', async () => {
    s.sandbox.control.setFaults(['access-denied:ListPipelineExecutions']);
    const history = await s.prod.rollbackCandidates();
    s.sandbox.control.clearFaults();
    assert.ok(history.candidates.length >= 2, 'candidates from the parameter history');
    assert.equal(history.candidates.filter((c) => c.current).length, 1);
    assert.ok(history.candidates.every((c) => c.source === 'parameter-history'));
    assert.match(history.missing ?? '', /executions of NORMAL_Deploy_Spryker_spryker-prod could not be read .*Access denied/);
  });
});

describe('real-world shape: two approval actions wait in one stage (QA and product owner)', function () {
  this.timeout(60_000);
  let s: Setup;
  let executionId: string;
  before(async () => {
    s = await setUp(['two-approvers']);
    const version = await deployable(s);
    ({ executionId } = await s.prod.deploy(version));
    await waitFor('both approvals', async () => (await s.prod.status()).pipeline?.pendingApprovals?.length === 2 || undefined);
  });
  after(() => s.sandbox.stop());

  const cli = (argv: string[], isTTY = false, answer = '') => cliOn(s.sandbox, argv, isTTY, answer);

  it('the sandbox shows both waiting, each with its own token, in the models\' shape', async () => {
    const state = await s.aws.codepipeline.send(new GetPipelineStateCommand({ name: PROD }));
    const actions = state.stageStates!.find((x) => x.stageName === 'Please_approve')!.actionStates!;
    assert.deepEqual(actions.map((a) => a.actionName), ['QA_Approval', 'ProductOwner_Approval']);
    assert.ok(actions.every((a) => a.latestExecution?.status === 'InProgress' && a.latestExecution.token));
    assert.notEqual(actions[0].latestExecution!.token, actions[1].latestExecution!.token);
    assertModelled(s.recorder);
  });

  it('status and approval details list each waiting action; one can be picked by name', async () => {
    const status = await s.prod.status();
    assert.deepEqual(status.pipeline?.pendingApprovals?.map((a) => a.actionName), ['QA_Approval', 'ProductOwner_Approval']);
    const details = await s.prod.approvalDetails('ProductOwner_Approval');
    assert.equal(details?.approval.actionName, 'ProductOwner_Approval');
    assert.equal(details?.waiting?.length, 2);
    await assert.rejects(s.prod.approvalDetails('Nobody'), (e: unknown) => isDeployError(e, 'no-pending-approval'));
  });

  it('the CLI without --action and without a terminal names both and decides nothing', async () => {
    const r = await cli(['approve', '--env', 'spryker-prod', '--yes']);
    assert.equal(r.code, 2, r.err.join('\n'));
    assert.match(r.err.at(-1) ?? '', /2 approvals wait in Please_approve \(QA_Approval, ProductOwner_Approval\): pass --action <name>/);
    assert.equal((await s.prod.status()).pipeline?.pendingApprovals?.length, 2, 'nothing was decided');
  });

  it('each approver decides their own action; the pipeline goes on only after both', async () => {
    const qa = await cli(['approve', '--env', 'spryker-prod', '--yes', '--action', 'QA_Approval', '--comment', 'QA ok']);
    assert.equal(qa.code, 0, qa.err.join('\n'));
    const afterQa = await s.prod.status();
    assert.deepEqual([afterQa.pipeline?.pendingApproval?.actionName, afterQa.pipeline?.pendingApprovals], ['ProductOwner_Approval', undefined]);
    // A terminal asks which one when several wait; here one is left, so it is decided without asking.
    const po = await cli(['approve', '--env', 'spryker-prod', '--yes'], true, '');
    assert.equal(po.code, 0, po.err.join('\n'));
    const result = await s.prod.follow(executionId, { pollMs: 50 });
    assert.equal(result.status, 'Succeeded');
  });
});

describe('real-world shape: a role that may read CloudWatch Logs but not codebuild:BatchGetBuilds', function () {
  this.timeout(60_000);
  let s: Setup;
  before(async () => {
    s = await setUp([]);
  });
  after(() => s.sandbox.stop());
  afterEach(() => s.sandbox.control.clearFaults());

  it('the build log comes from the logGroups settings (stream <project>/<build uuid>), so Show Log still works', async () => {
    s.sandbox.control.setFaults(['access-denied:BatchGetBuilds']);
    const log = await s.prod.stageLog({ stage: 'Prepare_versions_information_for_Approval_stage' });
    assert.equal(log.logGroup, '/aws/codebuild/spryker-prod');
    assert.equal(log.logStream, `${log.buildId.split(':')[0]}/${log.buildId.split(':')[1]}`);
    assert.ok(log.lines.some((l) => l.startsWith('Deploymnet version: ')), log.lines.join('\n'));
  });

  it('log groups that do not hold the stream end in the original access-denied error', async () => {
    s.sandbox.control.setFaults(['access-denied:BatchGetBuilds']);
    const config = resolveEnvironment({ name: 'spryker-prod', endpoint: s.sandbox.endpoint, region: s.sandbox.region, logGroups: { codebuild: '/aws/codebuild/elsewhere', codebuildDestructive: '/aws/codebuild/nowhere' } });
    const prod = createEnvironmentService(config, s.ports, { caches: createCoreCaches() });
    await assert.rejects(prod.stageLog({ stage: 'Prepare_versions_information_for_Approval_stage' }), (e: unknown) => isDeployError(e, 'access-denied'));
  });
});

describe('real-world shape: a V2 pipeline in QUEUED mode (a second execution waits behind the first)', function () {
  this.timeout(120_000);
  let s: Setup;
  let first: string;
  let second: string;
  let v1: string;
  let v2: string;
  before(async () => {
    s = await setUp(['v2-queued']);
    v1 = await deployable(s);
    ({ executionId: first } = await s.prod.deploy(v1));
    await s.prod.follow(first, { stopAtApproval: true, pollMs: 50 });
    // Another built commit, neither deployed nor desired (desired_version holds v1 now).
    v2 = await deployable(s);
    // The refusal without --supersede is checked first, then the second deploy queues behind the first.
    await assert.rejects(s.prod.deploy(v2), (e: unknown) => isDeployError(e, 'execution-active'));
    ({ executionId: second } = await s.prod.deploy(v2, { supersede: true }));
    // It runs the stages the first has left, then waits at the approval stage the first holds.
    await waitFor('the second execution to wait at Please_approve', async () => {
      const state = await s.aws.codepipeline.send(new GetPipelineStateCommand({ name: PROD }));
      return state.stageStates!.find((x) => x.stageName === 'Please_approve')!.inboundExecutions?.some((e) => e.pipelineExecutionId === second) || undefined;
    });
  });
  after(() => s.sandbox.stop());

  const cli = (argv: string[]) => cliOn(s.sandbox, argv);

  it('a deploy while one waits says what QUEUED mode does (no superseding; desired_version is read at the build) and writes nothing', async () => {
    const before = s.sandbox.inspect.parameter('/spryker-prod/desired_version');
    await assert.rejects(s.prod.deploy(v1), (e: unknown) => isDeployError(e, 'execution-active') && /QUEUED mode: a new execution waits behind it \(nothing is superseded\).*changes that one's version too/.test((e as Error).message));
    assert.deepEqual(s.sandbox.inspect.parameter('/spryker-prod/desired_version'), before);
  });

  it('the second execution is queued, not superseding: GetPipelineState shows it inbound, both list InProgress, in the models\' shape', async () => {
    const state = await s.aws.codepipeline.send(new GetPipelineStateCommand({ name: PROD }));
    const approvalStage = state.stageStates!.find((x) => x.stageName === 'Please_approve')!;
    assert.equal(approvalStage.latestExecution?.pipelineExecutionId, first);
    assert.equal(approvalStage.latestExecution?.status, 'InProgress');
    assert.deepEqual(approvalStage.inboundExecutions, [{ pipelineExecutionId: second, status: 'InProgress', type: 'STANDARD' }]);
    assert.equal(approvalStage.inboundExecution?.pipelineExecutionId, second);
    const list = await s.aws.codepipeline.send(new ListPipelineExecutionsCommand({ pipelineName: PROD, maxResults: 2 }));
    assert.deepEqual(list.pipelineExecutionSummaries!.map((e) => [e.pipelineExecutionId, e.status, e.executionMode]), [
      [second, 'InProgress', 'QUEUED'],
      [first, 'InProgress', 'QUEUED'],
    ]);
    const pipeline = await s.aws.codepipeline.send(new GetPipelineCommand({ name: PROD }));
    assert.deepEqual([pipeline.pipeline?.pipelineType, pipeline.pipeline?.executionMode], ['V2', 'QUEUED']);
    assertModelled(s.recorder);
  });

  it('status shows the running execution (the one waiting for approval) and the queued one apart', async () => {
    const status = await s.prod.status();
    const p = status.pipeline!;
    assert.equal(p.executionId, first, 'the queued execution is shown as the running one');
    assert.equal(p.status, 'InProgress');
    assert.equal(p.pendingApproval?.executionId, first);
    assert.equal(p.outcome?.kind, 'awaiting-approval');
    assert.deepEqual(p.queued, [{ executionId: second, stage: 'Please_approve' }]);
  });

  it('the CLI\'s status says "1 queued" with the version it will deploy, and --json lists it', async () => {
    const text = await cli(['status', '--env', 'spryker-prod']);
    assert.equal(text.code, 0, text.err.join('\n'));
    const out = text.out.join('\n');
    assert.match(out, new RegExp(`pipeline  ${PROD}: InProgress at Please_approve  \\[${first}\\]`));
    assert.match(out, new RegExp(`queued    1 queued: ${v2.slice(0, 7)}`));
    assert.match(out, new RegExp(`\\[${second}\\] waits to enter Please_approve`));
    const json = await cli(['status', '--env', 'spryker-prod', '--json']);
    const parsed = JSON.parse(json.out.join('')) as { environments?: { pipeline: { queued: unknown } }[]; pipeline?: { queued: unknown } };
    const env = parsed.environments?.[0] ?? parsed;
    assert.deepEqual(env.pipeline?.queued, [{ executionId: second, waitsToEnter: 'Please_approve' }]);
  });

  it('approving decides the first, not the queued one; the queued one runs after the first finishes and waits for its own approval', async () => {
    const approval = (await s.prod.approvalDetails())!.approval;
    assert.equal(approval.executionId, first);
    await s.prod.decide(approval, 'Approved', 'first');
    const done = await s.prod.follow(first, { pollMs: 50 });
    assert.equal(done.status, 'Succeeded');
    // desired_version is read at the build: the first execution, approved after the second was started, built v2.
    assert.equal((await s.prod.status()).lastDeployedVersion, v2);
    const next = await s.prod.follow(second, { stopAtApproval: true, pollMs: 50 });
    assert.equal(next.status, 'AwaitingApproval');
    assert.equal(next.approval?.executionId, second);
    const status = await s.prod.status();
    assert.equal(status.pipeline?.executionId, second);
    assert.equal(status.pipeline?.queued, undefined);
    await s.prod.decide((await s.prod.approvalDetails())!.approval, 'Approved', 'second');
    assert.equal((await s.prod.follow(second, { pollMs: 50 })).status, 'Succeeded');
  });

  it('the real AWS CLI reads the queued execution from the sandbox (get-pipeline-state inboundExecutions)', async function () {
    const cliSandbox = await startSandbox({ stageSeconds: 0.1, seed: 24, shapes: ['v2-queued:spryker-prod'] });
    try {
      const env = { PATH: process.env.PATH, HOME: process.env.HOME, AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_DEFAULT_REGION: cliSandbox.region, AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null', AWS_PAGER: '' };
      // Asynchronous: the sandbox answers in this very process.
      const aws = async (...args: string[]) => (await promisify(execFile)('aws', [...args, '--endpoint-url', cliSandbox.endpoint, '--output', 'json'], { env, encoding: 'utf8' })).stdout;
      const a = (JSON.parse(await aws('codepipeline', 'start-pipeline-execution', '--name', PROD)) as { pipelineExecutionId: string }).pipelineExecutionId;
      await waitFor('the first execution at the approval', () => cliSandbox.inspect.pendingApproval(PROD));
      const b = (JSON.parse(await aws('codepipeline', 'start-pipeline-execution', '--name', PROD)) as { pipelineExecutionId: string }).pipelineExecutionId;
      const inbound = await waitFor('the second inbound at Please_approve', async () => {
        const state = JSON.parse(await aws('codepipeline', 'get-pipeline-state', '--name', PROD)) as { stageStates: { stageName: string; inboundExecutions?: { pipelineExecutionId: string }[]; latestExecution?: { pipelineExecutionId: string } }[] };
        const stage = state.stageStates.find((x) => x.stageName === 'Please_approve')!;
          return stage.inboundExecutions?.length ? { ids: stage.inboundExecutions.map((e) => e.pipelineExecutionId), latest: stage.latestExecution?.pipelineExecutionId } : undefined;
      });
      assert.deepEqual(inbound, { ids: [b], latest: a });
      const mode = JSON.parse(await aws('codepipeline', 'get-pipeline', '--name', PROD, '--query', 'pipeline.[pipelineType,executionMode]')) as string[];
      assert.deepEqual(mode, ['V2', 'QUEUED']);
      // The shape names one environment: staging's pipeline stays V1.
      const staging = JSON.parse(await aws('codepipeline', 'get-pipeline', '--name', 'NORMAL_Deploy_Spryker_spryker-staging', '--query', 'pipeline.[pipelineType,executionMode]')) as string[];
      assert.deepEqual(staging, ['V1', 'SUPERSEDED']);
    } finally {
      await cliSandbox.stop();
    }
  });
});

describe('real-world shape: a V2 pipeline in PARALLEL mode (executions side by side)', function () {
  this.timeout(60_000);
  let s: Setup;
  before(async () => {
    s = await setUp(['v2-parallel']);
  });
  after(() => s.sandbox.stop());

  it('a second execution runs beside the first (neither superseded nor queued), and the client says PARALLEL, not "supersede"', async () => {
    const v1 = await deployable(s);
    const { executionId: first } = await s.prod.deploy(v1);
    await s.prod.follow(first, { stopAtApproval: true, pollMs: 50 });
    await assert.rejects(s.prod.deploy(v1), (e: unknown) => isDeployError(e, 'execution-active') && /PARALLEL mode: a new execution runs beside it/.test((e as Error).message));
    const { executionId: second } = await s.prod.deploy(v1, { supersede: true });
    await s.prod.follow(second, { stopAtApproval: true, pollMs: 50 });
    const list = await s.aws.codepipeline.send(new ListPipelineExecutionsCommand({ pipelineName: PROD, maxResults: 2 }));
    assert.deepEqual(list.pipelineExecutionSummaries!.map((e) => [e.pipelineExecutionId, e.status, e.executionMode]), [
      [second, 'InProgress', 'PARALLEL'],
      [first, 'InProgress', 'PARALLEL'],
    ]);
    const status = await s.prod.status();
    // GetPipelineState shows the execution that entered last; nothing is reported queued or superseded.
    assert.equal(status.pipeline?.executionId, second);
    assert.equal(status.pipeline?.queued, undefined);
    assert.notEqual(status.pipeline?.outcome?.kind, 'superseded');
    const history = await s.prod.history(2);
    assert.deepEqual(history.map((h) => h.executionId), [second, first]);
    assertModelled(s.recorder);
  });
});
