// Writes whose answer is lost after AWS acted, two deploys at one moment, and a followed execution that cannot be
// read for a while: what the core does and says (the in-memory AWS acts, then loses the answer).
import * as assert from 'node:assert/strict';
import { resolveEnvironment } from '../../../src/core/environments';
import { createEnvironmentService, FOLLOW_RETRIES } from '../../../src/core/environmentService';
import { DeployError, isDeployError } from '../../../src/core/errors';
import type { DeployProgress } from '../../../src/core/model';
import { restingWorld, SHA_A, SHA_B, SHA_C } from './fakePorts';

const prod = resolveEnvironment({ name: 'spryker-prod' });
const PARAM = '/spryker-prod/desired_version';
const desired = (aws: ReturnType<typeof restingWorld>) => aws.parameters.get(PARAM)!.at(-1)!.value;
const messages = (events: DeployProgress[]) => events.flatMap((e) => (e.kind === 'checking' ? [e.message] : []));

describe('lost replies and concurrent deploys', () => {
  it('PutParameter answered by a lost reply: re-reads the parameter, says it holds the version, and starts', async () => {
    const aws = restingWorld();
    aws.lostReplies.set('PutParameter', 1);
    const events: DeployProgress[] = [];
    const started = await createEnvironmentService(prod, aws.ports).deploy(SHA_B, { onProgress: (p) => events.push(p) });
    assert.equal(started.executionId, 'exec-1');
    assert.equal(desired(aws), SHA_B);
    assert.ok(messages(events).some((m) => m.includes(`PutParameter's answer was lost`) && m.includes(`${PARAM} holds ${SHA_B}: the write went through`)), messages(events).join('\n'));
  });

  it('PutParameter without an answer and not written: says the parameter still holds the old value, starts nothing', async () => {
    const aws = restingWorld();
    aws.failures.set('PutParameter', new DeployError('network', 'Cannot reach AWS for SSM PutParameter (ECONNRESET)', { awsCode: 'ECONNRESET' }));
    await assert.rejects(createEnvironmentService(prod, aws.ports).deploy(SHA_B), (e: unknown) => {
      assert.ok(isDeployError(e, 'network'));
      assert.ok(e.message.includes(`${PARAM} still holds ${SHA_A}, read again: nothing was written. No pipeline was started.`), e.message);
      return true;
    });
    assert.equal(aws.count('StartPipelineExecution'), 0);
  });

  it('PutParameter without an answer and unreadable: says it holds either value and how to check', async () => {
    const aws = restingWorld();
    aws.lostReplies.set('PutParameter', 1);
    const get = aws.ports.parameters.getParameters;
    let gets = 0;
    Object.assign(aws.ports.parameters, { getParameters: (n: readonly string[]) => (++gets > 1 ? Promise.reject(new DeployError('network', 'still down')) : get(n)) });
    await assert.rejects(createEnvironmentService(prod, aws.ports).deploy(SHA_B), (e: unknown) => {
      assert.ok(e instanceof DeployError);
      assert.ok(e.message.includes(`it holds either ${SHA_B} or still ${SHA_A}; check with: aws ssm get-parameter --name ${PARAM}`), e.message);
      return true;
    });
  });

  it('StartPipelineExecution with a lost answer: asks again with the same token, one execution, nothing restored', async () => {
    const aws = restingWorld();
    aws.lostReplies.set('StartPipelineExecution', 1);
    const events: DeployProgress[] = [];
    const started = await createEnvironmentService(prod, aws.ports).deploy(SHA_B, { onProgress: (p) => events.push(p) });
    assert.equal(started.executionId, 'exec-1');
    assert.equal(aws.started, 1, 'the second ask with the same token started nothing new');
    assert.equal(desired(aws), SHA_B);
    assert.ok(messages(events).some((m) => /asked again with the same request token: execution exec-1/.test(m)));
  });

  it('StartPipelineExecution never answered, but an execution started: follows it and leaves desired_version as written', async () => {
    const aws = restingWorld();
    aws.executions.unshift({ executionId: 'exec-old-1', status: 'Succeeded' });
    aws.lostReplies.set('StartPipelineExecution', 5);
    const events: DeployProgress[] = [];
    const started = await createEnvironmentService(prod, aws.ports).deploy(SHA_B, { onProgress: (p) => events.push(p) });
    assert.equal(started.executionId, 'exec-1');
    assert.equal(desired(aws), SHA_B);
    assert.equal(aws.count('PutParameter'), 1, 'not restored');
    assert.ok(messages(events).some((m) => m.includes('but execution exec-1 started since')), messages(events).join('\n'));
  });

  it('StartPipelineExecution failed and no execution started: restores, as before', async () => {
    const aws = restingWorld();
    aws.executions.unshift({ executionId: 'exec-old-1', status: 'Succeeded' });
    aws.failures.set('StartPipelineExecution', new DeployError('network', 'Cannot reach AWS (ECONNRESET)', { awsCode: 'ECONNRESET' }));
    await assert.rejects(createEnvironmentService(prod, aws.ports).deploy(SHA_B), (e: unknown) => isDeployError(e, 'start-failed') && e.details.restored?.ok === true && /No execution started/.test(e.message));
    assert.equal(desired(aws), SHA_A);
  });

  it('another deploy wrote desired_version right after this one: says which version really goes out', async () => {
    const aws = restingWorld();
    aws.afterCall.set('StartPipelineExecution', () => {
      aws.afterCall.delete('StartPipelineExecution');
      aws.setParameter(PARAM, SHA_C, 'arn:aws:iam::123:user/colleague');
    });
    await assert.rejects(createEnvironmentService(prod, aws.ports).deploy(SHA_B), (e: unknown) => {
      assert.ok(isDeployError(e, 'concurrent-deploy'));
      assert.ok(e.message.includes(`it holds ${SHA_C} now`), e.message);
      assert.ok(e.message.includes(`the pipeline deploys what ${PARAM} holds when it reads it: ${SHA_C}, not ${SHA_B}`), e.message);
      return true;
    });
    assert.equal(desired(aws), SHA_C, 'the other deploy is not undone');
  });

  it('another execution started after this one: follows the newer one, which deploys this version', async () => {
    const aws = restingWorld();
    aws.afterCall.set('StartPipelineExecution', () => {
      aws.afterCall.delete('StartPipelineExecution');
      aws.executions.unshift({ executionId: 'exec-colleague', status: 'InProgress' });
    });
    const events: DeployProgress[] = [];
    const started = await createEnvironmentService(prod, aws.ports).deploy(SHA_B, { onProgress: (p) => events.push(p) });
    assert.equal(started.executionId, 'exec-colleague');
    assert.ok(messages(events).some((m) => m.includes('Execution exec-colleague started after exec-1') && m.includes(`deploys ${PARAM} = ${SHA_B}`)));
  });
});

