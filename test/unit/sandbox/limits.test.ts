import * as assert from 'node:assert/strict';
import { createCodePipelineService } from '../../../src/sandbox/codepipeline';
import { createWorld, generatedCommits } from '../../../src/sandbox/defaultWorld';
import { ecsService } from '../../../src/sandbox/ecs';
import { PipelineEngine } from '../../../src/sandbox/pipelineEngine';
import { AwsError, type JsonObject, type ServiceDefinition } from '../../../src/sandbox/protocol';
import { ssmService } from '../../../src/sandbox/ssm';
import { Ids, ManualClock } from '../../../src/sandbox/world';

const NOW = Date.UTC(2025, 4, 12, 9, 0, 0);

function setup() {
  const ids = new Ids(3);
  const world = createWorld({ commits: generatedCommits(NOW), now: NOW, ids });
  const engine = new PipelineEngine(world, new ManualClock(NOW), ids, { stageMs: 1000 });
  const codepipeline = createCodePipelineService(engine);
  const call = (service: ServiceDefinition, op: string, input: JsonObject): JsonObject =>
    service.operations[op](input, { world, now: NOW, ids, callerArn: 'arn:aws:iam::000000000000:user/test', changed: () => undefined });
  return { world, call, codepipeline };
}

const code = (c: string) => (e: unknown) => e instanceof AwsError && e.code === c && e.status === 400;

