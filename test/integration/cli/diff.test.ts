// spryker-deploy diff, and the risk lines of rollback/deploy, over a real Spryker-like Git repository (the demo's
// history: a module upgrade, a schema change, a deploy.yml change) and the sandbox deploying from it.

import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SHOP_HISTORY, writeShopHistory } from '../../../scripts/harness/sprykerShop';
import { startSandbox, type Sandbox } from '../../../src/sandbox';
import { runCli } from './cliRunner';

const index = (subject: string) => SHOP_HISTORY.findIndex((c) => c.subject.startsWith(subject));

describe('spryker-deploy diff and risk lines', function () {
  this.timeout(120_000);
  let sandbox: Sandbox;
  let home: string;
  let repo: string;
  let shas: string[];

  before(async () => {
    home = mkdtempSync(join(tmpdir(), 'sd-cli-diff-'));
    repo = join(home, 'shop');
    shas = writeShopHistory(repo);
    sandbox = await startSandbox({ stageSeconds: 0.1, seed: 17, repo });
  });
  after(async () => {
    await sandbox.stop();
    rmSync(home, { recursive: true, force: true });
  });

  const cli = (args: string[], cwd = repo) => runCli(sandbox, home, args, cwd);

  it('diff --json lists the module upgrade with versions, the schema file and deploy.yml', async () => {
    const from = shas[index('Configure Redis')];
    const to = shas[index('Raise Zed memory')];
    const r = await cli(['diff', from, to, '--json']);
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    assert.equal(out.commits.length, 3);
    const ids = out.risk.categories.map((c: { id: string }) => c.id);
    assert.deepEqual(ids, ['schema', 'modules', 'deploy', 'dependencies']);
    const modules = out.risk.categories[1].modules;
    assert.deepEqual(modules.find((m: { name: string }) => m.name === 'spryker/cart'), { name: 'spryker/cart', from: '7.12.0', to: '8.0.0', change: 'upgrade', major: true });
    assert.deepEqual(out.risk.categories[0].files, ['src/Pyz/Zed/Sales/Persistence/Propel/Schema/spy_sales.schema.xml']);
    assert.equal(out.risk.rollbackWarning, null);
    assert.match(out.risk.line, /^Risk: database schema \(1 file\), 2 Spryker modules \(1 major\), deploy configuration \(1 file\), 1 other dependency\.$/);
  });

  it('diff backwards (a rollback) warns about the schema change and shows downgrades', async () => {
    const r = await cli(['diff', shas[index('Add delivery date')], shas[index('Configure Redis')]]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Warning: this rollback crosses a database schema change \(src\/Pyz\/Zed\/Sales\/Persistence\/Propel\/Schema\/spy_sales\.schema\.xml\): the database stays migrated/);
    assert.match(r.stdout, /spryker\/cart 8\.0\.0 → 7\.12\.0 \(major\) \(downgrade\)/);
  });

  it('diff of two harmless commits says nothing risky changed', async () => {
    const r = await cli(['diff', shas[index('Search facets')], shas[index('Bump frontend')]]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /1 commit\(s\), 1 file\(s\) changed\nNothing risky changed/);
  });

  it('diff refuses a short hash (exit 2) and a commit the repository lacks (exit 1), one line each', async () => {
    const bad = await cli(['diff', 'abc123', shas[0]]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr.trim(), /^spryker-deploy diff: .*full 40-character/);
    const missing = await cli(['diff', 'f'.repeat(40), shas[0]]);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr.trim(), /^spryker-deploy diff: .* does not have fffffff/);
  });

  it('rollback of production across the schema change prints the warning before anything is written', async () => {
    const running = sandbox.inspect.parameter('/spryker-prod/last_deployed_version');
    assert.equal(running, shas[index('Add delivery date')], 'the sandbox deployed production to the schema change');
    const target = shas[index('Configure Redis')];
    const r = await cli(['rollback', '--env', 'spryker-prod', '--to', target, '--no-follow']);
    // No terminal and no --yes: refused, so the warning was printed and nothing changed.
    assert.equal(r.code, 2);
    assert.match(r.stderr, /Risk: database schema \(1 file\), 2 Spryker modules \(1 major\)/);
    assert.match(r.stderr, /Warning: this rollback crosses a database schema change/);
    assert.equal(sandbox.inspect.parameter('/spryker-prod/desired_version'), running);
  });

  it('compare --json: versions, the commits staging has and prod lacks, files, risk and per-service images', async () => {
    const r = await cli(['compare', 'spryker-staging', 'spryker-prod', '--json']);
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    assert.equal(out.sourceVersion, shas[index('Add CMS block')]);
    assert.equal(out.targetVersion, shas[index('Add delivery date')]);
    assert.deepEqual(out.commits.sourceOnly.map((c: { subject: string }) => c.subject), ['Add CMS block for the home page teaser', 'Raise Zed memory limit in deploy.yml']);
    assert.deepEqual(out.commits.targetOnly, []);
    assert.deepEqual(out.files.map((f: { path: string }) => f.path).sort(), ['data/import/common/common/cms_block.csv', 'deploy.yml']);
    assert.match(out.risk.line, /deploy configuration \(1 file\), data import \(1 file\)/);
    const zed = out.services.find((s: { role: string }) => s.role === 'zed');
    assert.deepEqual(zed, { role: 'zed', source: [shas[index('Add CMS block')]], target: [shas[index('Add delivery date')]], same: false });
  });

  it('promote staging → prod deploys exactly what staging runs; after approval prod runs it; promoting again is refused', async () => {
    const stagingVersion = sandbox.inspect.parameter('/spryker-staging/lastdeployedversion');
    const started = await cli(['promote', '--from', 'spryker-staging', '--yes']);
    assert.equal(started.code, 0, started.stderr);
    assert.match(started.stderr, new RegExp(`Promoting spryker-staging → spryker-prod: .* → ${stagingVersion} \\(2 commit\\(s\\) spryker-prod lacks, 2 file\\(s\\) differ\\)`));
    assert.match(started.stderr, /Risk: deploy configuration \(1 file\), data import \(1 file\)/);
    assert.equal(sandbox.inspect.parameter('/spryker-prod/desired_version'), stagingVersion);
    // While prod waits for approval a second promote is refused, with the reason, and changes nothing.
    const again = await cli(['promote', '--from', 'spryker-staging', '--yes']);
    assert.equal(again.code, 1);
    assert.match(again.stderr.trim(), /^spryker-deploy promote: Refused to promote spryker-staging → spryker-prod, nothing was changed: spryker-prod has execution .* running or waiting/);
    const approved = await cli(['approve', '--env', 'spryker-prod', '--yes', '--wait', '--poll', '0.2']);
    assert.equal(approved.code, 0, approved.stderr);
    assert.equal(sandbox.inspect.parameter('/spryker-prod/last_deployed_version'), stagingVersion);
    const same = await cli(['promote', '--from', 'spryker-staging', '--yes']);
    assert.equal(same.code, 1);
    assert.match(same.stderr, /spryker-prod already runs/);
  });
});

