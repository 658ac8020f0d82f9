import * as assert from 'node:assert/strict';
import type { EnvironmentService, MaintenanceSwitch } from '../../../src/core/api';
import { resolveEnvironment } from '../../../src/core/environments';
import { DeployError } from '../../../src/core/errors';
import type { MaintenanceMode } from '../../../src/core/maintenance';
import { deployInMaintenance, maintenanceNote, type MaintenanceDeployStep } from '../../../src/core/maintenanceDeploy';

const config = resolveEnvironment({ name: 'spryker-prod', region: 'eu-central-1' });

/** Maintenance mode as a flag, switched by fake pipelines that end as told. */
function fakeService(options: { on?: boolean; enableEnds?: string; disableEnds?: string; disableThrows?: boolean } = {}) {
  let on = options.on ?? false;
  const calls: MaintenanceMode[] = [];
  const service: Pick<EnvironmentService, 'config' | 'setMaintenance'> = {
    config,
    async setMaintenance(mode): Promise<MaintenanceSwitch> {
      calls.push(mode);
      const pipeline = mode === 'on' ? config.pipelines.maintenanceEnable : config.pipelines.maintenanceDisable;
      if ((mode === 'on') === on) return { mode, pipeline, already: true };
      if (mode === 'off' && options.disableThrows) throw new DeployError('throttled', 'Rate exceeded');
      const status = (mode === 'on' ? options.enableEnds : options.disableEnds) ?? 'Succeeded';
      if (status === 'Succeeded') on = mode === 'on';
      return { mode, pipeline, already: false, executionId: `${mode}-1`, status: status as MaintenanceSwitch['status'] };
    },
  };
  return { service, calls, isOn: () => on };
}

const ok = { start: async () => ({ executionId: 'x1' }), follow: async () => ({ status: 'Succeeded' }) };

