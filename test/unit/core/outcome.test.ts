import * as assert from 'node:assert/strict';
import { resolveEnvironment } from '../../../src/core/environments';
import { describeOutcome, endDetails, outcomeOfActions, outcomeOfState, personOf } from '../../../src/core/outcome';
import { computeDrift } from '../../../src/core/status';
import { SHA_A, SHA_B, SHA_C } from './fakePorts';

const stages = resolveEnvironment({ name: 'spryker-prod' }).stages;
const BUILD = 'Run_install:0b9e2f64-3c1e-4f7a-9a7e-2a2d3c4b5e6f';

describe('execution outcome', () => {
  it('a failed build action: stage, action, AWS reason and the build holding the log', () => {
    const outcome = outcomeOfActions(
      'Failed',
      [
        { stageName: 'Run_install', actionName: 'Run_install', status: 'Failed', externalExecutionId: BUILD, errorDetails: { code: 'JobFailed', message: 'Build terminated with state: FAILED.' } },
        { stageName: 'Deploy_Scheduler', actionName: 'Deploy_scheduler', status: 'Succeeded' },
      ],
      stages,
    );
    assert.deepEqual(outcome, { kind: 'failed', stage: 'Run_install', action: 'Run_install', code: 'JobFailed', message: 'Build terminated with state: FAILED.', buildId: BUILD });
    assert.equal(describeOutcome(outcome), 'Failed at Run_install: Build terminated with state: FAILED.');
  });

  it('a rejection is a decision with the approver and the comment; an expiry is neither', () => {
    const rejected = outcomeOfActions('Failed', [{ stageName: 'Please_approve', actionName: 'Approval', status: 'Failed', summary: 'not now', updatedBy: 'arn:aws:sts::1:assumed-role/SprykerDeploy/jane.doe' }], stages);
    assert.deepEqual(rejected, { kind: 'rejected', by: 'jane.doe', comment: 'not now' });
    assert.equal(describeOutcome(rejected), 'Rejected by jane.doe: not now');
    const expired = outcomeOfActions('Failed', [{ stageName: 'Please_approve', actionName: 'Approval', status: 'Failed', errorDetails: { code: 'JobFailed', message: 'The approval request expired' } }], stages);
    assert.equal(expired.kind, 'expired');
    assert.match(describeOutcome(expired), /^Approval expired/);
  });

  it('stopped, superseded, succeeded and running read as such', () => {
    assert.equal(outcomeOfActions('Stopped', [], stages).kind, 'stopped');
    assert.equal(outcomeOfActions('Superseded', [], stages).kind, 'superseded');
    assert.equal(outcomeOfActions('Succeeded', [], stages).kind, 'deployed');
    assert.deepEqual(outcomeOfActions('InProgress', [{ stageName: 'Please_approve', actionName: 'Approval', status: 'InProgress' }], stages), { kind: 'awaiting-approval' });
  });

  it('a deployment says who approved it (the person, not the build role), from the actions and from the pipeline state', () => {
    const deployed = outcomeOfActions('Succeeded', [{ stageName: 'Please_approve', actionName: 'Approval', status: 'Succeeded', updatedBy: 'arn:aws:sts::1:assumed-role/SprykerDeploy/jane.doe' }], stages);
    assert.deepEqual(deployed, { kind: 'deployed', approvedBy: ['jane.doe'] });
    assert.equal(describeOutcome(deployed), 'Deployed (approved by jane.doe)');
    const state = outcomeOfState(
      {
        status: 'Succeeded',
        executionId: 'e-2',
        stages: [
          { name: 'Please_approve', executionId: 'e-2', status: 'Succeeded', actions: [{ name: 'Approval', status: 'Succeeded', updatedBy: 'arn:aws:sts::1:assumed-role/SprykerDeploy/qa.lead' }] },
          { name: 'UpdateDeployedVersion', executionId: 'e-2', status: 'Succeeded', actions: [{ name: 'UpdateDeployedVersion', status: 'Succeeded', updatedBy: 'arn:aws:sts::1:assumed-role/codebuild/AWSCodeBuild-3935ecfd' }] },
        ],
      },
      stages,
    );
    assert.deepEqual(state, { kind: 'deployed', approvedBy: ['qa.lead'] });
    assert.deepEqual(outcomeOfState({ status: 'Succeeded', executionId: 'e-3', stages: [{ name: 'Please_approve', executionId: 'e-2', status: 'Succeeded', actions: [{ name: 'Approval', status: 'Succeeded', updatedBy: 'x/qa.lead' }] }] }, stages), { kind: 'deployed' }, 'an older execution\'s approver is not this one\'s');
  });

  it('names the person behind an ARN', () => {
    assert.equal(personOf('arn:aws:sts::000000000000:assumed-role/SprykerDeploy/john.smith'), 'john.smith');
    assert.equal(personOf('arn:aws:iam::000000000000:user/test'), 'test');
    assert.equal(personOf(undefined), undefined);
  });
});

describe('drift while a pipeline deploys', () => {
  const done = [{ status: 'PRIMARY', rolloutState: 'COMPLETED', runningCount: 2 }];
  it('tasks on the version being deployed are rolling before UpdateDeployedVersion writes it', () => {
    assert.equal(computeDrift({ deployedVersion: SHA_A, deployingVersion: SHA_B, deployments: done, runningVersions: [SHA_B] }), 'rolling');
    assert.equal(computeDrift({ deployedVersion: SHA_A, deployingVersion: SHA_B, deployments: done, runningVersions: [SHA_A, SHA_B] }), 'rolling');
  });
  it('a version neither deployed nor deploying is drift', () => {
    assert.equal(computeDrift({ deployedVersion: SHA_A, deployingVersion: SHA_B, deployments: done, runningVersions: [SHA_C] }), 'drifted');
    assert.equal(computeDrift({ deployedVersion: SHA_A, deployingVersion: SHA_B, deployments: done, runningVersions: [SHA_B, SHA_C] }), 'mixed');
    assert.equal(computeDrift({ deployedVersion: SHA_A, deployments: done, runningVersions: [SHA_B] }), 'drifted');
  });
});

describe('how a stopped or superseded execution ended', () => {
  it('reads the stop reason and the superseding execution from the statusSummary, nothing from anything else', () => {
    assert.deepEqual(endDetails('Stopped: Hotfix 4711 goes out first'), { reason: 'Hotfix 4711 goes out first' });
    assert.deepEqual(endDetails('Superseded by execution 3f1c2b9e-0d7a-4c51-9a0e-2f6b8c1d4e7a'), { supersededBy: '3f1c2b9e-0d7a-4c51-9a0e-2f6b8c1d4e7a' });
    assert.deepEqual(endDetails('Build terminated with state: FAILED'), {});
    assert.deepEqual(endDetails(undefined), {});
  });
  it('names the reason and who superseded when AWS said so, and stays plain when it did not', () => {
    assert.equal(describeOutcome({ kind: 'stopped', stage: 'Please_approve', reason: 'Hotfix first' }), 'Stopped at Please_approve: Hotfix first');
    assert.equal(describeOutcome({ kind: 'stopped' }), 'Stopped');
    assert.equal(describeOutcome({ kind: 'superseded', by: 'e2', startedBy: 'jane.doe' }), 'Superseded by execution e2 (started by jane.doe)');
    assert.equal(describeOutcome({ kind: 'superseded' }), 'Superseded by a newer execution');
  });
});
