// spryker-deploy when a deploy goes wrong: a separate process, the real SDK, the sandbox's failure scenarios.
// Exit 3 with the failed stage and AWS's reason on stderr; status explains; logs prints the log; retry recovers.

import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSandbox, type Sandbox } from '../../../src/sandbox';
import { runCli, type CliResult } from './cliRunner';

const ENV = 'spryker-staging';

type Result = CliResult;

describe('spryker-deploy CLI when a deploy fails', function () {
  this.timeout(180_000);
  let sandbox: Sandbox;
  let home: string;

  before(async () => {
    sandbox = await startSandbox({ stageSeconds: 0.1, seed: 5 });
    home = mkdtempSync(join(tmpdir(), 'sd-cli-fail-'));
  });
  after(async () => {
    await sandbox.stop();
    rmSync(home, { recursive: true, force: true });
  });
  afterEach(() => sandbox.control.setScenarios([]));

  const cli = (args: string[]): Promise<Result> => runCli(sandbox, home, args, home, { timeoutMs: 120_000 });

  function deployableVersion(): string {
    const deployed = sandbox.inspect.parameter(`/${ENV}/lastdeployedversion`);
    const desired = sandbox.inspect.parameter(`/${ENV}/desired_version`);
    return sandbox.inspect.commits().slice(2).find((x) => x.sha !== deployed && x.sha !== desired)!.sha;
  }

  /** `deploy --wait` while the test approves the approval it waits for (as a colleague would, elsewhere). */
  async function deployWaitApproved(): Promise<Result> {
    const running = cli(['deploy', deployableVersion(), '--env', ENV, '--wait', '--poll', '0.1']);
    const pipeline = `NORMAL_Deploy_Spryker_${ENV}`;
    for (let i = 0; i < 600 && !sandbox.inspect.pendingApproval(pipeline); i++) await new Promise((r) => setTimeout(r, 100));
    const approval = sandbox.inspect.pendingApproval(pipeline);
    assert.ok(approval, 'the approval never came');
    const approved = await cli(['approve', '--env', ENV, '--comment', 'go']);
    assert.equal(approved.code, 0, approved.stderr);
    return running;
  }

  it('deploy --wait: exit 3, the failed stage and reason on the last stderr line; status, logs and retry', async () => {
    sandbox.control.setScenarios([`stage-fails:Run_install:${ENV}`]);
    const r = await deployWaitApproved();
    assert.equal(r.code, 3, r.stderr);
    const last = r.stderr.trim().split('\n').at(-1)!;
    assert.match(last, /^spryker-deploy deploy: spryker-staging: execution [0-9a-f-]{36} Failed at Run_install: Build terminated with state: FAILED.*exit status 1\. Next: spryker-deploy logs/);

    const status = await cli(['status', '--env', ENV]);
    assert.equal(status.code, 0, status.stderr);
    assert.match(status.stdout, /outcome {3}Failed at Run_install: Build terminated/);
    assert.match(status.stdout, /desired_version holds [0-9a-f]{7} \(the failed deploy wrote it\)/);

    const logs = await cli(['logs', '--env', ENV]);
    assert.equal(logs.code, 0, logs.stderr);
    assert.match(logs.stdout, /SQLSTATE\[42S01\]/);
    assert.match(logs.stdout.trim().split('\n').at(-2)!, /Phase complete: BUILD State: FAILED/);
    const json = JSON.parse((await cli(['logs', '--env', ENV, '--stage', 'Run_install', '--json'])).stdout);
    assert.equal(json.stage, 'Run_install');
    assert.ok(json.lines.length > 5);

    const retry = await cli(['retry', '--env', ENV, '--poll', '0.1']);
    assert.equal(retry.code, 0, retry.stderr);
    assert.match(retry.stdout, /Succeeded$/m);
    const again = await cli(['retry', '--env', ENV]);
    assert.equal(again.code, 1);
    assert.match(again.stderr.trim(), /^spryker-deploy retry: .*did not fail/);
  });

  it('a rolled-back rollout: exit 3 naming the service; status shows the failed rollout, its ECS events, what runs now and what to do', async () => {
    sandbox.control.setScenarios([`rollout-fails:${ENV}-yves:${ENV}`]);
    const r = await deployWaitApproved();
    assert.equal(r.code, 3, r.stderr);
    assert.match(r.stderr.trim().split('\n').at(-1)!, /Failed at Deploy_Spryker_services \(Deploy_yves\): .*circuit breaker.*\(rolled back: spryker-staging-yves;/);
    const status = await cli(['status', '--env', ENV]);
    assert.match(status.stdout, /! rollout ecs-svc\/\d+ failed: ECS deployment circuit breaker: tasks failed to start\. \(1 tasks failed\); the service was rolled back/);
    assert.match(status.stdout, /rolling back to deployment/);
    // What runs now, how the parameters disagree, what to do; the services the failed deploy moved are not drift.
    assert.match(status.stdout, /^ {2}runs now {2}(\w{7}) \(the version of the failed deploy\) on \d+ services: .*; (\w{7}) \(the last good version\) on 1 service: yves \(ECS rolled it back\)\.$/m);
    assert.match(status.stdout, /^ {12}desired_version holds \w{7} \(the failed deploy wrote it\), which runs on \d+ services only; \S+ holds \w{7}, which runs on 1 service only\.$/m);
    assert.match(status.stdout, /^ {2}next {6}Roll Back to \w{7} \(the last good version\) to run it everywhere, or Retry Deploy_Spryker_services to finish \w{7} once its cause is fixed\.$/m);
    assert.doesNotMatch(status.stdout, /\bdrifted\b/);
    assert.match(status.stdout, /failed-deploy/);
    const json = JSON.parse((await cli(['status', '--env', ENV, '--json'])).stdout) as { environments: { afterFailure: { rolledBack: string[]; runs: { services: string[] }[]; advice: string } | null }[] };
    assert.deepEqual(json.environments[0].afterFailure?.rolledBack, [`${ENV}-yves`]);
    assert.match(json.environments[0].afterFailure?.advice ?? '', /^Roll Back to /);
    const logs = await cli(['logs', '--env', ENV]);
    assert.equal(logs.code, 1);
    assert.match(logs.stderr.trim(), /^spryker-deploy logs: Stage Deploy_Spryker_services .* ran no CodeBuild build/);
  });
});
