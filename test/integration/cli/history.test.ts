// spryker-deploy history against the sandbox over a real Git repository: each execution's version with its commit
// subject, who started it, who approved or rejected it with the comment, and how it ended.

import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SHOP_HISTORY, writeShopHistory } from '../../../scripts/harness/sprykerShop';
import { startSandbox, type Sandbox } from '../../../src/sandbox';
import { runCli } from './cliRunner';

interface HistoryJson {
  executionId: string;
  status: string;
  version: string | null;
  subject: string | null;
  startedBy: string | null;
  finishedAt: string | null;
  durationMs: number | null;
  ended: string;
  decisions: { decision: string; by: string | null; comment: string | null }[];
  stages: { name: string; status: string; durationMs: number | null }[];
}

describe('spryker-deploy history', function () {
  this.timeout(120_000);
  let sandbox: Sandbox;
  let home: string;
  let repo: string;
  let shas: string[];
  const cli = (args: string[]) => runCli(sandbox, home, args, repo);
  const subjectOf = (sha: string) => SHOP_HISTORY[shas.indexOf(sha)]?.subject;

  before(async () => {
    home = mkdtempSync(join(tmpdir(), 'sd-cli-history-'));
    repo = join(home, 'shop');
    shas = writeShopHistory(repo);
    sandbox = await startSandbox({ stageSeconds: 0.1, seed: 23, repo });
  });
  after(async () => {
    await sandbox.stop();
    rmSync(home, { recursive: true, force: true });
  });

  it('prints each execution with its version, subject, approver and comment, and how it ended (rejected, deployed)', async () => {
    const rejectedVersion = shas[3];
    const deployedVersion = shas[4];
    assert.equal((await cli(['deploy', rejectedVersion, '--env', 'spryker-staging', '--poll', '0.05'])).code, 0);
    const r = await cli(['reject', '--env', 'spryker-staging', '--comment', 'not before the sale', '--poll', '0.05']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal((await cli(['deploy', deployedVersion, '--env', 'spryker-staging', '--poll', '0.05'])).code, 0);
    const a = await cli(['approve', '--env', 'spryker-staging', '--comment', 'checked on staging', '--wait', '--poll', '0.05']);
    assert.equal(a.code, 0, a.stderr);

    const json = await cli(['history', '--env', 'spryker-staging', '--json', '--max', '5']);
    assert.equal(json.code, 0, json.stderr);
    const [deployed, rejected, ...older] = JSON.parse(json.stdout).executions as HistoryJson[];
    assert.equal(deployed.version, deployedVersion);
    assert.equal(deployed.subject, subjectOf(deployedVersion));
    assert.equal(deployed.ended, 'deployed');
    assert.equal(deployed.startedBy, 'test');
    assert.deepEqual(deployed.decisions.map((d) => [d.decision, d.by, d.comment]), [['Approved', 'test', 'checked on staging']]);
    assert.ok(deployed.finishedAt && deployed.durationMs! > 0);
    assert.ok(deployed.stages.some((s) => s.name === 'Run_install' && s.status === 'Succeeded' && s.durationMs! > 0));
    assert.equal(rejected.version, rejectedVersion);
    assert.equal(rejected.ended, 'rejected by test: not before the sale');
    // The sandbox's own past: deployed by the people who started and approved them.
    assert.ok(older.length > 0);
    for (const e of older) {
      assert.ok(e.version && e.subject, `version and subject of ${e.executionId}`);
      assert.match(e.startedBy ?? '', /^(jane\.doe|john\.smith)$/);
      assert.match(e.decisions[0]?.by ?? '', /^(jane\.doe|john\.smith)$/);
    }

    const text = await cli(['history', '--env', 'spryker-staging', '--max', '2']);
    assert.equal(text.code, 0, text.stderr);
    const lines = text.stdout.split('\n');
    assert.match(lines[0], new RegExp(`^\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d UTC  ${deployedVersion.slice(0, 7)} ${subjectOf(deployedVersion)}  — deployed$`));
    assert.match(lines[1], /started by test · finished .* UTC · took \d+ s · result Succeeded/);
    assert.match(lines[2], /approved by test at .*: checked on staging/);
    assert.ok(lines.some((l) => l.includes(`${rejectedVersion.slice(0, 7)} ${subjectOf(rejectedVersion)}  — rejected by test: not before the sale`)));
  });

  it('a superseded execution says so, with the version it proposed', async () => {
    assert.equal((await cli(['deploy', shas[5], '--env', 'spryker-prod', '--poll', '0.05', '--yes'])).code, 0);
    assert.equal((await cli(['deploy', shas[6], '--env', 'spryker-prod', '--poll', '0.05', '--yes', '--supersede'])).code, 0);
    const list = JSON.parse((await cli(['history', '--env', 'spryker-prod', '--json', '--max', '2'])).stdout).executions as HistoryJson[];
    assert.equal(list[1].ended, 'superseded');
    assert.equal(list[1].version, shas[5]);
    assert.equal(list[0].ended, 'waiting for approval');
  });
});