describe('a deploy in maintenance mode', () => {
  it('switches maintenance on, deploys, follows and switches it off after success, saying each step', async () => {
    const fake = fakeService();
    const steps: MaintenanceDeployStep[] = [];
    const order: string[] = [];
    const done = await deployInMaintenance(
      fake.service,
      {
        start: async () => (order.push(`start (maintenance ${fake.isOn() ? 'on' : 'off'})`), { executionId: 'x1' }),
        follow: async () => (order.push('follow'), { status: 'Succeeded' }),
      },
      { onStep: (s) => steps.push(s) },
    );
    assert.deepEqual(order, ['start (maintenance on)', 'follow']);
    assert.deepEqual(fake.calls, ['on', 'off']);
    assert.equal(fake.isOn(), false);
    assert.deepEqual(done.maintenance, { kind: 'off', executionId: 'off-1' });
    assert.deepEqual(
      steps.map((s) => s.kind + ('because' in s ? `:${s.because}` : '')),
      ['enabling', 'enabled', 'deploying', 'disabling:deployed', 'disabled'],
    );
  });

  it('a maintenance switch that does not succeed stops everything before the deploy', async () => {
    const fake = fakeService({ enableEnds: 'Failed' });
    let started = false;
    await assert.rejects(
      deployInMaintenance(fake.service, { ...ok, start: async () => ((started = true), { executionId: 'x' }) }),
      (e: DeployError) => e.kind === 'aws' && /could not be switched on \(Maintenance_Enable_spryker-prod Failed\); nothing was deployed/.test(e.message),
    );
    assert.equal(started, false);
  });

  it('a deploy that never started (refused): maintenance is switched back off, and the error says so', async () => {
    const fake = fakeService();
    await assert.rejects(
      deployInMaintenance(fake.service, { ...ok, start: () => Promise.reject(new DeployError('execution-active', 'NORMAL_Deploy_Spryker_spryker-prod already has execution e9 in progress.')) }),
      (e: DeployError) => {
        assert.equal(e.kind, 'execution-active');
        assert.equal(e.message, 'NORMAL_Deploy_Spryker_spryker-prod already has execution e9 in progress. The deploy never started, so maintenance mode of spryker-prod was switched back off (Maintenance_Disable_spryker-prod).');
        assert.deepEqual(maintenanceNote(e), { environment: 'spryker-prod', on: false });
        return true;
      },
    );
    assert.equal(fake.isOn(), false);
  });

  it('a deploy that never started, with maintenance on before it: left on, and said', async () => {
    const fake = fakeService({ on: true });
    await assert.rejects(deployInMaintenance(fake.service, { ...ok, start: () => Promise.reject(new DeployError('missing-images', 'No image.')) }), (e: DeployError) => {
      assert.match(e.message, /^No image\. Maintenance mode of spryker-prod stays ON: it was on before this deploy, so it was left on\.$/);
      assert.deepEqual(maintenanceNote(e), { environment: 'spryker-prod', on: true });
      return true;
    });
    assert.deepEqual(fake.calls, ['on']);
    assert.equal(fake.isOn(), true);
  });

  it('switching back off fails: maintenance stays ON and the error says why', async () => {
    const fake = fakeService({ disableThrows: true });
    await assert.rejects(deployInMaintenance(fake.service, { ...ok, start: () => Promise.reject(new DeployError('execution-active', 'Busy.')) }), (e: DeployError) => {
      assert.equal(e.message, 'Busy. Maintenance mode of spryker-prod stays ON: the deploy never started, but switching it back off failed (Rate exceeded).');
      assert.equal(maintenanceNote(e)?.on, true);
      return true;
    });
  });

  it('a concurrent deploy whose execution runs, or a start whose outcome is unknown: maintenance stays ON', async () => {
    for (const error of [new DeployError('concurrent-deploy', 'Another deploy wrote it.'), new DeployError('start-failed', 'No answer.')]) {
      const fake = fakeService();
      await assert.rejects(deployInMaintenance(fake.service, { ...ok, start: () => Promise.reject(error) }), (e: DeployError) => e.kind === error.kind && /stays ON/.test(e.message) && maintenanceNote(e)?.on === true);
      assert.deepEqual(fake.calls, ['on'], `${error.kind}: not switched off`);
    }
    // A start that failed and was restored: nothing runs, so it is switched back off.
    const restored = fakeService();
    const failed = new DeployError('start-failed', 'Start failed.', { restored: { ok: true, parameter: '/p', value: 'v' } });
    await assert.rejects(deployInMaintenance(restored.service, { ...ok, start: () => Promise.reject(failed) }), (e: DeployError) => maintenanceNote(e)?.on === false);
    assert.equal(restored.isOn(), false);
  });

  it('a deploy that started and failed, was rejected, or was no longer followed: maintenance stays ON with the reason', async () => {
    const rejected = fakeService();
    const r = await deployInMaintenance(rejected.service, { ...ok, follow: async () => ({ status: 'Failed', summary: 'Rejected by jane: not today.' }) });
    assert.deepEqual(r.maintenance, { kind: 'left-on', reason: 'the deploy ended Failed (Rejected by jane: not today).' });
    assert.equal(rejected.isOn(), true);
    const stopped = fakeService();
    assert.equal((await deployInMaintenance(stopped.service, { ...ok, follow: async () => undefined })).maintenance.kind, 'left-on');
    assert.equal(stopped.isOn(), true);
    const lost = fakeService();
    await assert.rejects(deployInMaintenance(lost.service, { ...ok, follow: () => Promise.reject(new DeployError('access-denied', 'Denied.')) }), (e: DeployError) => /^Denied\. Maintenance mode of spryker-prod stays ON/.test(e.message));
    assert.equal(lost.isOn(), true);
  });

  it('deployed, but switching off failed: maintenance stays ON and the result says so', async () => {
    const fake = fakeService({ disableEnds: 'Failed' });
    const r = await deployInMaintenance(fake.service, ok);
    assert.deepEqual(r.maintenance, { kind: 'left-on', reason: 'the deploy succeeded, but switching it off failed (Maintenance_Disable_spryker-prod ended Failed).' });
  });
});
