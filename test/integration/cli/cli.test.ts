// spryker-deploy end to end: a separate process, the real SDK, the sandbox over HTTP; exit codes and output.

import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutParameterCommand } from '@aws-sdk/client-ssm';
import { clients } from '../sandbox/helpers';
import { startSandbox, type Sandbox } from '../../../src/sandbox';
import { runCli, type CliResult } from './cliRunner';

type Result = CliResult;

describe('spryker-deploy CLI against the sandbox', function () {
  this.timeout(120_000);
  let sandbox: Sandbox;
  let home: string;

  before(async () => {
    sandbox = await startSandbox({ stageSeconds: 0.1, seed: 11 });
    home = mkdtempSync(join(tmpdir(), 'sd-cli-it-'));
  });
  after(async () => {
    await sandbox.stop();
    rmSync(home, { recursive: true, force: true });
  });
  afterEach(() => sandbox.control.clearFaults());

  const cli = (args: string[], extraEnv: Record<string, string> = {}, cwd = home): Promise<Result> => runCli(sandbox, home, args, cwd, { extraEnv });

  /** A failure is one line, the last on stderr (progress lines may come before it). */
  function oneLine(r: Result): string {
    const lines = r.stderr.trim().split('\n');
    const failures = lines.filter((l) => l.startsWith('spryker-deploy '));
    assert.equal(failures.length, 1, `exactly one failure line on stderr, got:\n${r.stderr}`);
    assert.equal(lines.at(-1), failures[0]);
    return failures[0];
  }

  function deployableVersion(env: string): string {
    const deployed = sandbox.inspect.parameter(env === 'spryker-prod' ? '/spryker-prod/last_deployed_version' : '/spryker-staging/lastdeployedversion');
    const desired = sandbox.inspect.parameter(`/${env}/desired_version`);
    // The two newest commits have no images yet in the default world.
    const c = sandbox.inspect.commits().slice(2).find((x) => x.sha !== deployed && x.sha !== desired);
    return c!.sha;
  }

  it('status --json prints the documented shape for every configured environment', async () => {
    writeFileSync(join(home, '.spryker-deploy.json'), JSON.stringify({ environments: [{ name: 'spryker-staging' }, { name: 'spryker-prod' }] }));
    try {
      const r = await cli(['status', '--json']);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stderr, '');
      const json = JSON.parse(r.stdout);
      assert.deepEqual(json.environments.map((e: { name: string }) => e.name), ['spryker-staging', 'spryker-prod']);
      for (const env of json.environments) {
        assert.match(env.desiredVersion, /^[0-9a-f]{40}$/);
        assert.match(env.lastDeployedVersion, /^[0-9a-f]{40}$/);
        assert.equal(typeof env.pipeline.name, 'string');
        assert.equal(typeof env.pipeline.status, 'string');
        assert.ok(Array.isArray(env.pipeline.stages) && env.pipeline.stages.length > 5);
        assert.ok('pendingApproval' in env.pipeline);
        assert.deepEqual(env.errors, []);
        for (const s of env.services) {
          assert.equal(typeof s.name, 'string');
          assert.equal(typeof s.desiredCount, 'number');
          assert.equal(typeof s.runningCount, 'number');
          assert.equal(s.images[0].tag, env.lastDeployedVersion);
          assert.equal(typeof s.images[0].container, 'string');
          assert.equal(typeof s.tasks[0].id, 'string');
          assert.equal(s.tasks[0].images[0].tag, env.lastDeployedVersion);
        }
      }
    } finally {
      rmSync(join(home, '.spryker-deploy.json'));
    }
  });

  it('approve/reject shows the version desired_version holds now, and flags a comparison log that says otherwise', async () => {
    const logged = deployableVersion('spryker-staging');
    const d = await cli(['deploy', logged, '--env', 'spryker-staging', '--supersede', '--poll', '0.05']);
    assert.equal(d.code, 0, d.stderr);
    // Another deploy writes desired_version after the comparison log was printed.
    const now = sandbox.inspect.commits().slice(2).find((c) => c.sha !== logged)!.sha;
    await clients(sandbox).ssm.send(new PutParameterCommand({ Name: '/spryker-staging/desired_version', Value: now, Overwrite: true }));
    const r = await cli(['reject', '--env', 'spryker-staging', '--json', '--comment', 'checked']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, new RegExp(`deploys\\s+${now}`));
    assert.match(r.stderr, new RegExp(`comparison log shows ${logged}, but /spryker-staging/desired_version now holds ${now}`));
    assert.equal(JSON.parse(r.stdout).version, now);
  });

  it('refuses a short hash: exit 2, one line', async () => {
    const r = await cli(['deploy', '1a2b3c4', '--env', 'spryker-staging']);
    assert.equal(r.code, 2);
    assert.match(oneLine(r), /full 40-character/);
  });

  it('refuses production without --yes when there is no terminal, writing nothing', async () => {
    const before = sandbox.inspect.parameter('/spryker-prod/desired_version');
    const r = await cli(['deploy', deployableVersion('spryker-prod'), '--env', 'spryker-prod']);
    assert.equal(r.code, 2);
    assert.match(oneLine(r), /--yes/);
    assert.equal(sandbox.inspect.parameter('/spryker-prod/desired_version'), before);
  });

  it('deploys to the approval, approves and waits for the end; history shows it', async () => {
    const version = deployableVersion('spryker-prod');
    const d = await cli(['deploy', version, '--env', 'spryker-prod', '--yes', '--poll', '0.05']);
    assert.equal(d.code, 0, d.stderr);
    assert.match(d.stderr, /Waiting for approval/);
    assert.match(d.stdout.trim(), /^[0-9a-f-]{36} AwaitingApproval$/);
    const executionId = d.stdout.trim().split(' ')[0];
    const again = await cli(['deploy', deployableVersion('spryker-prod'), '--env', 'spryker-prod', '--yes']);
    assert.equal(again.code, 1);
    assert.match(oneLine(again), /supersede/);
    const a = await cli(['approve', '--env', 'spryker-prod', '--yes', '--comment', 'ok from CI', '--wait', '--poll', '0.05']);
    assert.equal(a.code, 0, a.stderr);
    assert.match(a.stderr, new RegExp(`deploys\\s+${version}`));
    assert.equal(a.stdout.trim(), `${executionId} Succeeded`);
    assert.equal(sandbox.inspect.parameter('/spryker-prod/last_deployed_version'), version);
    const h = await cli(['history', '--env', 'spryker-prod', '--json', '--max', '3']);
    assert.equal(h.code, 0);
    assert.equal(JSON.parse(h.stdout).executions[0].executionId, executionId);
  });

  it('rejects: exit 0 for the decision, and the followed execution fails with exit 3', async () => {
    const d = await cli(['deploy', deployableVersion('spryker-staging'), '--env', 'spryker-staging', '--poll', '0.05']);
    assert.equal(d.code, 0, d.stderr);
    const r = await cli(['reject', '--env', 'spryker-staging', '--comment', 'wrong build', '--wait', '--poll', '0.05']);
    assert.equal(r.code, 3, r.stderr);
    assert.match(r.stdout, /Failed/);
    const none = await cli(['approve', '--env', 'spryker-staging']);
    assert.equal(none.code, 1);
    assert.match(oneLine(none), /No approval is waiting/);
  });

  it('after a reject, reject and status say desired_version still holds it, and restore puts the deployed version back', async () => {
    const version = deployableVersion('spryker-staging');
    const d = await cli(['deploy', version, '--env', 'spryker-staging', '--supersede', '--poll', '0.05']);
    assert.equal(d.code, 0, d.stderr);
    const deployed = sandbox.inspect.parameter('/spryker-staging/lastdeployedversion');
    const r = await cli(['reject', '--env', 'spryker-staging', '--comment', 'not today', '--wait', '--poll', '0.05']);
    assert.equal(r.code, 3, r.stderr);
    assert.match(r.stderr, new RegExp(`/spryker-staging/desired_version still holds ${version.slice(0, 7)}, the version just rejected; ${deployed!.slice(0, 7)} is deployed, .*Put it back with: spryker-deploy restore --env spryker-staging`));
    const s = await cli(['status', '--env', 'spryker-staging']);
    assert.equal(s.code, 0, s.stderr);
    assert.match(s.stdout, /pipeline {2}NORMAL_Deploy_Spryker_spryker-staging: Rejected /);
    assert.match(s.stdout, /outcome {3}Rejected by .*: not today/);
    assert.match(s.stdout, /desired_version still holds .*; put it back with: spryker-deploy restore --env spryker-staging/);
    const back = await cli(['restore', '--env', 'spryker-staging', '--json']);
    assert.equal(back.code, 0, back.stderr);
    assert.deepEqual(JSON.parse(back.stdout), { environment: 'spryker-staging', parameter: '/spryker-staging/desired_version', version: deployed, previous: version, changed: true });
    assert.equal(sandbox.inspect.parameter('/spryker-staging/desired_version'), deployed);
    const again = await cli(['restore', '--env', 'spryker-staging']);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /already holds the deployed version/);
  });

  it('rollback --list and rollback to the previous version', async () => {
    const list = await cli(['rollback', '--env', 'spryker-prod', '--list', '--json']);
    assert.equal(list.code, 0, list.stderr);
    const candidates = JSON.parse(list.stdout).candidates;
    assert.equal(candidates[0].current, true);
    const target = candidates.find((c: { current: boolean }) => !c.current).version;
    // Who deployed each version: the people of the execution that deployed it, not the build role that wrote the
    // parameter (what AWS's parameter history names, and deployedBy keeps).
    const approved = candidates.find((c: { approvedBy: string[] }) => c.approvedBy.length > 0) as { version: string; approvedBy: string[]; deployedBy: string | null } | undefined;
    assert.ok(approved, `no candidate names its approvers: ${list.stdout}`);
    const text = await cli(['rollback', '--env', 'spryker-prod', '--list']);
    assert.equal(text.code, 0, text.stderr);
    assert.doesNotMatch(text.stdout, /arn:|CodeBuild/i, 'a role named as who deployed');
    assert.match(text.stdout, new RegExp(`${approved.version}(  \\(current\\))?  approved by ${approved.approvedBy[0]}`));
    const r = await cli(['rollback', '--env', 'spryker-prod', '--yes', '--no-follow']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(sandbox.inspect.parameter('/spryker-prod/desired_version'), target);
  });

  it('expired credentials: exit 4 and one line that says how to sign in', async () => {
    sandbox.control.addFault('expired-credentials');
    const r = await cli(['status', '--env', 'spryker-prod']);
    assert.equal(r.code, 4);
    assert.match(oneLine(r), /expired.*Sign in/);
  });

  it('a missing pipeline is an error of that part; status still exits 0', async () => {
    writeFileSync(join(home, 'ghost.json'), JSON.stringify({ environments: [{ name: 'spryker-prod', pipelines: { normal: 'NORMAL_Deploy_Spryker_ghost' } }] }));
    const r = await cli(['status', '--json', '--config', 'ghost.json']);
    assert.equal(r.code, 0, r.stderr);
    const env = JSON.parse(r.stdout).environments[0];
    assert.equal(env.pipeline, null);
    assert.deepEqual(env.errors.map((e: { part: string; code: string }) => `${e.part}:${e.code}`), ['pipeline:not-found']);
    assert.ok(env.services.length > 0);
  });
});
