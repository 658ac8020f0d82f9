import assert from 'node:assert/strict';
import { defaultEnvironment } from '../../../src/core/environments';
import type { HistoryEntry } from '../../../src/core/history';
import { buildPastExecutionViewModel } from '../../../src/vscode/approval/pastExecution';

const BEFORE = '1'.repeat(40);
const VERSION = '2'.repeat(40);
const config = defaultEnvironment('spryker-prod');
const t = (minute: number) => new Date(Date.UTC(2026, 10, 26, 10, minute, 0));

function entry(overrides: Partial<HistoryEntry> = {}): HistoryEntry {
  return {
    executionId: 'e1',
    status: 'Succeeded',
    startTime: t(0),
    version: VERSION,
    versionSource: 'deployed-version',
    startedBy: 'jane',
    finishedAt: t(20),
    durationMs: 20 * 60_000,
    outcome: { kind: 'deployed', approvedBy: ['sam'] },
    decisions: [{ action: 'Approval', decision: 'Approved', by: 'sam', comment: 'go', at: t(5) }],
    stages: [
      { name: 'Please_approve', status: 'Succeeded', startedAt: t(2), finishedAt: t(5), durationMs: 180_000 },
      { name: 'Run_install', status: 'Succeeded', startedAt: t(6), finishedAt: t(9), durationMs: 180_000 },
    ],
    ...overrides,
  };
}

describe('a past execution in the approval panel (read-only view model)', () => {
  it('shows the versions, the stages with durations, how it ended and who decided; nothing to decide', () => {
    const vm = buildPastExecutionViewModel({ config, entry: entry(), previousVersion: BEFORE, git: { repository: false, missing: [] }, now: t(30) });
    assert.equal(vm.approval, undefined);
    assert.equal(vm.canModify, false);
    assert.deepEqual([vm.running.version, vm.target.version], [BEFORE, VERSION]);
    assert.deepEqual(vm.pipeline.stages.map((s) => [s.name, s.status, s.durationMs, s.isApproval]), [
      ['Please_approve', 'Succeeded', 180_000, true],
      ['Run_install', 'Succeeded', 180_000, false],
    ]);
    assert.deepEqual(vm.past, {
      executionId: 'e1',
      pipelineName: config.pipelines.normal,
      status: 'Succeeded',
      ended: 'deployed',
      deployed: true,
      startedAt: t(0).toISOString(),
      startedBy: 'jane',
      finishedAt: t(20).toISOString(),
      durationMs: 20 * 60_000,
      versionSource: 'the deployed-version parameter, written while it ran',
      decisions: [{ action: 'Approval', decision: 'Approved', by: 'sam', comment: 'go', at: t(5).toISOString() }],
    });
    assert.equal(vm.commits.kind, 'no-repository');
  });

  it('a rejected one is "proposed", with the rejection; without an earlier deploy the commits are unknown, and says why', () => {
    const vm = buildPastExecutionViewModel({
      config,
      entry: entry({ status: 'Failed', outcome: { kind: 'rejected', by: 'sam', comment: 'not now' }, decisions: [{ action: 'Approval', decision: 'Rejected', by: 'sam', comment: 'not now' }] }),
      git: { repository: true, missing: [] },
      now: t(30),
    });
    assert.equal(vm.past?.deployed, false);
    assert.match(vm.past?.ended ?? '', /^rejected by sam/);
    assert.deepEqual(vm.commits, { kind: 'unknown', reason: 'The version that ran before it is not known (no earlier deploy among the executions read).' });
  });
});
