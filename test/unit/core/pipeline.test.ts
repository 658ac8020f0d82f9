import * as assert from 'node:assert/strict';
import { resolveEnvironment } from '../../../src/core/environments';
import type { StageState } from '../../../src/core/model';
import { executionStatusFromStages, findWaitingApprovals, latestExecutionId, pipelineStatus, queuedExecutions } from '../../../src/core/pipeline';

const stages = resolveEnvironment({ name: 'spryker-prod' }).stages;
const stage = (name: string, executionId?: string, status?: StageState['status']): StageState => ({
  name,
  ...(executionId ? { executionId } : {}),
  ...(status ? { status } : {}),
  actions: [],
});
const snapshot = (list: StageState[]) => ({ pipelineName: 'P', stages: list });

describe('pipeline status from GetPipelineState', () => {
  it('never ran', () => {
    assert.deepEqual(pipelineStatus(snapshot([stage('Source'), stage('Deploy')]), stages), { name: 'P', stages: [stage('Source'), stage('Deploy')] });
  });
  it('running in a stage', () => {
    const s = pipelineStatus(snapshot([stage('Source', 'new', 'Succeeded'), stage('Build', 'new', 'InProgress'), stage('Deploy', 'old', 'Succeeded')]), stages);
    assert.deepEqual([s.status, s.executionId, s.currentStage], ['InProgress', 'new', 'Build']);
  });
  it('between two stages counts as running', () => {
    const s = pipelineStatus(snapshot([stage('Source', 'new', 'Succeeded'), stage('Deploy', 'old', 'Succeeded')]), stages);
    assert.deepEqual([s.status, s.currentStage], ['InProgress', undefined]);
  });
  it('failed, stopped and succeeded', () => {
    assert.equal(pipelineStatus(snapshot([stage('Source', 'x', 'Succeeded'), stage('Build', 'x', 'Failed'), stage('Deploy', 'old', 'Succeeded')]), stages).status, 'Failed');
    assert.equal(pipelineStatus(snapshot([stage('Source', 'x', 'Succeeded'), stage('Build', 'x', 'Stopped')]), stages).status, 'Stopped');
    assert.equal(pipelineStatus(snapshot([stage('Source', 'x', 'Succeeded'), stage('Deploy', 'x', 'Succeeded')]), stages).status, 'Succeeded');
  });
  it('QUEUED (V2): an execution waiting behind the one at the approval is queued, and the one at the approval is shown', () => {
    // B ran Source and the comparison after A left them, and waits at Please_approve's transition while A waits there.
    const approval: StageState = {
      name: 'Please_approve',
      executionId: 'A',
      status: 'InProgress',
      inbound: ['B'],
      actions: [{ name: 'Approval', status: 'InProgress', token: 'tok' }],
    };
    const s = snapshot([stage('Source', 'B', 'Succeeded'), stage('Prepare', 'B', 'Succeeded'), approval, stage('Deploy', 'old', 'Succeeded')]);
    assert.deepEqual(queuedExecutions(s), [{ executionId: 'B', stage: 'Please_approve' }]);
    assert.equal(latestExecutionId(s), 'A');
    const p = pipelineStatus(s, stages);
    assert.deepEqual([p.executionId, p.status, p.pendingApproval?.executionId, p.outcome?.kind], ['A', 'InProgress', 'A', 'awaiting-approval']);
    assert.deepEqual(p.queued, [{ executionId: 'B', stage: 'Please_approve' }]);
  });
  it('several queued, the one nearest the front first; one between two stages with nothing ahead is not queued', () => {
    const s = snapshot([
      { ...stage('Source', 'C', 'Succeeded'), inbound: [] },
      { ...stage('Build', 'A', 'InProgress'), inbound: ['C'] },
      { ...stage('Deploy', 'X', 'InProgress'), inbound: ['B'] },
    ]);
    assert.deepEqual(queuedExecutions(s).map((q) => q.executionId), ['B', 'C']);
    const moving = snapshot([stage('Source', 'N', 'Succeeded'), { ...stage('Deploy', 'old', 'Succeeded'), inbound: ['N'] }]);
    assert.deepEqual(queuedExecutions(moving), []);
    assert.equal(pipelineStatus(moving, stages).executionId, 'N');
  });
  it('a last stage Skipped by a V2 condition ends the execution as Succeeded', () => {
    assert.equal(pipelineStatus(snapshot([stage('Source', 'x', 'Succeeded'), stage('Deploy', 'x', 'Skipped')]), stages).status, 'Succeeded');
  });
  it('a last stage that never ran leaves the stages undecided; the execution\'s own status wins', () => {
    const s = snapshot([stage('Source', 'x', 'Succeeded'), stage('Deploy', 'x', 'Succeeded'), stage('Added_later')]);
    assert.equal(executionStatusFromStages(s, 'x'), undefined);
    assert.equal(pipelineStatus(s, stages, undefined, { executionId: 'x', status: 'Succeeded' }).status, 'Succeeded');
    assert.equal(pipelineStatus(s, stages, undefined, { executionId: 'other', status: 'Failed' }).status, 'InProgress', 'another execution\'s status is not used');
  });
  it('two approval actions waiting in one stage are both found, the configured one first', () => {
    const two = {
      ...stage('Please_approve', 'x', 'InProgress'),
      actions: [
        { name: 'QA_Approval', status: 'InProgress' as const, token: 'q' },
        { name: 'Approval', status: 'InProgress' as const, token: 'a' },
      ],
    };
    const waiting = findWaitingApprovals(snapshot([stage('Source', 'x', 'Succeeded'), two]), stages);
    assert.deepEqual(waiting.map((a) => [a.actionName, a.token]), [['Approval', 'a'], ['QA_Approval', 'q']]);
    const s = pipelineStatus(snapshot([stage('Source', 'x', 'Succeeded'), two]), stages);
    assert.equal(s.pendingApproval?.actionName, 'Approval');
    assert.equal(s.pendingApprovals?.length, 2);
    const unnamed = { ...two, actions: two.actions.map((a) => ({ ...a, name: `${a.name}_2` })) };
    assert.deepEqual(findWaitingApprovals(snapshot([unnamed]), stages).map((a) => a.actionName), ['QA_Approval_2', 'Approval_2'], 'found without a configured name');
  });
  it('an approval waits only with a token and InProgress', () => {
    const waiting = { ...stage('Please_approve', 'x', 'InProgress'), actions: [{ name: 'Approval', status: 'InProgress' as const, token: 't' }] };
    assert.equal(pipelineStatus(snapshot([stage('Source', 'x', 'Succeeded'), waiting]), stages).pendingApproval?.token, 't');
    const decided = { ...waiting, actions: [{ name: 'Approval', status: 'Succeeded' as const, token: 't' }] };
    assert.equal(pipelineStatus(snapshot([stage('Source', 'x', 'Succeeded'), decided]), stages).pendingApproval, undefined);
  });
});
