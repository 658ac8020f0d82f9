// spryker-deploy maintenance on|off|status and deploy --maintenance against the sandbox's Maintenance_Enable_ and
// Maintenance_Disable_ pipelines.

import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSandbox, type Sandbox } from '../../../src/sandbox';
import { runCli } from './cliRunner';

describe('spryker-deploy maintenance', function () {
  this.timeout(120_000);
  let sandbox: Sandbox;
  let home: string;
  const cli = (args: string[]) => runCli(sandbox, home, args, home);
  const maintenanceOn = (env: string) => sandbox.inspect.summary().find((e) => e.name === env)!.maintenance;

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
    assert.match(d.stderr, /Switching maintenance mode of spryker-staging on[\s\S]*Switching maintenance mode of spryker-staging off/);
    assert.equal(maintenanceOn('spryker-staging'), false);
    assert.equal(sandbox.inspect.parameter('/spryker-staging/lastdeployedversion'), version);
  });
});