describe('a decision whose answer was lost', () => {
  function waitingWorld() {
    const aws = restingWorld();
    aws.executions.unshift({ executionId: 'exec-new', status: 'InProgress' });
    aws.stages = aws.stages.map((s) => (s.name === 'Please_approve' ? { ...s, status: 'InProgress', executionId: 'exec-new', actions: [{ name: 'Approval', status: 'InProgress', token: 'tok-1' }] } : s));
    return aws;
  }

  it('the retry finds its own decision recorded: no "someone else", a note instead', async () => {
    const aws = waitingWorld();
    const service = createEnvironmentService(prod, aws.ports);
    const approval = (await service.approvalDetails())!.approval;
    aws.failures.set('PutApprovalResult', new DeployError('approval-already-decided', 'already', { awsCode: 'ApprovalAlreadyCompletedException' }));
    aws.actionExecutions = [{ stageName: 'Please_approve', actionName: 'Approval', status: 'Succeeded', summary: 'ship it', updatedBy: 'arn:aws:iam::123:user/me', lastUpdateTime: new Date() }];
    const result = await service.decide(approval, 'Approved', 'ship it');
    assert.match(result.note ?? '', /first answer was lost.*Approved by arn:aws:iam::123:user\/me \("ship it"\)/);
  });

  it('decided by someone else: names who and what', async () => {
    const aws = waitingWorld();
    const service = createEnvironmentService(prod, aws.ports);
    const approval = (await service.approvalDetails())!.approval;
    aws.failures.set('PutApprovalResult', new DeployError('approval-already-decided', 'already', { awsCode: 'ApprovalAlreadyCompletedException' }));
    aws.actionExecutions = [{ stageName: 'Please_approve', actionName: 'Approval', status: 'Failed', summary: 'not today', updatedBy: 'arn:aws:iam::123:user/lead', lastUpdateTime: new Date() }];
    await assert.rejects(service.decide(approval, 'Approved', 'ship it'), (e: unknown) => {
      assert.ok(isDeployError(e, 'approval-already-decided'));
      assert.ok(e.message.includes('already decided: Rejected by arn:aws:iam::123:user/lead ("not today"); nothing was approved by you'), e.message);
      return true;
    });
  });
});