describe('sandbox limits and validation', () => {
  it('GetParameters takes at most 10 names and reports missing ones', () => {
    const { call } = setup();
    const names = Array.from({ length: 11 }, (_, i) => `/x/${i}`);
    assert.throws(() => call(ssmService, 'GetParameters', { Names: names }), code('ValidationException'));
    const out = call(ssmService, 'GetParameters', { Names: ['/spryker-prod/desired_version', '/nope'] });
    assert.deepEqual(out.InvalidParameters, ['/nope']);
    assert.equal((out.Parameters as unknown[]).length, 1);
  });

  it('GetParameterHistory pages by at most 50', () => {
    const { call } = setup();
    assert.throws(() => call(ssmService, 'GetParameterHistory', { Name: '/spryker-prod/desired_version', MaxResults: 51 }), code('ValidationException'));
    const first = call(ssmService, 'GetParameterHistory', { Name: '/spryker-prod/desired_version', MaxResults: 1 });
    assert.equal((first.Parameters as unknown[]).length, 1);
    assert.equal(typeof first.NextToken, 'string');
    const second = call(ssmService, 'GetParameterHistory', { Name: '/spryker-prod/desired_version', MaxResults: 1, NextToken: first.NextToken });
    assert.notDeepEqual(second.Parameters, first.Parameters);
    assert.throws(() => call(ssmService, 'GetParameterHistory', { Name: '/spryker-staging/desired_version', NextToken: first.NextToken }), code('InvalidNextToken'));
  });

  it('PutParameter refuses to overwrite without Overwrite, and bad input changes nothing', () => {
    const { call, world } = setup();
    const before = JSON.stringify(world);
    assert.throws(() => call(ssmService, 'PutParameter', { Name: '/spryker-prod/desired_version', Value: 'abc', Type: 'String' }), code('ParameterAlreadyExists'));
    assert.throws(() => call(ssmService, 'PutParameter', { Name: '/spryker-prod/new', Value: 'abc' }), code('ValidationException'));
    assert.throws(() => call(ssmService, 'PutParameter', { Name: '/spryker-prod/new', Value: '', Type: 'String' }), code('ValidationException'));
    assert.throws(() => call(ssmService, 'PutParameter', { Name: '/spryker-prod/new', Value: 'x', Type: 'Blob' }), code('ValidationException'));
    assert.throws(() => call(ssmService, 'PutParameter', { Name: '/spryker-prod/new', Value: 'x'.repeat(4097), Type: 'String' }), code('ValidationException'));
    assert.equal(JSON.stringify(world), before);
    const out = call(ssmService, 'PutParameter', { Name: '/spryker-prod/desired_version', Value: 'abc', Overwrite: true });
    assert.deepEqual(out, { Version: world.parameters['/spryker-prod/desired_version'].history.length, Tier: 'Standard' });
  });

  it('ECS: DescribeServices ≤ 10 with missing services as failures, DescribeTasks ≤ 100, ListServices pages of 10', () => {
    const { call } = setup();
    assert.throws(() => call(ecsService, 'DescribeServices', { cluster: 'spryker-prod', services: Array.from({ length: 11 }, (_, i) => `s${i}`) }), code('InvalidParameterException'));
    const out = call(ecsService, 'DescribeServices', { cluster: 'spryker-prod', services: ['spryker-prod-yves', 'nope'] });
    assert.equal((out.services as unknown[]).length, 1);
    assert.deepEqual(out.failures, [{ arn: 'arn:aws:ecs:eu-central-1:000000000000:service/spryker-prod/nope', reason: 'MISSING' }]);
    assert.throws(() => call(ecsService, 'DescribeServices', { cluster: 'nope', services: ['x'] }), code('ClusterNotFoundException'));
    assert.throws(() => call(ecsService, 'DescribeTasks', { cluster: 'spryker-prod', tasks: Array.from({ length: 101 }, (_, i) => `t${i}`) }), code('InvalidParameterException'));
    assert.throws(() => call(ecsService, 'ListServices', { cluster: 'spryker-prod', maxResults: 101 }), code('InvalidParameterException'));
    const page = call(ecsService, 'ListServices', { cluster: 'spryker-prod', maxResults: 5 });
    assert.equal((page.serviceArns as unknown[]).length, 5);
    const rest = call(ecsService, 'ListServices', { cluster: 'spryker-prod', maxResults: 5, nextToken: page.nextToken });
    assert.equal((rest.serviceArns as unknown[]).length, 2);
    assert.equal(rest.nextToken, undefined);
  });

  it('CodePipeline: ListPipelineExecutions ≤ 100, UUID ids, modeled errors', () => {
    const { call, codepipeline } = setup();
    const p = 'NORMAL_Deploy_Spryker_spryker-prod';
    assert.throws(() => call(codepipeline, 'ListPipelineExecutions', { pipelineName: p, maxResults: 101 }), code('ValidationException'));
    const page = call(codepipeline, 'ListPipelineExecutions', { pipelineName: p, maxResults: 1 });
    assert.equal((page.pipelineExecutionSummaries as unknown[]).length, 1);
    assert.equal(typeof page.nextToken, 'string');
    assert.throws(() => call(codepipeline, 'GetPipelineState', { name: 'nope' }), code('PipelineNotFoundException'));
    assert.throws(() => call(codepipeline, 'GetPipelineExecution', { pipelineName: p, pipelineExecutionId: 'not-a-uuid' }), code('ValidationException'));
    assert.throws(() => call(codepipeline, 'GetPipelineExecution', { pipelineName: p, pipelineExecutionId: '00000000-0000-4000-8000-000000000000' }), code('PipelineExecutionNotFoundException'));
    const approval = { pipelineName: p, stageName: 'Please_approve', actionName: 'Approval', token: '00000000-0000-4000-8000-000000000000', result: { status: 'Approved', summary: '' } };
    assert.throws(() => call(codepipeline, 'PutApprovalResult', approval), code('InvalidApprovalTokenException'));
    assert.throws(() => call(codepipeline, 'PutApprovalResult', { ...approval, stageName: 'Nope' }), code('StageNotFoundException'));
    assert.throws(() => call(codepipeline, 'PutApprovalResult', { ...approval, actionName: 'Nope' }), code('ActionNotFoundException'));
    assert.throws(() => call(codepipeline, 'PutApprovalResult', { ...approval, result: { status: 'Maybe', summary: '' } }), code('ValidationException'));
  });
});
