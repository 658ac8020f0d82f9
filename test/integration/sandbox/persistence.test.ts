import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { GetPipelineExecutionCommand, StartPipelineExecutionCommand } from '@aws-sdk/client-codepipeline';
import { PutParameterCommand } from '@aws-sdk/client-ssm';
import { startSandbox } from '../../../src/sandbox/index';
import { clients, waitFor } from './helpers';

const PIPELINE = 'NORMAL_Deploy_Spryker_spryker-prod';

describe('sandbox --state and --log-requests', function () {
  this.timeout(60_000);

  it('restarts without losing state; a pipeline waiting for approval still waits with the same token', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sandbox-state-'));
    const stateFile = path.join(dir, 'state.json');
    const logFile = path.join(dir, 'requests.jsonl');
    const first = await startSandbox({ stageSeconds: 0.05, stateFile, logRequestsFile: logFile });
    const version = first.inspect.commits()[2].sha;
    await clients(first).ssm.send(new PutParameterCommand({ Name: '/spryker-prod/desired_version', Value: version, Overwrite: true }));
    const { pipelineExecutionId } = await clients(first).codepipeline.send(new StartPipelineExecutionCommand({ name: PIPELINE }));
    const approval = await waitFor('the approval', () => first.inspect.pendingApproval(PIPELINE));
    await first.stop();

    const lines = fs.readFileSync(logFile, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { service: string; operation: string; status: number; ms: number });
    assert.deepEqual(lines.map((l) => [l.service, l.operation, l.status]), [['ssm', 'PutParameter', 200], ['codepipeline', 'StartPipelineExecution', 200]]);

    const second = await startSandbox({ stageSeconds: 0.05, stateFile });
    try {
      assert.equal(second.inspect.parameter('/spryker-prod/desired_version'), version);
      assert.deepEqual(second.inspect.pendingApproval(PIPELINE), approval);
      second.control.advance(1000);
      const approvalAgain = second.inspect.pendingApproval(PIPELINE);
      assert.equal(approvalAgain?.token, approval.token);
      const e = await clients(second).codepipeline.send(new GetPipelineExecutionCommand({ pipelineName: PIPELINE, pipelineExecutionId }));
      assert.equal(e.pipelineExecution?.status, 'InProgress');
    } finally {
      await second.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('--log-requests does not grow without bound: a full file moves to <file>.1 and a new one starts', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sandbox-log-'));
    const logFile = path.join(dir, 'requests.jsonl');
    const limit = 1000;
    const sandbox = await startSandbox({ stageSeconds: 60, logRequestsFile: logFile, logRequestsMaxBytes: limit });
    try {
      const { ssm } = clients(sandbox);
      for (let i = 0; i < 40; i++) await ssm.send(new PutParameterCommand({ Name: `/spryker-prod/probe${i}`, Value: String(i), Type: 'String' }));
    } finally {
      await sandbox.stop();
    }
    try {
      const read = (f: string) => fs.readFileSync(f, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { operation: string; status: number });
      assert.ok(fs.statSync(logFile).size <= limit, 'the current file stays under the limit');
      assert.ok(fs.statSync(`${logFile}.1`).size <= limit, 'so does the one before it');
      assert.deepEqual(fs.readdirSync(dir).sort(), ['requests.jsonl', 'requests.jsonl.1'], 'only one older file is kept');
      const lines = [...read(`${logFile}.1`), ...read(logFile)];
      assert.ok(lines.length < 40, 'the oldest lines are gone');
      assert.ok(lines.every((l) => l.operation === 'PutParameter' && l.status === 200), 'every line kept is whole');
      assert.equal(sandbox.requests().length, 40, 'the in-memory log still has them all');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a state file it did not write, with a clear message', async () => {
    const file = path.join(os.tmpdir(), `sandbox-bad-${process.pid}.json`);
    fs.writeFileSync(file, '{"hello": 1}');
    try {
      await assert.rejects(startSandbox({ stateFile: file }), /not written by this sandbox/);
      assert.equal(fs.readFileSync(file, 'utf8'), '{"hello": 1}', 'the file is left alone');
    } finally {
      fs.rmSync(file, { force: true });
    }
  });

  it('writes an acknowledged write to --state before answering (a kill right after loses nothing)', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sandbox-state-'));
    const stateFile = path.join(dir, 'state.json');
    const sandbox = await startSandbox({ stageSeconds: 60, stateFile });
    try {
      const version = sandbox.inspect.commits()[3].sha;
      await clients(sandbox).ssm.send(new PutParameterCommand({ Name: '/spryker-prod/desired_version', Value: version, Overwrite: true }));
      // Read at once, without stop() and before any debounce could fire: what a kill -9 would leave behind.
      const saved = JSON.parse(fs.readFileSync(stateFile, 'utf8')) as { parameters: Record<string, { history: { value: string }[] }> };
      assert.equal(saved.parameters['/spryker-prod/desired_version'].history.at(-1)?.value, version);
    } finally {
      await sandbox.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses an unwritable --state path at start with a clear error', async () => {
    const notADirectory = path.join(os.tmpdir(), `sandbox-file-${process.pid}`);
    fs.writeFileSync(notADirectory, 'a file, not a directory');
    try {
      await assert.rejects(startSandbox({ port: 0, stateFile: path.join(notADirectory, 'state.json') }), (e: Error) => /Cannot write the state file .*state\.json.*writable path for --state/.test(e.message));
    } finally {
      fs.rmSync(notADirectory, { force: true });
    }
  });
});