describe('sandbox reset onto a Git repository (control API)', function () {
  this.timeout(60_000);
  it('takes the commits of the repository, refuses an unreadable one without changing anything, and goes back to generated commits', async () => {
    const home = mkdtempSync(join(tmpdir(), 'sd-reset-'));
    const sandbox = await startSandbox({ stageSeconds: 0.1, seed: 5 });
    try {
      const generated = sandbox.inspect.commits().map((c) => c.sha);
      const shas = writeShopHistory(join(home, 'shop'));
      const post = (body: unknown) => fetch(`${sandbox.endpoint}/_sandbox/reset`, { method: 'POST', headers: { 'x-sandbox-control': '1', 'content-type': 'application/json' }, body: JSON.stringify(body) });
      assert.equal((await post({ repo: join(home, 'shop') })).status, 200);
      assert.deepEqual(sandbox.inspect.commits().map((c) => c.sha), [...shas].reverse());
      const bad = await post({ repo: join(home, 'nothing-here') });
      assert.equal(bad.status, 400);
      assert.match(((await bad.json()) as { error: string }).error, /Cannot read the commit history/);
      assert.deepEqual(sandbox.inspect.commits().map((c) => c.sha), [...shas].reverse());
      assert.equal((await post({ repo: 42 })).status, 400);
      assert.equal((await post({ repo: null })).status, 200);
      assert.deepEqual(sandbox.inspect.commits().map((c) => c.sha), generated);
    } finally {
      await sandbox.stop();
      rmSync(home, { recursive: true, force: true });
    }
  });
});
