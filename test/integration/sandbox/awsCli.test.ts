// The manual flow of the domain notes, typed as a DevOps engineer would, with the real AWS CLI against the sandbox.
import * as assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { putParameterCommand } from '../../../src/core/awsCliCommands';
import { startSandbox, type Sandbox } from '../../../src/sandbox/index';

const PIPELINE = 'NORMAL_Deploy_Spryker_spryker-prod';
const INSTALL_HINT =
  'The AWS CLI is required by this test and was not found on PATH. Install it: `apt-get install -y awscli` (Debian bookworm ships CLI v2.9) ' +
  'or `pip install awscli` (CLI v1; needs PyPI), then check `aws --version`.';

function awsVersion(): string {
  try {
    return execFileSync('aws', ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
  } catch {
    throw new Error(INSTALL_HINT);
  }
}

describe('sandbox with the real AWS CLI', function () {
  this.timeout(120_000);
  let sandbox: Sandbox;
  let env: NodeJS.ProcessEnv;

  before(async () => {
    awsVersion();
    sandbox = await startSandbox({ stageSeconds: 0.3 });
    env = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      AWS_DEFAULT_REGION: 'eu-central-1',
      AWS_CONFIG_FILE: '/dev/null',
      AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
      AWS_PAGER: '',
    };
  });
  after(async () => {
    await sandbox?.stop();
  });

  /** Runs `aws <args> --endpoint-url <sandbox>`; resolves stdout, rejects with the exit code and stderr. */
  function aws(...args: string[]): Promise<string> {
    return new Promise((resolve, reject) => {
      execFile('aws', [...args, '--endpoint-url', sandbox.endpoint, '--output', 'text'], { env, encoding: 'utf8' }, (error, stdout, stderr) => {
        if (error) reject(Object.assign(new Error(`aws ${args.join(' ')} failed (${error.code}): ${stderr}`), { exitCode: error.code, stderr }));
        else resolve(stdout.trim());
      });
    });
  }

  async function poll(what: string, probe: () => Promise<string | undefined>): Promise<string> {
    const end = Date.now() + 60_000;
    for (;;) {
      const v = await probe();
      if (v) return v;
      if (Date.now() > end) throw new Error(`Timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  /** Steps 1–3 of the manual flow: define the version, run the pipeline, read the state until the approval waits. */
  async function startToApproval(version: string): Promise<{ executionId: string; token: string }> {
    const put = await aws('ssm', 'put-parameter', '--name', '/spryker-prod/desired_version', '--value', version, '--type', 'String', '--overwrite', '--query', 'Version');
    assert.match(put, /^\d+$/);
    const executionId = await aws('codepipeline', 'start-pipeline-execution', '--name', PIPELINE, '--query', 'pipelineExecutionId');
    assert.match(executionId, /^[0-9a-f-]{36}$/);
    const token = await poll('the approval token', async () => {
      const t = await aws('codepipeline', 'get-pipeline-state', '--name', PIPELINE, '--query', "stageStates[?stageName=='Please_approve'].actionStates[0].latestExecution.token | [0]");
      return t && t !== 'None' ? t : undefined;
    });
    return { executionId, token };
  }

  /** The execution's status once it is no longer InProgress. */
  function ended(executionId: string): Promise<string> {
    return poll('the end of the execution', async () => {
      const s = await aws('codepipeline', 'get-pipeline-execution', '--pipeline-name', PIPELINE, '--pipeline-execution-id', executionId, '--query', 'pipelineExecution.status');
      return s === 'InProgress' ? undefined : s;
    });
  }

  it('runs the manual deploy flow end to end', async () => {
    const version = sandbox.inspect.commits()[4].sha;
    const previous = await aws('ssm', 'get-parameter', '--name', '/spryker-prod/last_deployed_version', '--query', 'Parameter.Value');
    assert.match(previous, /^[0-9a-f]{40}$/);

    // 1.–3. define the version, run the pipeline, read the state until the approval waits
    const { executionId, token } = await startToApproval(version);
    // 4. compare versions in the CodeBuild log
    const buildId = await aws(
      'codepipeline', 'list-action-executions', '--pipeline-name', PIPELINE, '--filter', `pipelineExecutionId=${executionId}`,
      '--query', "actionExecutionDetails[?stageName=='Prepare_versions_information_for_Approval_stage'].output.executionResult.externalExecutionId | [0]",
    );
    const [group, stream] = (await aws('codebuild', 'batch-get-builds', '--ids', buildId, '--query', 'builds[0].logs.[groupName,streamName]')).split('\t');
    assert.equal(group, '/aws/codebuild/spryker-prod');
    const log = await aws('logs', 'get-log-events', '--log-group-name', group, '--log-stream-name', stream, '--start-from-head', '--query', 'events[].message');
    assert.ok(log.includes(`Deploymnet version: ${version}`), log);
    assert.ok(log.includes(`Latest deployed version: ${previous}`), log);
    const filtered = await aws('logs', 'filter-log-events', '--log-group-name', group, '--log-stream-names', stream, '--filter-pattern', '"Latest deployed version"', '--query', 'events[].message');
    assert.equal(filtered, `Latest deployed version: ${previous}`);
    // 5. approve
    const approvedAt = await aws(
      'codepipeline', 'put-approval-result', '--pipeline-name', PIPELINE, '--stage-name', 'Please_approve', '--action-name', 'Approval',
      '--token', token, '--result', 'summary=Versions checked,status=Approved', '--query', 'approvedAt',
    );
    // CLI v1 prints timestamps as received (epoch seconds), v2 as ISO 8601: either way a time of today.
    const approvedMs = /^\d+(\.\d+)?$/.test(approvedAt) ? Number(approvedAt) * 1000 : Date.parse(approvedAt);
    assert.ok(Math.abs(approvedMs - Date.now()) < 3600_000, `approvedAt ${approvedAt}`);
    // 6. wait for the result
    assert.equal(await ended(executionId), 'Succeeded');
    assert.equal(await aws('ssm', 'get-parameter', '--name', '/spryker-prod/last_deployed_version', '--query', 'Parameter.Value'), version);
    // 7. check the ECS images
    const services = (await aws('ecs', 'list-services', '--cluster', 'spryker-prod', '--query', 'serviceArns')).split('\t');
    assert.equal(services.length, 7);
    const taskDefinitions = (await aws('ecs', 'describe-services', '--cluster', 'spryker-prod', '--services', ...services, '--query', 'services[].taskDefinition')).split('\t');
    for (const td of taskDefinitions) {
      const image = await aws('ecs', 'describe-task-definition', '--task-definition', td, '--query', 'taskDefinition.containerDefinitions[0].image');
      assert.ok(image.endsWith(`:${version}`), `${td} runs ${image}`);
    }
    const rollouts = await aws('ecs', 'describe-services', '--cluster', 'spryker-prod', '--services', ...services, '--query', 'services[].deployments[0].rolloutState');
    assert.deepEqual(new Set(rollouts.split('\t')), new Set(['COMPLETED']));
    const tasks = (await aws('ecs', 'list-tasks', '--cluster', 'spryker-prod', '--query', 'taskArns')).split('\t');
    const images = (await aws('ecs', 'describe-tasks', '--cluster', 'spryker-prod', '--tasks', ...tasks, '--query', 'tasks[].containers[].image')).split('\t');
    assert.ok(images.every((i) => i.endsWith(`:${version}`)));
    assert.equal(await aws('ecr', 'describe-images', '--repository-name', 'spryker-prod-b2c-yves', '--image-ids', `imageTag=${version}`, '--query', 'imageDetails[0].imageTags[0]'), version);
    const history = await aws('ssm', 'get-parameter-history', '--name', '/spryker-prod/desired_version', '--query', 'Parameters[-1].[Value,LastModifiedUser]');
    assert.equal(history, `${version}\tarn:aws:iam::000000000000:user/test`);
  });

  it('the restore command the tools print, pasted as is, puts a SecureString desired_version back and keeps it a SecureString', async () => {
    const name = '/spryker-staging/desired_version';
    const [before, after] = [sandbox.inspect.commits()[1].sha, sandbox.inspect.commits()[2].sha];
    await aws('ssm', 'put-parameter', '--name', name, '--value', after, '--type', 'SecureString', '--overwrite');
    assert.equal(await aws('ssm', 'get-parameter', '--name', name, '--query', 'Parameter.Type'), 'SecureString');
    const printed = putParameterCommand(name, before, { region: 'eu-central-1' });
    assert.doesNotMatch(printed, /--type/, 'an overwrite keeps the type; --type String would convert the SecureString');
    const [program, ...args] = printed.split(' ');
    assert.equal(program, 'aws');
    await aws(...args);
    assert.equal(await aws('ssm', 'get-parameter', '--name', name, '--with-decryption', '--query', 'Parameter.[Type,Value]'), `SecureString\t${before}`);
  });

  it('reports AWS errors as the CLI reports AWS errors', async () => {
    await assert.rejects(aws('ssm', 'get-parameter', '--name', '/spryker-prod/nope'), (e: Error & { exitCode?: number; stderr?: string }) => (e.exitCode === 254 || e.exitCode === 255) && /\(ParameterNotFound\)/.test(e.stderr ?? ''));
    await assert.rejects(aws('codepipeline', 'get-pipeline-state', '--name', 'nope'), (e: Error & { stderr?: string }) => /\(PipelineNotFoundException\)/.test(e.stderr ?? ''));
    const badKeyEnv = { ...env, AWS_SECRET_ACCESS_KEY: 'wrong' };
    await assert.rejects(
      new Promise((resolve, reject) =>
        execFile('aws', ['ssm', 'get-parameter', '--name', '/spryker-prod/desired_version', '--endpoint-url', sandbox.endpoint], { env: badKeyEnv, encoding: 'utf8' }, (error, stdout, stderr) => (error ? reject(new Error(stderr)) : resolve(stdout))),
      ),
      /InvalidSignatureException/,
    );
  });

  it('retries a failed stage with retry-stage-execution as AWS does, and refuses a stage that cannot be retried', async () => {
    const version = sandbox.inspect.commits()[3].sha;
    sandbox.control.setScenarios(['stage-fails:Run_install:spryker-prod']);
    try {
      const { executionId, token } = await startToApproval(version);
      await aws('codepipeline', 'put-approval-result', '--pipeline-name', PIPELINE, '--stage-name', 'Please_approve', '--action-name', 'Approval', '--token', token, '--result', 'summary=ok,status=Approved');
      assert.equal(await ended(executionId), 'Failed');
      const failed = await aws('codepipeline', 'get-pipeline-state', '--name', PIPELINE, '--query', "stageStates[?stageName=='Run_install'] | [0].[latestExecution.status, actionStates[0].latestExecution.errorDetails.code]");
      assert.match(failed, /^Failed\t\S+/, `Run_install: ${failed}`);

      const retried = await aws('codepipeline', 'retry-stage-execution', '--pipeline-name', PIPELINE, '--stage-name', 'Run_install', '--pipeline-execution-id', executionId, '--retry-mode', 'FAILED_ACTIONS', '--query', 'pipelineExecutionId');
      assert.equal(retried, executionId, 'RetryStageExecution answers the execution it retried');
      // The scenario was for the next execution only: the retried stage passes and the execution goes on to the end.
      assert.equal(await ended(executionId), 'Succeeded');
      assert.equal(await aws('ssm', 'get-parameter', '--name', '/spryker-prod/last_deployed_version', '--query', 'Parameter.Value'), version);

      await assert.rejects(
        aws('codepipeline', 'retry-stage-execution', '--pipeline-name', PIPELINE, '--stage-name', 'Run_install', '--pipeline-execution-id', executionId, '--retry-mode', 'FAILED_ACTIONS'),
        (e: Error & { stderr?: string }) => /\(StageNotRetryableException\)/.test(e.stderr ?? ''),
      );
      await assert.rejects(
        aws('codepipeline', 'retry-stage-execution', '--pipeline-name', PIPELINE, '--stage-name', 'Run_install', '--pipeline-execution-id', executionId, '--retry-mode', 'SOME_ACTIONS'),
        (e: Error & { stderr?: string }) => /SOME_ACTIONS|retry-mode|Invalid/i.test(e.stderr ?? ''),
      );
    } finally {
      sandbox.control.setScenarios([]);
    }
  });
});
