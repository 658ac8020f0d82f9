import * as assert from 'node:assert/strict';
import { describeMaintenance, maintenanceState } from '../../../src/core/maintenance';
import type { ExecutionSummary } from '../../../src/core/model';

const t = (h: number) => new Date(Date.UTC(2026, 10, 30, h));
const run = (id: string, status: ExecutionSummary['status'], start: number, end: number, who = 'jane.doe'): ExecutionSummary => ({
  executionId: id,
  status,
  startTime: t(start),
  lastUpdateTime: t(end),
  trigger: 'StartPipelineExecution',
  triggerDetail: `arn:aws:sts::1:assumed-role/SprykerDeploy/${who}`,
});
const when = (d: Date) => d.toISOString().slice(11, 16);

describe('maintenance mode', () => {
  it('the pipeline that succeeded last decides, with when and who', () => {
    const state = maintenanceState([run('e1', 'Succeeded', 8, 9)], [run('d1', 'Succeeded', 5, 6)]);
    assert.deepEqual(state, { kind: 'on', since: t(9), by: 'jane.doe' });
    assert.equal(describeMaintenance(state, when), 'on since 09:00 (by jane.doe)');
    assert.equal(maintenanceState([run('e1', 'Succeeded', 8, 9)], [run('d1', 'Succeeded', 10, 11, 'john.smith')]).kind, 'off');
  });

  it('never enabled reads off; a switch in progress reads switching; a failed switch after the one in force is named', () => {
    assert.equal(describeMaintenance(maintenanceState([], []), when), 'off (never enabled)');
    const switching = maintenanceState([run('e2', 'InProgress', 12, 12)], [run('d1', 'Succeeded', 10, 11)]);
    assert.deepEqual(switching, { kind: 'switching', to: 'on', executionId: 'e2', startedAt: t(12), by: 'jane.doe' });
    const failed = maintenanceState([run('e3', 'Failed', 12, 13), run('e1', 'Succeeded', 8, 9)], [run('d1', 'Succeeded', 10, 11)]);
    assert.equal(failed.kind, 'off');
    assert.equal(describeMaintenance(failed, when), 'off since 11:00 (by jane.doe); the last attempt to switch it on ended Failed');
  });
});
