// spryker-deploy when the way to AWS loses answers, when two deploys race, and when the user presses Ctrl-C: a
// separate process, the real SDK with its own retries, the sandbox's drop-reply and latency faults.

import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSandbox, type Sandbox } from '../../../src/sandbox';
import { waitFor } from '../sandbox/helpers';
import { runCli, spawnCli as spawnSharedCli } from './cliRunner';

const STAGING = 'NORMAL_Deploy_Spryker_spryker-staging';
const PARAM = '/spryker-staging/desired_version';

describe('spryker-deploy when answers are lost, deploys race and Ctrl-C is pressed', function () {
  this.timeout(180_000);
  let sandbox: Sandbox;
  let home: string;
  const cli = (args: string[]) => runCli(sandbox, home, args, home);

  before(async () => {
    sandbox = await startSandbox({ stageSeconds: 0.2, seed: 31 });
    home = mkdtempSync(join(tmpdir(), 'sd-cli-reliability-'));
  });
  after(async () => {
    await sandbox.stop();
    rmSync(home, { recursive: true, force: true });
  });
  afterEach(() => sandbox.control.clearFaults());

  const executions = () => sandbox.inspect.world().executions[STAGING] ?? [];
  /** A version with images that is neither desired nor deployed now, and not `not`. */
  function version(...not: string[]): string {
    const taken = [sandbox.inspect.parameter(PARAM), sandbox.inspect.parameter('/spryker-staging/lastdeployedversion'), ...not];
    return sandbox.inspect.commits().slice(2).find((c) => !taken.includes(c.sha))!.sha;
  }

  it('PutParameter answered by a lost reply: says what desired_version holds after reading it again, and starts', async () => {
    const v = version();
    const before = executions().length;
    sandbox.control.addFault('drop-reply:PutParameter');
    const r = await cli(['deploy', v, '--env', 'spryker-staging', '--supersede', '--no-follow']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, new RegExp(`PutParameter's answer was lost \\(.*\\); read again, ${PARAM} holds ${v}: the write went through\\.`));
    assert.equal(sandbox.inspect.parameter(PARAM), v);
    assert.equal(executions().length, before + 1);
    assert.equal(r.stdout.trim(), executions().at(-1)!.id);
  });

  it('StartPipelineExecution whose replies are all lost: one execution, found and followed; desired_version not restored', async () => {
    const v = version();
    const before = executions().length;
    sandbox.control.addFault('drop-reply:StartPipelineExecution');
    const r = await cli(['deploy', v, '--env', 'spryker-staging', '--supersede', '--no-follow']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(executions().length, before + 1, "the SDK's retries and the second ask carried one token: one execution");
    const started = executions().at(-1)!.id;
    assert.match(r.stderr, new RegExp(`StartPipelineExecution's answer was lost \\(.*\\), but execution ${started} started since`));
    assert.doesNotMatch(r.stderr, /restored/);
    assert.equal(sandbox.inspect.parameter(PARAM), v);
    assert.equal(r.stdout.trim(), started);
  });

  it('PutApprovalResult whose reply is lost: the retry does not call its own decision "someone else\'s"', async () => {
    const v = version();
    const d = await cli(['deploy', v, '--env', 'spryker-staging', '--supersede', '--poll', '0.05']);
    assert.equal(d.code, 0, d.stderr);
    sandbox.control.addFault('drop-reply:PutApprovalResult');
    const r = await cli(['approve', '--env', 'spryker-staging', '--comment', 'ship it']);
    assert.equal(r.code, 0, r.stderr);
    assert.doesNotMatch(r.stderr, /someone else/);
    assert.match(r.stderr, /The first answer was lost and AWS already had this decision: Approved by arn:aws:iam::\d+:user\/test \("ship it"\)\./);
  });

  it('two deploys to one environment at the same moment: the one whose version will not go out says so and which will', async () => {
    const a = version();
    const b = version(a);
    // Both writes land before either start answers.
    sandbox.control.addFault('latency:2500:StartPipelineExecution');
    const [ra, rb] = await Promise.all([
      cli(['deploy', a, '--env', 'spryker-staging', '--supersede', '--no-follow']),
      cli(['deploy', b, '--env', 'spryker-staging', '--supersede', '--no-follow']),
    ]);
    const winner = sandbox.inspect.parameter(PARAM)!;
    assert.ok(winner === a || winner === b);
    const [won, lost] = winner === a ? [ra, rb] : [rb, ra];
    const loser = winner === a ? b : a;
    assert.equal(won.code, 0, won.stderr);
    assert.equal(lost.code, 1, `the deploy whose version will not go out does not exit 0:\n${lost.stderr}`);
    assert.match(lost.stderr, new RegExp(`Another deploy wrote ${PARAM} after this one \\(written by test\\): it holds ${winner} now .* the pipeline deploys what ${PARAM} holds when it reads it: ${winner}, not ${loser}\\.`));
  });

  function spawnCli(args: string[]) {
    const child = spawnSharedCli(sandbox, home, args, home);
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const done = new Promise<number>((r) => child.on('close', (code, signal) => r(code ?? (signal ? 128 : 1))));
    return { child, stderr: () => stderr, done };
  }

  it('Ctrl-C while the pipeline start is in flight: finishes it, says so, and exits 130 with the execution', async () => {
    const v = version();
    sandbox.control.addFault('latency:2500:StartPipelineExecution');
    const run = spawnCli(['deploy', v, '--env', 'spryker-staging', '--supersede']);
    await waitFor('desired_version written', () => run.stderr().includes(`${PARAM} = ${v}`), 60_000);
    run.child.kill('SIGINT');
    const code = await run.done;
    assert.equal(code, 130, run.stderr());
    assert.match(run.stderr(), /Ctrl-C: finishing what is in flight first: .* then it stops\. Ctrl-C again to stop at once\./);
    const started = executions().at(-1)!.id;
    assert.match(run.stderr().trim().split('\n').at(-1)!, new RegExp(`Stopped after the writes: ${PARAM} = ${v} and execution ${started} started; the deploy goes on in AWS\\. Follow it with: spryker-deploy status --env spryker-staging`));
  });

  it('a second Ctrl-C while the start is in flight: exits 130 at once, leaving the state and the commands to go on', async () => {
    const v = version();
    const previous = sandbox.inspect.parameter(PARAM)!;
    sandbox.control.addFault('latency:4000:StartPipelineExecution');
    const run = spawnCli(['deploy', v, '--env', 'spryker-staging', '--supersede']);
    await waitFor('desired_version written', () => run.stderr().includes(`${PARAM} = ${v}`), 60_000);
    run.child.kill('SIGINT');
    await waitFor('the first Ctrl-C answered', () => run.stderr().includes('Ctrl-C: finishing'), 10_000);
    run.child.kill('SIGINT');
    assert.equal(await run.done, 130);
    const last = run.stderr().trim().split('\n').at(-1)!;
    assert.ok(last.startsWith(`Stopped after ${PARAM} was set to ${v} (it held ${previous}), while ${STAGING} was being started: an execution may or may not have started.`), run.stderr());
    assert.ok(last.includes(`restore with: aws ssm put-parameter --name ${PARAM} --value ${previous} --overwrite`), last);
  });
});
