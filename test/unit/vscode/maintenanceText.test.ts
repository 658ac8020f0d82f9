// What the extension says around a deploy in maintenance mode and after a concurrent deploy: the error wording
// and its one action, the progress steps, the confirmation's line. Pure.
import * as assert from 'node:assert/strict';
import { DeployError } from '../../../src/core/errors';
import { defaultEnvironment } from '../../../src/core/environments';
import { describeError } from '../../../src/vscode/commands/errorMessages';
import { describeMaintenanceFollow, describeMaintenanceStep, maintenanceConfirmLine } from '../../../src/vscode/deploy/progressText';

const A = 'a'.repeat(40);
const B = 'b'.repeat(40);
const staging = defaultEnvironment('spryker-staging');

describe('maintenance mode around a deploy, in words', () => {
  it('a concurrent deploy says which version really goes out and who wrote it; with maintenance left on, the action disables it', () => {
    const concurrent = { environment: 'spryker-staging', parameter: '/spryker-staging/desired_version', ours: A, theirs: B, executionId: 'e-1', by: 'jane.doe' };
    const plain = describeError(new DeployError('concurrent-deploy', 'Another deploy wrote it.', { concurrent }), 'Deploy commit');
    assert.equal(
      plain.message,
      'Deploy commit: another deploy got in first. spryker-staging will get bbbbbbb, not aaaaaaa: jane.doe wrote /spryker-staging/desired_version after this deploy did, and execution e-1 deploys what it holds. Nothing was undone (that would undo theirs); deploy aaaaaaa again once theirs is done.',
    );
    assert.equal(plain.action?.id, 'showLog');
    const inMaintenance = describeError(new DeployError('concurrent-deploy', 'x', { concurrent, maintenance: { environment: 'spryker-staging', on: true } }), 'Deploy commit');
    assert.match(inMaintenance.message, /theirs is done\. Maintenance mode of spryker-staging stays ON until you disable it\.$/);
    assert.deepEqual(inMaintenance.action, { id: 'disableMaintenance', label: 'Disable Maintenance' });
  });

  it('any error that left maintenance on offers Disable Maintenance; one that switched it back off does not', () => {
    const on = describeError(new DeployError('access-denied', 'Denied. Maintenance mode of spryker-prod stays ON: …', { maintenance: { environment: 'spryker-prod', on: true } }), 'Deploy');
    assert.equal(on.action?.id, 'disableMaintenance');
    const off = describeError(new DeployError('execution-active', 'Busy. The deploy never started, so …', { maintenance: { environment: 'spryker-prod', on: false } }), 'Deploy');
    assert.notEqual(off.action?.id, 'disableMaintenance');
    assert.equal(describeError(new DeployError('cancelled', 'x', { maintenance: { environment: 'spryker-prod', on: true } }), 'Deploy').silent, true);
  });

  it('each step is said in the progress notification; the confirmation offers it only when maintenance is off', () => {
    assert.equal(describeMaintenanceStep({ kind: 'enabling', pipeline: 'Maintenance_Enable_spryker-staging' }, staging), 'Step 1 of 3: switching maintenance mode on (Maintenance_Enable_spryker-staging)…');
    assert.equal(describeMaintenanceStep({ kind: 'deploying' }, staging), 'Step 2 of 3: deploying to spryker-staging…');
    assert.equal(
      describeMaintenanceFollow({ kind: 'awaiting-approval', approval: { pipelineName: 'p', stageName: 'Please_approve', actionName: 'Approval', token: 't', executionId: 'e' } }),
      'Step 2 of 3: waiting for approval in Please_approve; maintenance mode is on meanwhile',
    );
    assert.equal(describeMaintenanceStep({ kind: 'disabling', pipeline: 'Maintenance_Disable_spryker-staging', because: 'deployed' }, staging), 'Step 3 of 3: deployed; switching maintenance mode off (Maintenance_Disable_spryker-staging)…');
    assert.match(describeMaintenanceStep({ kind: 'disabling', pipeline: 'Maintenance_Disable_spryker-staging', because: 'not-started' }, staging), /^The deploy did not start: switching maintenance mode back off/);
    assert.match(maintenanceConfirmLine(staging, { kind: 'off' }, 'Deploy in Maintenance Mode') ?? '', /^“Deploy in Maintenance Mode” switches maintenance mode on/);
    assert.equal(maintenanceConfirmLine(staging, { kind: 'on', since: new Date(Date.UTC(2026, 10, 30, 9)), by: 'jane' }, undefined), 'Maintenance mode of spryker-staging is ON since 2026-11-30 09:00 UTC (by jane); this deploy leaves it on.');
    assert.equal(maintenanceConfirmLine(staging, { kind: 'unknown', reason: 'no pipelines' }, undefined), undefined);
  });
});
