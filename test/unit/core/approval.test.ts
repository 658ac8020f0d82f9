import * as assert from 'node:assert/strict';
import { resolveEnvironment } from '../../../src/core/environments';
import { createEnvironmentService } from '../../../src/core/environmentService';
import { DeployError, isDeployError } from '../../../src/core/errors';
import { restingWorld, SHA_A, SHA_B } from './fakePorts';

const prod = resolveEnvironment({ name: 'spryker-prod' });

function waitingWorld(token = 'tok-1', executionId = 'exec-new') {
  const aws = restingWorld();
  aws.setParameter('/spryker-prod/desired_version', SHA_B);
  aws.stages = aws.stages.map((s) =>
    s.name === 'Please_approve'
      ? { ...s, status: 'InProgress', executionId, actions: [{ name: 'Approval', status: 'InProgress', token }] }
      : s.name === 'Prepare_versions_information_for_Approval_stage'
        ? { ...s, executionId, actions: [{ name: 'Prepare', status: 'Succeeded', externalExecutionId: 'build-1' }] }
        : s,
  );
  aws.buildLogs.set('build-1', ['[Container] 2026/01/01 Running command ./compare.sh', `Deploymnet version: ${SHA_B}`, `Latest deployed version: ${SHA_A}`]);
  return aws;
}

describe('approval', () => {
  it('reads the pending approval and the version comparison from the build log', async () => {
    const aws = waitingWorld();
    const details = await createEnvironmentService(prod, aws.ports).approvalDetails();
    assert.equal(details?.approval.token, 'tok-1');
    assert.equal(details?.approval.version, SHA_B);
    assert.equal(details?.comparison?.deploymentVersion, SHA_B);
    assert.equal(details?.comparison?.latestDeployedVersion, SHA_A);
    assert.equal(details?.lastDeployedVersion, SHA_A);
    assert.equal(aws.count('ListActionExecutions'), 0, 'the pipeline state already named the build');
  });

  it('finds the build through ListActionExecutions when the stage ran in another execution', async () => {
    const aws = waitingWorld();
    aws.stages = aws.stages.map((s) => (s.name.startsWith('Prepare') ? { ...s, executionId: 'other' } : s));
    aws.actionExecutions = [{ stageName: 'Prepare_versions_information_for_Approval_stage', actionName: 'Prepare', externalExecutionId: 'build-1' }];
    const details = await createEnvironmentService(prod, aws.ports).approvalDetails();
    assert.equal(details?.comparison?.deploymentVersion, SHA_B);
  });

  it('still returns the approval when the log cannot be read', async () => {
    const aws = waitingWorld();
    aws.buildLogs.clear();
    const details = await createEnvironmentService(prod, aws.ports).approvalDetails();
    assert.equal(details?.comparison, undefined);
    assert.match(details!.comparisonError!, /build-1/);
  });

  it('returns undefined when nothing waits', async () => {
    assert.equal(await createEnvironmentService(prod, restingWorld().ports).approvalDetails(), undefined);
  });

  it('approves with the comment as summary', async () => {
    const aws = waitingWorld();
    const service = createEnvironmentService(prod, aws.ports);
    const details = (await service.approvalDetails())!;
    await service.decide(details.approval, 'Approved', '  release 42  ');
    assert.deepEqual(aws.approvals, [{ token: 'tok-1', status: 'Approved', summary: 'release 42' }]);
  });

  it('refuses a stale approval (token changed) and sends nothing', async () => {
    const aws = waitingWorld();
    const service = createEnvironmentService(prod, aws.ports);
    const seen = (await service.approvalDetails())!.approval;
    aws.stages = waitingWorld('tok-2', 'exec-newer').stages;
    await assert.rejects(service.decide(seen, 'Rejected', 'no'), (e: unknown) => isDeployError(e, 'stale-approval'));
    assert.equal(aws.count('PutApprovalResult'), 0);
    aws.stages = restingWorld().stages;
    await assert.rejects(service.decide(seen, 'Approved', ''), (e: unknown) => isDeployError(e, 'stale-approval') && /no longer waits/.test(e.message));
  });

  it('maps the AWS approval errors', async () => {
    const aws = waitingWorld();
    const service = createEnvironmentService(prod, aws.ports);
    const seen = (await service.approvalDetails())!.approval;
    aws.failures.set('PutApprovalResult', new DeployError('aws', 'x', { awsCode: 'InvalidApprovalTokenException' }));
    await assert.rejects(service.decide(seen, 'Approved', ''), (e: unknown) => isDeployError(e, 'stale-approval'));
    aws.failures.set('PutApprovalResult', new DeployError('aws', 'x', { awsCode: 'ApprovalAlreadyCompletedException' }));
    await assert.rejects(service.decide(seen, 'Approved', ''), (e: unknown) => isDeployError(e, 'approval-already-decided'));
  });

  it('refuses a comment longer than AWS accepts', async () => {
    const aws = waitingWorld();
    const service = createEnvironmentService(prod, aws.ports);
    const seen = (await service.approvalDetails())!.approval;
    await assert.rejects(service.decide(seen, 'Rejected', 'x'.repeat(513)), (e: unknown) => isDeployError(e, 'invalid-input') && /512/.test(e.message));
    assert.equal(aws.count('PutApprovalResult'), 0);
  });
});
