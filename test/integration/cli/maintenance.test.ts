// spryker-deploy maintenance on|off|status and deploy --maintenance against the sandbox's Maintenance_Enable_ and
// Maintenance_Disable_ pipelines.

import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAwsPortsFactory } from '../../../src/aws';
import { createCoreCaches } from '../../../src/core/caches';
import { createEnvironmentService } from '../../../src/core/environmentService';
import { resolveEnvironment } from '../../../src/core/environments';
import { startSandbox, type Sandbox } from '../../../src/sandbox';
import { runCli } from './cliRunner';

describe('spryker-deploy maintenance', function () {
  this.timeout(120_000);
  let sandbox: Sandbox;
  let home: string;
  const cli = (args: string[]) => runCli(sandbox, home, args, home);
  const maintenanceOn = (env: string) => sandbox.inspect.summary().find((e) => e.name === env)!.maintenance;
  const pipeline = (name: string) => sandbox.inspect.summary().flatMap((e) => Object.entries(e.pipelines)).find(([n]) => n === name)![1];
  const staging = () => {
    const config = resolveEnvironment({ name: 'spryker-staging', endpoint: sandbox.endpoint, region: sandbox.region });
    return createEnvironmentService(config, createAwsPortsFactory({ credentials: sandbox.credentials })(config), { caches: createCoreCaches(), pollMs: 50 });
  };
  async function waitUntil(what: string, ok: () => boolean): Promise<void> {
    for (let i = 0; i < 600; i++) {
      if (ok()) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`timed out waiting until ${what}`);
  }
  const waitForApproval = (name: string) => waitUntil(`${name} waits for approval`, () => sandbox.inspect.pendingApproval(name) !== undefined);
  /** Ends another deploy's execution so the next test starts from a quiet pipeline. */
  async function stopOther(executionId: string): Promise<void> {
    await staging().stop(executionId, 'test cleanup');
    await waitUntil('the other execution ended', () => pipeline('NORMAL_Deploy_Spryker_spryker-staging').status !== 'InProgress' && pipeline('NORMAL_Deploy_Spryker_spryker-staging').status !== 'Stopping');
  }

  before(async () => {
    home = mkdtempSync(join(tmpdir(), 'sd-cli-maintenance-'));
    sandbox = await startSandbox({ stageSeconds: 0.1, seed: 29 });
  });
  after(async () => {
    await sandbox.stop();
    rmSync(home, { recursive: true, force: true });
  });

  it('status reads off (never enabled); on switches it on and says who; on again starts nothing; off switches it off', async () => {
    const first = await cli(['maintenance', 'status', '--env', 'spryker-staging']);
    assert.equal(first.code, 0, first.stderr);
    assert.equal(first.stdout.trim(), 'spryker-staging: maintenance off (never enabled)');

    const on = await cli(['maintenance', 'on', '--env', 'spryker-staging', '--poll', '0.05']);
    assert.equal(on.code, 0, on.stderr);
    assert.match(on.stderr, /started Maintenance_Enable_spryker-staging/);
    assert.match(on.stdout.trim(), /^[0-9a-f-]{36} Succeeded$/);
    assert.equal(maintenanceOn('spryker-staging'), true);
    const status = await cli(['maintenance', 'status', '--env', 'spryker-staging', '--json']);
    const state = JSON.parse(status.stdout).maintenance;
    assert.equal(state.kind, 'on');
    assert.equal(state.by, 'test');
    assert.match((await cli(['maintenance', 'status', '--env', 'spryker-staging'])).stdout, /^spryker-staging: maintenance on since \d{4}-\d\d-\d\d \d\d:\d\d UTC \(by test\)$/m);

    const again = await cli(['maintenance', 'on', '--env', 'spryker-staging']);
    assert.equal(again.code, 0);
    assert.equal(again.stdout.trim(), 'already on');

    const off = await cli(['maintenance', 'off', '--env', 'spryker-staging', '--poll', '0.05']);
    assert.equal(off.code, 0, off.stderr);
    assert.equal(maintenanceOn('spryker-staging'), false);
    assert.match((await cli(['maintenance', 'status', '--env', 'spryker-staging'])).stdout, /maintenance off since .* \(by test\)/);
  });

  it('production needs --yes without a terminal; bad usage changes nothing', async () => {
    const refused = await cli(['maintenance', 'on', '--env', 'spryker-prod']);
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /--yes/);
    const bad = await cli(['maintenance', 'maybe', '--env', 'spryker-prod']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /maintenance on\|off\|status/);
    assert.equal(maintenanceOn('spryker-prod'), false);
  });

  it('deploy --maintenance: on before the deploy, off after it succeeded', async () => {
    const version = sandbox.inspect.commits()[3].sha;
    const deploying = cli(['deploy', version, '--env', 'spryker-staging', '--maintenance', '--poll', '0.05']);
    // Approve once the deploy waits: maintenance is on by then.
    let approval;
    for (let i = 0; i < 400 && !(approval = sandbox.inspect.pendingApproval('NORMAL_Deploy_Spryker_spryker-staging')); i++) await new Promise((r) => setTimeout(r, 50));
    assert.ok(approval, 'the deploy reached its approval');
    assert.equal(maintenanceOn('spryker-staging'), true, 'maintenance is on while the deploy runs');
    const approve = await cli(['approve', '--env', 'spryker-staging', '--comment', 'in maintenance']);
    assert.equal(approve.code, 0, approve.stderr);
    const d = await deploying;
    assert.equal(d.code, 0, d.stderr);
    assert.match(
      d.stderr,
      /Switching maintenance mode of spryker-staging on \(Maintenance_Enable_spryker-staging\)…\nMaintenance mode of spryker-staging is on \(execution [0-9a-f-]{36}\)\.\nDeploying [0-9a-f]{7} to spryker-staging in maintenance mode\.[\s\S]*Deployed: switching maintenance mode of spryker-staging off \(Maintenance_Disable_spryker-staging\)…\nMaintenance mode of spryker-staging is off\./,
    );
    assert.equal(maintenanceOn('spryker-staging'), false);
    assert.equal(sandbox.inspect.parameter('/spryker-staging/lastdeployedversion'), version);
  });

  it('deploy --maintenance that is rejected: maintenance stays ON, and stderr says so and how to switch it off', async () => {
    const version = sandbox.inspect.commits()[2].sha;
    const deploying = cli(['deploy', version, '--env', 'spryker-staging', '--maintenance', '--poll', '0.05']);
    await waitForApproval('NORMAL_Deploy_Spryker_spryker-staging');
    const reject = await cli(['reject', '--env', 'spryker-staging', '--comment', 'not today']);
    assert.equal(reject.code, 0, reject.stderr);
    const d = await deploying;
    assert.notEqual(d.code, 0);
    assert.match(d.stderr, /Maintenance mode of spryker-staging stays ON: the deploy ended Failed \(.*not today.*\)\. Switch it off with: spryker-deploy maintenance off --env spryker-staging$/m);
    assert.equal(maintenanceOn('spryker-staging'), true, 'maintenance stays on after the rejection');
    assert.equal((await cli(['maintenance', 'off', '--env', 'spryker-staging', '--poll', '0.05'])).code, 0);
    assert.equal(maintenanceOn('spryker-staging'), false);
  });

  it('deploy --maintenance while another deploy runs is refused before maintenance is switched on', async () => {
    const other = await staging().deploy(sandbox.inspect.commits()[1].sha, { supersede: true, allowMissingImages: true });
    try {
      const enableBefore = pipeline('Maintenance_Enable_spryker-staging').executionId;
      const d = await cli(['deploy', sandbox.inspect.commits()[3].sha, '--env', 'spryker-staging', '--maintenance', '--poll', '0.05']);
      assert.equal(d.code, 1, d.stderr);
      assert.match(d.stderr, new RegExp(`already has execution ${other.executionId} in progress .*: nothing was switched and nothing deployed\\. Add --supersede`));
      assert.equal(pipeline('Maintenance_Enable_spryker-staging').executionId, enableBefore, 'no maintenance switch started');
      assert.equal(maintenanceOn('spryker-staging'), false);
    } finally {
      await stopOther(other.executionId);
    }
  });

  it('deploy --maintenance that meets a concurrent deploy after switching maintenance on: it never started, so maintenance is switched back off, and stderr says so', async () => {
    sandbox.control.setStageSeconds(1);
    let otherId: string | undefined;
    try {
      const enableBefore = pipeline('Maintenance_Enable_spryker-staging').executionId;
      const deploying = cli(['deploy', sandbox.inspect.commits()[3].sha, '--env', 'spryker-staging', '--maintenance', '--poll', '0.05']);
      // A colleague's deploy starts while maintenance is being switched on (after the CLI's own check).
      await waitUntil('Maintenance_Enable_ runs', () => {
        const p = pipeline('Maintenance_Enable_spryker-staging');
        return p.executionId !== enableBefore && p.status === 'InProgress';
      });
      otherId = (await staging().deploy(sandbox.inspect.commits()[1].sha, { supersede: true, allowMissingImages: true })).executionId;
      const d = await deploying;
      assert.equal(d.code, 1, d.stderr);
      assert.match(d.stderr, /Maintenance mode of spryker-staging is on \(execution/);
      assert.match(d.stderr, /The deploy did not start: switching maintenance mode of spryker-staging back off \(Maintenance_Disable_spryker-staging\)…\nMaintenance mode of spryker-staging is off\./);
      assert.match(
        d.stderr,
        new RegExp(`spryker-deploy deploy: .*already has execution ${otherId} in progress.* The deploy never started, so maintenance mode of spryker-staging was switched back off \\(Maintenance_Disable_spryker-staging\\)\\.$`, 'm'),
      );
      assert.equal(pipeline('Maintenance_Disable_spryker-staging').status, 'Succeeded');
      assert.equal(maintenanceOn('spryker-staging'), false, 'maintenance is off again');
    } finally {
      sandbox.control.setStageSeconds(0.1);
      if (otherId) await stopOther(otherId);
    }
  });
});
