import * as assert from 'node:assert/strict';
import { resolveEnvironment } from '../../../src/core/environments';
import { endedAs, formatDuration, historyEntry, valueAt } from '../../../src/core/history';
import type { ActionExecutionInfo, ParameterHistoryEntry } from '../../../src/core/ports';
import { SHA_A, SHA_B, SHA_C } from './fakePorts';

const stages = resolveEnvironment({ name: 'spryker-prod' }).stages;
const t = (min: number) => new Date(Date.UTC(2026, 10, 30, 8, min));
const JANE = 'arn:aws:sts::1:assumed-role/SprykerDeploy/jane.doe';
const JOHN = 'arn:aws:sts::1:assumed-role/SprykerDeploy/john.smith';
const desiredHistory: ParameterHistoryEntry[] = [
  { name: 'd', value: SHA_A, version: 1, lastModified: t(0) },
  { name: 'd', value: SHA_B, version: 2, lastModified: t(10) },
  // Changed while the execution waited for the approval: the build stage reads this one after the approval.
  { name: 'd', value: `${SHA_C.toUpperCase()}\n`, version: 3, lastModified: t(15) },
];
const approval = (status: ActionExecutionInfo['status'], by: string | undefined, at: number, summary?: string): ActionExecutionInfo => ({
  stageName: 'Please_approve',
  actionName: 'Approval',
  status,
  startTime: t(12),
  lastUpdateTime: t(at),
  ...(by ? { updatedBy: by } : {}),
  ...(summary ? { summary } : {}),
});
const now = t(90);

describe('environment history', () => {
  it('a deployed execution: the version the deployed-version parameter got while it ran, starter, approver, stages with durations', () => {
    const entry = historyEntry({
      execution: { executionId: 'e1', status: 'Succeeded', startTime: t(10), lastUpdateTime: t(40), trigger: 'StartPipelineExecution', triggerDetail: JOHN },
      actions: [
        { stageName: 'Run_install', actionName: 'Run_install', status: 'Succeeded', startTime: t(25), lastUpdateTime: t(40) },
        approval('Succeeded', JANE, 20, 'Versions checked'),
        { stageName: 'Prepare_versions_information_for_Approval_stage', actionName: 'Prepare', status: 'Succeeded', startTime: t(10), lastUpdateTime: t(12) },
      ],
      desiredHistory,
      deployedHistory: [{ name: 'l', value: SHA_C, version: 4, lastModified: t(39) }],
      stages,
      now,
    });
    assert.equal(entry.version, SHA_C);
    assert.equal(entry.versionSource, 'deployed-version');
    assert.equal(entry.startedBy, 'john.smith');
    assert.deepEqual(entry.decisions, [{ action: 'Approval', decision: 'Approved', by: 'jane.doe', byArn: JANE, comment: 'Versions checked', at: t(20) }]);
    assert.deepEqual(
      entry.stages.map((s) => [s.name, s.status, s.durationMs]),
      [
        ['Prepare_versions_information_for_Approval_stage', 'Succeeded', 2 * 60_000],
        ['Please_approve', 'Succeeded', 8 * 60_000],
        ['Run_install', 'Succeeded', 15 * 60_000],
      ],
    );
    assert.equal(entry.durationMs, 30 * 60_000);
    assert.deepEqual(entry.finishedAt, t(40));
    assert.equal(endedAs(entry), 'deployed');
  });

  it('a rejected execution: the version desired_version held at its start, and who rejected it with the comment', () => {
    const entry = historyEntry({
      execution: { executionId: 'e2', status: 'Failed', startTime: t(11), lastUpdateTime: t(14) },
      actions: [approval('Failed', JANE, 14, 'not before the sale')],
      desiredHistory,
      deployedHistory: [],
      stages,
      now,
    });
    assert.equal(entry.version, SHA_B);
    assert.equal(entry.versionSource, 'desired-at-start');
    assert.equal(entry.decisions[0].decision, 'Rejected');
    assert.equal(endedAs(entry), 'rejected by jane.doe: not before the sale');
  });

  it('an approved execution that failed later: desired_version as it stood at the approval, normalised; failed at its stage', () => {
    const entry = historyEntry({
      execution: { executionId: 'e3', status: 'Failed', startTime: t(11), lastUpdateTime: t(30) },
      actions: [
        { stageName: 'Run_install', actionName: 'Run_install', status: 'Failed', startTime: t(20), lastUpdateTime: t(30), errorDetails: { message: 'exit status 1' } },
        approval('Succeeded', JANE, 16),
      ],
      desiredHistory,
      deployedHistory: [],
      stages,
      now,
    });
    assert.equal(entry.version, SHA_C);
    assert.equal(entry.versionSource, 'desired-at-approval');
    assert.equal(endedAs(entry), 'failed at Run_install: exit status 1');
  });

  it('stopped names the stage it was stopped in; superseded; a running one has no end and lasts until now', () => {
    const stopped = historyEntry({
      execution: { executionId: 'e4', status: 'Stopped', startTime: t(11), lastUpdateTime: t(13), statusSummary: 'Stopped: wrong branch' },
      actions: [{ stageName: 'Build_and_Prepare', actionName: 'Build_and_Prepare', status: 'Abandoned', startTime: t(12), lastUpdateTime: t(13) }],
      desiredHistory,
      deployedHistory: [],
      stages,
      now,
    });
    assert.equal(endedAs(stopped), 'stopped at Build_and_Prepare (wrong branch)');
    const superseded = historyEntry({ execution: { executionId: 'e5', status: 'Superseded', startTime: t(11), lastUpdateTime: t(12) }, actions: [], desiredHistory, deployedHistory: [], stages, now });
    assert.equal(endedAs(superseded), 'superseded');
    const running = historyEntry({
      execution: { executionId: 'e6', status: 'InProgress', startTime: t(60), lastUpdateTime: t(61) },
      actions: [{ stageName: 'Run_install', actionName: 'Run_install', status: 'InProgress', startTime: t(80) }],
      desiredHistory,
      deployedHistory: [],
      stages,
      now,
    });
    assert.equal(running.finishedAt, undefined);
    assert.equal(running.durationMs, 30 * 60_000);
    assert.equal(running.stages[0].durationMs, 10 * 60_000);
    assert.equal(endedAs(running), 'running: Run_install');
  });

  it('an execution whose actions could not be read keeps its version and says why its details are missing', () => {
    const entry = historyEntry({
      execution: { executionId: 'e7', status: 'Succeeded', startTime: t(11), lastUpdateTime: t(30) },
      detailsError: 'AccessDenied',
      desiredHistory,
      deployedHistory: [],
      stages,
      now,
    });
    assert.equal(entry.version, SHA_B);
    assert.equal(entry.detailsError, 'AccessDenied');
    assert.deepEqual(entry.decisions, []);
  });

  it('valueAt and formatDuration', () => {
    assert.equal(valueAt(desiredHistory, t(5)), SHA_A);
    assert.equal(valueAt(desiredHistory, new Date(0)), undefined);
    assert.equal(formatDuration(45_000), '45 s');
    assert.equal(formatDuration(200_000), '3 min 20 s');
    assert.equal(formatDuration(64 * 60_000), '1 h 4 min');
  });
});
