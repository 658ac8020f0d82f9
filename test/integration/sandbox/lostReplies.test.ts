// A reply lost after AWS acted (the `drop-reply` fault), with the real SDK v3 and its default retries: the write is
// done each time, the answer never arrives; StartPipelineExecution's clientRequestToken makes the retries one start.
import * as assert from 'node:assert/strict';
import { StartPipelineExecutionCommand } from '@aws-sdk/client-codepipeline';
import { PutParameterCommand } from '@aws-sdk/client-ssm';
import { startSandbox, type Sandbox } from '../../../src/sandbox/index';
import { clients } from './helpers';

const STAGING = 'NORMAL_Deploy_Spryker_spryker-staging';

describe('sandbox: replies lost after the operation acted (drop-reply)', function () {
  this.timeout(60_000);
  let sandbox: Sandbox;
  let aws: ReturnType<typeof clients>;

  before(async () => {
    sandbox = await startSandbox({ stageSeconds: 60, seed: 5 });
    aws = clients(sandbox);
  });
  after(async () => {
    await sandbox?.stop();
  });
  afterEach(() => sandbox.control.clearFaults());

  const executions = () => sandbox.inspect.world().executions[STAGING]?.length ?? 0;

  it('drop-reply:PutParameter writes the value, and the client gets no answer', async () => {
    const value = sandbox.inspect.commits()[5].sha;
    sandbox.control.addFault('drop-reply:PutParameter');
    await assert.rejects(aws.ssm.send(new PutParameterCommand({ Name: '/spryker-staging/desired_version', Value: value, Overwrite: true })), /socket hang up|ECONNRESET/);
    assert.equal(sandbox.inspect.parameter('/spryker-staging/desired_version'), value);
    assert.ok(sandbox.requests().some((r) => r.operation === 'PutParameter' && r.errorCode === 'ReplyDropped'));
  });

  it('StartPipelineExecution with one clientRequestToken starts one execution, however often it is sent', async () => {
    const before = executions();
    const token = 'b8d5cbc6-0c1f-4b8e-9d0b-6f0e1a2b3c4d';
    const first = await aws.codepipeline.send(new StartPipelineExecutionCommand({ name: STAGING, clientRequestToken: token }));
    const again = await aws.codepipeline.send(new StartPipelineExecutionCommand({ name: STAGING, clientRequestToken: token }));
    assert.equal(again.pipelineExecutionId, first.pipelineExecutionId);
    assert.equal(executions(), before + 1);
    const other = await aws.codepipeline.send(new StartPipelineExecutionCommand({ name: STAGING, clientRequestToken: `${token.slice(0, -1)}e` }));
    assert.notEqual(other.pipelineExecutionId, first.pipelineExecutionId);
    assert.equal(executions(), before + 2);
  });

  it("the SDK's retries of a StartPipelineExecution whose replies are lost start one execution, not three", async () => {
    const before = executions();
    sandbox.clearRequests();
    sandbox.control.addFault('drop-reply:StartPipelineExecution');
    await assert.rejects(aws.codepipeline.send(new StartPipelineExecutionCommand({ name: STAGING })), /socket hang up|ECONNRESET/);
    const attempts = sandbox.requests().filter((r) => r.operation === 'StartPipelineExecution');
    assert.ok(attempts.length >= 2, `the SDK retried (${attempts.length} attempt(s))`);
    assert.equal(executions(), before + 1);
  });
});