describe('following through failed reads', () => {
  function clock() {
    let t = Date.parse('2026-01-01T10:00:00Z');
    const waits: number[] = [];
    return {
      waits,
      now: () => new Date(t),
      sleep: async (ms: number) => {
        waits.push(ms);
        t += ms;
      },
    };
  }

  it('retries a throttled read with doubling waits, says so each time, and carries on when it reads again', async () => {
    const aws = restingWorld();
    aws.executions.unshift({ executionId: 'exec-9', status: 'Succeeded' });
    const get = aws.ports.pipelines.getPipelineExecution;
    let reads = 0;
    Object.assign(aws.ports.pipelines, {
      getPipelineExecution: (n: string, id: string) => (++reads <= 3 ? Promise.reject(new DeployError('throttled', 'AWS throttled CodePipeline GetPipelineExecution')) : get(n, id)),
    });
    const c = clock();
    const events: DeployProgress[] = [];
    const result = await createEnvironmentService(prod, aws.ports, { now: c.now, sleep: c.sleep }).follow('exec-9', { pollMs: 1000, onProgress: (p) => events.push(p) });
    assert.equal(result.status, 'Succeeded');
    assert.deepEqual(c.waits, [1000, 2000, 4000]);
    const failed = events.filter((e) => e.kind === 'read-failed');
    assert.deepEqual(failed.map((e) => e.kind === 'read-failed' && [e.attempt, e.retryInMs]), [[1, 1000], [2, 2000], [3, 4000]]);
  });

  it('gives up after the limit of failed reads in a row, saying the deploy goes on', async () => {
    const aws = restingWorld();
    aws.executions.unshift({ executionId: 'exec-9', status: 'InProgress' });
    aws.failures.set('GetPipelineExecution', new DeployError('network', 'Cannot reach AWS (ECONNRESET)', { awsCode: 'ECONNRESET' }));
    const c = clock();
    await assert.rejects(createEnvironmentService(prod, aws.ports, { now: c.now, sleep: c.sleep }).follow('exec-9', { pollMs: 5000 }), (e: unknown) => {
      assert.ok(isDeployError(e, 'network'));
      assert.match(e.message, new RegExp(`failed ${FOLLOW_RETRIES + 1} times in a row .*stopped following it\\. The deploy itself goes on in AWS\\.`));
      return true;
    });
    assert.equal(c.waits.length, FOLLOW_RETRIES);
    assert.ok(Math.max(...c.waits) <= 60_000);
  });

  it('a denied read ends following at once and says the deploy goes on', async () => {
    const aws = restingWorld();
    aws.failures.set('GetPipelineExecution', new DeployError('access-denied', 'Access denied to CodePipeline GetPipelineExecution', { awsCode: 'AccessDeniedException' }));
    const c = clock();
    await assert.rejects(createEnvironmentService(prod, aws.ports, { now: c.now, sleep: c.sleep }).follow('exec-9'), (e: unknown) => isDeployError(e, 'access-denied') && /The deploy itself goes on in AWS/.test(e.message));
    assert.deepEqual(c.waits, []);
  });
});
