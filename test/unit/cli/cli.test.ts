import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeployError } from '../../../src/core/errors';
import { run, type CliIo } from '../../../src/cli/main';
import { parseJsonc } from '../../../src/cli/config';
import { parseNameStatus } from '../../../src/cli/gitCli';
import { statusText } from '../../../src/cli/render';
import { environmentStatus } from '../statusFixtures';
import { restingWorld, SHA_A, SHA_B, SHA_C, type FakeAws } from '../core/fakePorts';

function harness(aws: FakeAws, over: Partial<CliIo> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const envs: string[] = [];
  const io: CliIo = {
    stdout: (t) => out.push(t),
    stderr: (t) => err.push(t),
    isTTY: false,
    ask: async () => '',
    cwd: tmpdir(),
    portsFactory: (env) => (envs.push(`${env.profile ?? ''}|${env.region}|${env.endpoint ?? ''}`), aws.ports),
    ...over,
  };
  return { io, out, err, envs };
}

describe('cli', () => {
  it('prints help and refuses unknown commands and options', async () => {
    const h = harness(restingWorld());
    assert.equal(await run(['--help'], h.io), 0);
    assert.match(h.out[0], /Commands:/);
    assert.equal(await run(['deploy', '--help'], h.io), 0);
    assert.match(h.out[1], /--supersede/);
    assert.equal(await run(['launch'], h.io), 2);
    assert.equal(await run(['status', '--bogus'], h.io), 2);
    assert.equal(h.err.length, 2);
  });

  it('prints the package version with --version, before any AWS call', async () => {
    const aws = restingWorld();
    const h = harness(aws);
    assert.equal(await run(['--version'], h.io), 0);
    assert.equal(h.out[0], (require('../../../package.json') as { version: string }).version);
    assert.equal(aws.count(), 0);
  });

  it('prints deploy --json as one document with the execution and where it stands', async () => {
    const h = harness(restingWorld());
    assert.equal(await run(['deploy', SHA_B, '--env', 'spryker-prod', '--yes', '--no-follow', '--json'], h.io), 0);
    assert.equal(h.out.length, 1);
    assert.deepEqual(JSON.parse(h.out[0]), {
      environment: 'spryker-prod',
      version: SHA_B,
      previousDesiredVersion: SHA_A,
      executionId: 'exec-1',
      status: 'Started',
      summary: null,
    });
  });

  it('refuses a short hash with one line and exit 2, before any AWS call', async () => {
    const aws = restingWorld();
    const h = harness(aws);
    assert.equal(await run(['deploy', 'abc1234', '--env', 'spryker-prod', '--yes'], h.io), 2);
    assert.equal(h.err.length, 1);
    assert.match(h.err[0], /full 40-character/);
    assert.equal(aws.count(), 0);
  });

  it('prints status --json in the documented shape', async () => {
    const h = harness(restingWorld());
    assert.equal(await run(['status', '--json', '--env', 'spryker-prod', '--profile', 'acme', '--endpoint', 'http://127.0.0.1:4566'], h.io), 0);
    assert.deepEqual(h.envs, ['acme|eu-central-1|http://127.0.0.1:4566']);
    const json = JSON.parse(h.out[0]);
    const env = json.environments[0];
    for (const key of ['name', 'desiredVersion', 'lastDeployedVersion', 'pipeline', 'services', 'errors']) assert.ok(key in env, key);
    assert.equal(env.desiredVersion, SHA_A);
    assert.deepEqual(Object.keys(env.pipeline).filter((k) => ['name', 'status', 'stages', 'pendingApproval'].includes(k)).sort(), ['name', 'pendingApproval', 'stages', 'status']);
    assert.equal(env.pipeline.pendingApproval, null);
    const svc = env.services[0];
    for (const key of ['name', 'desiredCount', 'runningCount', 'images', 'tasks']) assert.ok(key in svc, key);
    assert.deepEqual(Object.keys(svc.images[0]).slice(0, 2), ['container', 'tag']);
    assert.deepEqual(Object.keys(svc.tasks[0].images[0]).slice(0, 2), ['container', 'tag']);
    assert.equal(typeof svc.tasks[0].id, 'string');
    assert.match(env.fetchedAt, /^\d{4}-\d\d-\d\dT/);
  });

  it('needs --yes for production without a terminal, and writes nothing without it', async () => {
    const aws = restingWorld();
    const h = harness(aws);
    assert.equal(await run(['deploy', SHA_B, '--env', 'spryker-prod'], h.io), 2);
    assert.match(h.err.at(-1)!, /--yes/);
    assert.equal(aws.count('PutParameter'), 0);
    assert.equal(await run(['deploy', SHA_B, '--env', 'spryker-prod', '--yes', '--no-follow'], h.io), 0);
    assert.equal(h.out.at(-1), 'exec-1');
    assert.equal(aws.count('PutParameter'), 1);
  });

  it('asks a terminal user to type the production name', async () => {
    const aws = restingWorld();
    const wrong = harness(aws, { isTTY: true, ask: async () => 'spryker-staging' });
    assert.notEqual(await run(['deploy', SHA_B, '--env', 'spryker-prod', '--no-follow'], wrong.io), 0);
    assert.equal(aws.count('PutParameter'), 0);
    const right = harness(aws, { isTTY: true, ask: async () => 'spryker-prod' });
    assert.equal(await run(['deploy', SHA_B, '--env', 'spryker-prod', '--no-follow'], right.io), 0);
  });

  it('fails approve with one line when nothing waits', async () => {
    const h = harness(restingWorld());
    assert.equal(await run(['approve', '--env', 'spryker-prod', '--yes'], h.io), 1);
    assert.deepEqual(h.err, ['spryker-deploy approve: No approval is waiting in NORMAL_Deploy_Spryker_spryker-prod.']);
  });

  it('reads environments from .spryker-deploy.json and from .vscode/settings.json', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sd-cli-'));
    try {
      mkdirSync(join(dir, '.vscode'));
      writeFileSync(
        join(dir, '.vscode', 'settings.json'),
        '{\n  // comment\n  "editor.tabSize": 2,\n  "sprykerDeploy.environments": [{ "name": "spryker-prod", "profile": "from-settings" }, /* x */ { "name": "spryker-staging" },],\n}',
      );
      const h = harness(restingWorld(), { cwd: dir });
      assert.equal(await run(['status', '--json'], h.io), 0);
      assert.deepEqual(JSON.parse(h.out[0]).environments.map((e: { name: string }) => e.name), ['spryker-prod', 'spryker-staging']);
      assert.ok(h.envs.includes('from-settings|eu-central-1|'));
      assert.equal(await run(['history', '--json'], h.io), 2, 'several environments: --env needed');
      writeFileSync(join(dir, '.spryker-deploy.json'), JSON.stringify({ region: 'eu-west-1', environments: [{ name: 'spryker-prod' }] }));
      const own = harness(restingWorld(), { cwd: dir });
      assert.equal(await run(['history', '--json'], own.io), 0);
      assert.deepEqual(own.envs, ['|eu-west-1|']);
      assert.equal(JSON.parse(own.out[0]).executions[0].executionId, 'exec-old');
      writeFileSync(join(dir, 'bad.json'), JSON.stringify({ environments: [{ name: 'x', region: 'nowhere' }] }));
      const bad = harness(restingWorld(), { cwd: dir });
      assert.equal(await run(['status', '--config', 'bad.json'], bad.io), 2);
      assert.match(bad.err[0], /"region"/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('parses JSONC without touching strings', () => {
    assert.deepEqual(parseJsonc('{"a": "http://x//y", /* c */ "b": [1,2,],}'), { a: 'http://x//y', b: [1, 2] });
  });
});

describe('git name-status parsing (CLI)', () => {
  it('reads modified, added, deleted and renamed files from NUL-separated output, paths with spaces intact', () => {
    const out = ['M', 'deploy.yml', 'A', 'data/import/new file.csv', 'D', 'old.php', 'R097', 'src/A.php', 'src/B.php', ''].join('\0');
    assert.deepEqual(parseNameStatus(out), [
      { path: 'deploy.yml', status: 'modified' },
      { path: 'data/import/new file.csv', status: 'added' },
      { path: 'old.php', status: 'deleted' },
      { path: 'src/B.php', status: 'renamed', previousPath: 'src/A.php' },
    ]);
  });
});

describe('cli configuration: bad input and repository files', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'sd-cfg-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /** Runs the CLI in `dir` with `file` as ./.spryker-deploy.json; `sent` lists the environments AWS clients were built for. */
  async function withRepositoryFile(file: string, args: string[], environment: Record<string, string> = {}) {
    writeFileSync(join(dir, '.spryker-deploy.json'), file);
    const aws = restingWorld();
    const h = harness(aws, { cwd: dir, environment });
    const code = await run(args, h.io);
    return { code, err: h.err, sent: h.envs, writes: aws.calls.filter((c) => c.operation === 'PutParameter' || c.operation === 'StartPipelineExecution') };
  }

  it('parses strings with commas and braces, and accepts a UTF-8 BOM as VS Code does', () => {
    assert.deepEqual(parseJsonc('{"a":"x, }"}'), { a: 'x, }' });
    assert.deepEqual(parseJsonc('\uFEFF{"environments": []}'), { environments: [] });
    assert.throws(() => parseJsonc('{"a": }'), /line 1/);
  });

  for (const [what, file] of [
    ['a string entry', '{"environments": ["spryker-prod"]}'],
    ['a null entry', '{"environments": [null, {"name": "spryker-prod"}]}'],
    ['a duplicate name', '{"environments": [{"name": "spryker-prod"}, {"name": "spryker-prod"}]}'],
    ['a file:// endpoint', '{"endpoint": "file:///x", "environments": [{"name": "spryker-prod"}]}'],
    ['a __proto__ key', '{"environments": [{"name": "spryker-prod", "__proto__": {"production": false}}]}'],
    ['a constructor key', '{"environments": [{"name": "spryker-prod", "constructor": 1}]}'],
    ['a DESTRUCTIVE pipeline as the normal one', '{"environments": [{"name": "spryker-prod", "pipelines": {"normal": "DESTRUCTIVE_Deploy_Spryker_spryker-prod"}}]}'],
  ] as const) {
    it(`refuses ${what} even with --env: exit 2, one line, nothing sent`, async () => {
      const r = await withRepositoryFile(file, ['deploy', SHA_B, '--env', 'spryker-prod', '--yes', '--no-follow'], { SPRYKER_DEPLOY_TRUST_CONFIG: '1' });
      assert.equal(r.code, 2, r.err.join('\n'));
      assert.equal(r.err.length, 1);
      assert.match(r.err[0], /\.spryker-deploy\.json/);
      assert.deepEqual(r.sent, [], 'no AWS client was even built');
    });
  }

  it('refuses an endpoint from a repository file unless the user opts in or passes --endpoint', async () => {
    const file = JSON.stringify({ environments: [{ name: 'spryker-prod', endpoint: 'https://collector.example' }] });
    const refused = await withRepositoryFile(file, ['status', '--json']);
    assert.equal(refused.code, 2);
    assert.match(refused.err[0], /cannot choose the endpoint.*SPRYKER_DEPLOY_TRUST_CONFIG=1/);
    assert.deepEqual(refused.sent, []);
    const optedIn = await withRepositoryFile(file, ['status', '--json'], { SPRYKER_DEPLOY_TRUST_CONFIG: '1' });
    assert.equal(optedIn.code, 0);
    assert.deepEqual(optedIn.sent, ['|eu-central-1|https://collector.example']);
    const flag = await withRepositoryFile(file, ['status', '--json', '--endpoint', 'http://127.0.0.1:4566']);
    assert.deepEqual(flag.sent, ['|eu-central-1|http://127.0.0.1:4566']);
    writeFileSync(join(dir, 'mine.json'), file);
    const explicit = harness(restingWorld(), { cwd: dir });
    assert.equal(await run(['status', '--json', '--config', 'mine.json'], explicit.io), 0, 'a file the user names is the user\'s');
    assert.deepEqual(explicit.envs, ['|eu-central-1|https://collector.example']);
  });

  it('keeps production confirmed for a production name although a repository file says production: false', async () => {
    const file = JSON.stringify({ environments: [{ name: 'spryker-prod', production: false }] });
    const refused = await withRepositoryFile(file, ['deploy', SHA_B, '--env', 'spryker-prod']);
    assert.equal(refused.code, 2);
    assert.match(refused.err.join('\n'), /spryker-prod is production: pass --yes/);
    assert.deepEqual(refused.writes, []);
    const optedIn = await withRepositoryFile(file, ['deploy', SHA_B, '--env', 'spryker-prod', '--no-follow'], { SPRYKER_DEPLOY_TRUST_CONFIG: '1' });
    assert.doesNotMatch(optedIn.err.join('\n'), /is production/);
  });

  it('keeps production confirmed when a repository file points another name at production\'s parameter or pipeline', async () => {
    for (const env of [
      { name: 'spryker-staging', parameters: { desiredVersion: '/spryker-prod/desired_version' } },
      { name: 'spryker-staging', pipelines: { normal: 'NORMAL_Deploy_Spryker_spryker-prod' } },
      { name: 'spryker-staging', production: false, cluster: 'spryker-prod' },
    ]) {
      const file = JSON.stringify({ environments: [env] });
      const refused = await withRepositoryFile(file, ['deploy', SHA_B, '--env', 'spryker-staging']);
      assert.equal(refused.code, 2, `${file}: ${refused.err.join('\n')}`);
      assert.match(refused.err.join('\n'), /spryker-staging is production: pass --yes/);
      assert.deepEqual(refused.writes, []);
      const optedIn = await withRepositoryFile(file, ['deploy', SHA_B, '--env', 'spryker-staging', '--no-follow'], { SPRYKER_DEPLOY_TRUST_CONFIG: '1' });
      assert.doesNotMatch(optedIn.err.join('\n'), /is production/, 'the user trusts the file: its names are the user\'s');
    }
  });

  it('refuses an --env the file does not list (a typo would otherwise act on Spryker\'s default names): exit 2, nothing sent', async () => {
    const file = JSON.stringify({ environments: [{ name: 'spryker-staging' }, { name: 'spryker-prod' }] });
    const r = await withRepositoryFile(file, ['deploy', SHA_B, '--env', 'spryker-prd', '--yes', '--no-follow']);
    assert.equal(r.code, 2, r.err.join('\n'));
    assert.equal(r.err.length, 1);
    assert.match(r.err[0], /No environment named "spryker-prd" in .*\.spryker-deploy\.json: it lists spryker-staging, spryker-prod\./);
    assert.deepEqual(r.sent, [], 'no AWS client was even built');
    const listed = await withRepositoryFile(file, ['status', '--env', 'spryker-staging', '--json']);
    assert.deepEqual(listed.sent, ['|eu-central-1|'], 'a listed one is read');
  });

  it('reads sprykerDeploy.defaultProfile and defaultRegion from .vscode/settings.json, as the extension does', async () => {
    mkdirSync(join(dir, '.vscode'));
    writeFileSync(join(dir, '.vscode', 'settings.json'), '\uFEFF{"sprykerDeploy.defaultProfile": "acme-sso", "sprykerDeploy.defaultRegion": "eu-west-1", "sprykerDeploy.environments": [{"name": "spryker-prod"}]}');
    const h = harness(restingWorld(), { cwd: dir });
    assert.equal(await run(['status', '--json'], h.io), 0, h.err.join('\n'));
    assert.deepEqual(h.envs, ['acme-sso|eu-west-1|']);
  });
});

describe('cli exit codes of a failed start', () => {
  it('exits 4 when StartPipelineExecution fails for expired credentials, as the README says', async () => {
    const aws = restingWorld();
    aws.failures.set('StartPipelineExecution', new DeployError('credentials-expired', 'The security token included in the request is expired'));
    const h = harness(aws);
    assert.equal(await run(['deploy', SHA_B, '--env', 'spryker-prod', '--yes', '--no-follow'], h.io), 4);
    assert.match(h.err.at(-1) ?? '', /restored/);
  });
});

describe('cli refusals name the option that goes on', () => {
  it('a deploy of a version without images names --allow-missing-images; nothing is written', async () => {
    const aws = restingWorld();
    const h = harness(aws);
    assert.equal(await run(['deploy', SHA_C, '--env', 'spryker-prod', '--yes', '--no-follow'], h.io), 1);
    assert.match(h.err.at(-1) ?? '', /No image tagged c{40} in: .*Build and push it first\. Or deploy anyway with --allow-missing-images/);
    assert.equal(aws.count('PutParameter'), 0);
  });

  for (const command of [['deploy', SHA_B], ['rollback', '--to', SHA_B]]) {
    it(`${command[0]} while an execution runs names approve, reject and --supersede; nothing is written`, async () => {
      const aws = restingWorld();
      aws.executions.unshift({ executionId: 'exec-running', status: 'InProgress', startTime: new Date(aws.clock) });
      const h = harness(aws);
      assert.equal(await run([...command, '--env', 'spryker-prod', '--yes', '--no-follow'], h.io), 1);
      assert.match(h.err.at(-1) ?? '', /exec-running in progress .*Nothing was written\. .*spryker-deploy approve --env spryker-prod or spryker-deploy reject --env spryker-prod; or add --supersede\.$/);
      assert.equal(aws.count('PutParameter'), 0);
    });
  }
});

describe('cli after a rejection: desired_version is said, and restore puts it back', () => {
  /** spryker-prod with SHA_A deployed and execution exec-new waiting for approval to deploy SHA_B. */
  function waitingWorld(): FakeAws {
    const aws = restingWorld();
    aws.setParameter('/spryker-prod/desired_version', SHA_B);
    aws.executions.unshift({ executionId: 'exec-new', status: 'InProgress', startTime: new Date(aws.clock) });
    aws.stages = aws.stages.map((s) => (s.name === 'Please_approve' ? { ...s, status: 'InProgress', executionId: 'exec-new', actions: [{ name: 'Approval', status: 'InProgress', token: 'tok-1' }] } : s));
    return aws;
  }
  const desired = (aws: FakeAws) => aws.parameters.get('/spryker-prod/desired_version')?.at(-1)?.value;

  it('reject says that desired_version still holds the rejected version and how to put it back', async () => {
    const aws = waitingWorld();
    const h = harness(aws);
    assert.equal(await run(['reject', '--env', 'spryker-prod', '--yes', '--comment', 'not today'], h.io), 0, h.err.join('\n'));
    assert.match(h.err.join('\n'), /\/spryker-prod\/desired_version still holds bbbbbbb, the version just rejected; aaaaaaa is deployed, .*Put it back with: spryker-deploy restore --env spryker-prod/);
    assert.equal(aws.count('PutParameter'), 0, 'reject writes nothing itself');
  });

  it('restore puts the deployed version back into desired_version, and writes nothing else', async () => {
    const aws = restingWorld();
    aws.setParameter('/spryker-prod/desired_version', SHA_B);
    const h = harness(aws);
    assert.equal(await run(['restore', '--env', 'spryker-prod', '--yes', '--json'], h.io), 0, h.err.join('\n'));
    assert.deepEqual(JSON.parse(h.out[0]), { environment: 'spryker-prod', parameter: '/spryker-prod/desired_version', version: SHA_A, previous: SHA_B, changed: true });
    assert.equal(desired(aws), SHA_A);
    assert.equal(aws.count('PutParameter'), 1);
    assert.equal(aws.count('StartPipelineExecution'), 0);
  });

  it('restore refuses while an execution waits (it would change what that one deploys): exit 1, nothing written', async () => {
    const aws = waitingWorld();
    const h = harness(aws);
    assert.equal(await run(['restore', '--env', 'spryker-prod', '--yes'], h.io), 1);
    assert.match(h.err.at(-1) ?? '', /exec-new .* waits for approval .*Nothing was changed\. Reject it first \(spryker-deploy reject --env spryker-prod\)/);
    assert.equal(aws.count('PutParameter'), 0);
  });

  it('restore that cannot read the parameters: exit 1, one sentence, nothing written', async () => {
    const aws = restingWorld();
    aws.setParameter('/spryker-prod/desired_version', SHA_B);
    aws.failures.set('GetParameters', new DeployError('network', 'Cannot reach AWS for ssm GetParameters (ECONNRESET): socket hang up'));
    const h = harness(aws);
    assert.equal(await run(['restore', '--env', 'spryker-prod', '--yes'], h.io), 1);
    assert.equal(h.err.length, 1);
    assert.match(h.err[0], /^spryker-deploy restore: spryker-prod: Cannot reach AWS .*socket hang up\. Nothing was changed\.$/);
    assert.equal(aws.count('PutParameter'), 0);
  });

  it('restore writes nothing when desired_version holds the deployed version, and asks production for --yes', async () => {
    const resting = restingWorld();
    const h = harness(resting);
    assert.equal(await run(['restore', '--env', 'spryker-prod'], h.io), 0, h.err.join('\n'));
    assert.match(h.out[0], /already holds the deployed version, a{40}\. Nothing was changed\./);
    const aws = restingWorld();
    aws.setParameter('/spryker-prod/desired_version', SHA_B);
    const refused = harness(aws);
    assert.equal(await run(['restore', '--env', 'spryker-prod'], refused.io), 2);
    assert.match(refused.err.at(-1) ?? '', /spryker-prod is production: pass --yes/);
    assert.equal(resting.count('PutParameter') + aws.count('PutParameter'), 0);
  });

  it('status shows a rejection as a decision, with desired_version and how to put it back', () => {
    const text = statusText(
      environmentStatus(new Date('2026-01-01T10:00:00Z'), {
        desiredVersion: SHA_B,
        lastDeployedVersion: SHA_A,
        pipeline: { name: 'NORMAL_Deploy_Spryker_spryker-prod', status: 'Failed', executionId: 'exec-new', stages: [], outcome: { kind: 'rejected', by: 'jane', comment: 'not today' } },
      }),
    );
    assert.match(text, /pipeline {2}NORMAL_Deploy_Spryker_spryker-prod: Rejected {2}\[exec-new\]/);
    assert.match(text, /outcome {3}Rejected by jane: not today/);
    assert.match(text, /desired_version still holds bbbbbbb; aaaaaaa is the deployed version; put it back with: spryker-deploy restore --env spryker-prod/);
  });
});

describe('cli: a pipeline or cluster AWS does not know names the setting to change', () => {
  it('deploy to a pipeline that does not exist: exit 1, one line that names "pipelines" in .spryker-deploy.json', async () => {
    const aws = restingWorld();
    aws.pipelineExists = false;
    const h = harness(aws);
    assert.equal(await run(['deploy', SHA_B, '--env', 'spryker-prod', '--yes', '--no-follow'], h.io), 1);
    assert.match(h.err.at(-1) ?? '', /^spryker-deploy deploy: Pipeline NORMAL_Deploy_Spryker_spryker-prod not found\. If the pipeline has another name here, set it under "pipelines" for this environment in \.spryker-deploy\.json\.$/);
    assert.equal(aws.count('PutParameter'), 0);
  });

  it('status says it on the part that failed, with a full stop between AWS\'s words and the hint', () => {
    const text = statusText(
      environmentStatus(new Date('2026-01-01T10:00:00Z'), {
        errors: [
          { part: 'pipeline', code: 'not-found', message: "Account '1' does not have a pipeline with name 'X'", awsCode: 'PipelineNotFoundException' },
          { part: 'services', code: 'not-found', message: 'Cluster not found.', awsCode: 'ClusterNotFoundException' },
        ],
      }),
    );
    assert.match(text, /! pipeline: Account '1' does not have a pipeline with name 'X'\. If the pipeline has another name here, set it under "pipelines"/);
    assert.match(text, /! services: Cluster not found\. If the ECS cluster has another name here, set "cluster"/);
  });
});

describe('cli logs without a failed stage', () => {
  const build = (n: number) => `proj:0000000${n}-0000-4000-8000-000000000000`;
  function succeededWorld(): FakeAws {
    const aws = restingWorld();
    // AWS lists the newest first: Run_install ran after the comparison; the approval and the rollout ran no build.
    aws.actionExecutions = [
      { stageName: 'Deploy_Spryker_services', actionName: 'Deploy_yves', status: 'Succeeded', externalExecutionId: 'ecs-svc/1' },
      { stageName: 'Run_install', actionName: 'Run_install', status: 'Succeeded', externalExecutionId: build(2) },
      { stageName: 'Please_approve', actionName: 'Approval', status: 'Succeeded' },
      { stageName: 'Prepare_versions_information_for_Approval_stage', actionName: 'Prepare', status: 'Succeeded', externalExecutionId: build(1) },
    ];
    return aws;
  }

  it('names --stage and the stages whose log can be read, in the order they ran: exit 1, one line', async () => {
    const h = harness(succeededWorld());
    assert.equal(await run(['logs', '--env', 'spryker-prod'], h.io), 1);
    assert.deepEqual(h.err, ['spryker-deploy logs: No stage failed in execution exec-old; name one with --stage (stages with a build log in it: Prepare_versions_information_for_Approval_stage, Run_install).']);
  });

  it('a stage that did not run says which did', async () => {
    const h = harness(succeededWorld());
    assert.equal(await run(['logs', '--env', 'spryker-prod', '--stage', 'Nope'], h.io), 1);
    assert.match(h.err.at(-1) ?? '', /Stage Nope did not run in execution exec-old; stages with a build log in it: Prepare_versions_information_for_Approval_stage, Run_install\.$/);
  });
});

describe('cli: a start AWS throttled', () => {
  it('says in sentences that no execution started and desired_version was put back: exit 1, one line', async () => {
    const aws = restingWorld();
    aws.failures.set('StartPipelineExecution', new DeployError('throttled', 'AWS throttled codepipeline StartPipelineExecution; try again in a moment.'));
    const h = harness(aws);
    assert.equal(await run(['deploy', SHA_B, '--env', 'spryker-prod', '--yes', '--no-follow'], h.io), 1);
    assert.equal(
      h.err.at(-1),
      'spryker-deploy deploy: Starting NORMAL_Deploy_Spryker_spryker-prod failed: AWS throttled codepipeline StartPipelineExecution; try again in a moment. No execution started; /spryker-prod/desired_version was restored to aaaaaaa.',
    );
    assert.equal(aws.parameters.get('/spryker-prod/desired_version')?.at(-1)?.value, SHA_A);
  });
});

describe('cli: a write of desired_version AWS refused', () => {
  it('says that nothing was written and no pipeline started, keeping the exit code of the cause', async () => {
    const aws = restingWorld();
    aws.failures.set('PutParameter', new DeployError('throttled', 'AWS throttled ssm PutParameter; try again in a moment.'));
    const h = harness(aws);
    assert.equal(await run(['deploy', SHA_B, '--env', 'spryker-prod', '--yes', '--no-follow'], h.io), 1);
    assert.equal(h.err.at(-1), 'spryker-deploy deploy: Writing /spryker-prod/desired_version = bbbbbbb failed: AWS throttled ssm PutParameter; try again in a moment. Nothing was written; no pipeline was started.');
    aws.failures.set('PutParameter', new DeployError('credentials-expired', 'The security token included in the request is expired'));
    assert.equal(await run(['deploy', SHA_B, '--env', 'spryker-prod', '--yes', '--no-follow'], h.io), 4);
    assert.match(h.err.at(-1) ?? '', /expired\. Nothing was written; no pipeline was started\.$/);
    assert.equal(aws.count('StartPipelineExecution'), 0);
  });
});

describe('cli status when nothing can be read', () => {
  it('exits non-zero and says so when no part of an environment could be read (an unreachable endpoint)', async () => {
    const aws = restingWorld();
    for (const op of ['GetParameters', 'GetParameterHistory', 'GetPipelineState', 'ListPipelineExecutions', 'GetPipelineExecution', 'ListActionExecutions', 'ListServices', 'DescribeServices', 'ListTasks', 'DescribeTasks', 'DescribeTaskDefinition']) {
      aws.failures.set(op, new DeployError('network', `Could not reach AWS (${op})`));
    }
    const h = harness(aws);
    assert.equal(await run(['status', '--env', 'spryker-prod'], h.io), 1);
    assert.match(h.err.join('\n'), /spryker-prod: nothing could be read \(.*pipeline: Could not reach AWS/);
  });

  it('still exits 0 when only one part failed', async () => {
    const aws = restingWorld();
    aws.failures.set('ListServices', new DeployError('access-denied', 'not allowed'));
    const h = harness(aws);
    assert.equal(await run(['status', '--env', 'spryker-prod'], h.io), 0, h.err.join('\n'));
  });
});

describe('cli reliability: options, control characters and Ctrl-C', () => {
  for (const args of [
    ['deploy', SHA_B, '--env', 'spryker-prod', '--yes', '--poll', 'abc'],
    ['deploy', SHA_B, '--env', 'spryker-prod', '--yes', '--poll', '0'],
    ['rollback', '--env', 'spryker-prod', '--yes', '--poll', ''],
    ['approve', '--env', 'spryker-prod', '--yes', '--comment', 'x'.repeat(513)],
    ['history', '--env', 'spryker-prod', '--max', '1.5'],
    ['deploy', SHA_B, '--env', 'spryker-prod', '--yes', '--wait', '--no-follow'],
    ['retry', '--env', 'spryker-prod', '--yes', '--execution', 'not-an-id'],
    ['logs', '--env', 'spryker-prod', '--stage', 'Run install'],
  ]) {
    it(`refuses ${args.slice(-2).join(' ').slice(0, 40)} with exit 2 before any AWS call`, async () => {
      const aws = restingWorld();
      const h = harness(aws);
      assert.equal(await run(args, h.io), 2);
      assert.equal(aws.count(), 0, 'nothing read or written');
      assert.equal(h.err.length, 1);
      assert.match(h.err[0], /^spryker-deploy \w+: (--poll|--max|--wait|--execution|--stage|The comment|.*512)/);
    });
  }

  it('strips ANSI escapes, BEL and CR from AWS text in human output, and keeps them escaped in --json', async () => {
    const aws = restingWorld();
    aws.executions.unshift({ executionId: 'exec-evil', status: 'Failed', statusSummary: 'boom\u001b[2J\u001b]0;pwned\u0007\rfaked\u202e' });
    const h = harness(aws);
    assert.equal(await run(['history', '--env', 'spryker-prod'], h.io), 0);
    const text = h.out.join('\n');
    assert.ok(text.includes('boom[2J]0;pwnedfaked'), text);
    // eslint-disable-next-line no-control-regex
    assert.doesNotMatch(text, /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202e]/);
    const j = harness(aws);
    assert.equal(await run(['history', '--env', 'spryker-prod', '--json'], j.io), 0);
    assert.ok(j.out[0].includes(JSON.stringify('boom\u001b[2J\u001b]0;pwned\u0007\rfaked\u202e')), j.out[0]);
  });

  function interruptible() {
    const listeners: ((n: number) => 'exit' | 'continue')[] = [];
    return {
      interrupts: { subscribe: (l: (n: number) => 'exit' | 'continue') => (listeners.push(l), () => listeners.splice(listeners.indexOf(l), 1)) },
      press: (n: number) => listeners.map((l) => l(n)),
    };
  }

  it('Ctrl-C while desired_version is being written: finishes the write and the start, says so, and stops with the state', async () => {
    const aws = restingWorld();
    const keys = interruptible();
    const h = harness(aws, { interrupts: keys.interrupts });
    const put = aws.ports.parameters.putParameter;
    Object.assign(aws.ports.parameters, { putParameter: (n: string, v: string) => (keys.press(1), put(n, v)) });
    assert.equal(await run(['deploy', SHA_B, '--env', 'spryker-prod', '--yes'], h.io), 130);
    assert.equal(aws.started, 1, 'the pipeline was started: desired_version is not left changed without one');
    assert.ok(h.err.some((l) => l.startsWith('Ctrl-C: finishing what is in flight first: /spryker-prod/desired_version = ' + SHA_B)), h.err.join('\n'));
    assert.match(h.err.at(-1)!, new RegExp(`Stopped after the writes: /spryker-prod/desired_version = ${SHA_B} and execution exec-1 started; the deploy goes on in AWS\\. Follow it with: spryker-deploy status --env spryker-prod`));
  });

  it('a second Ctrl-C while the start is in flight leaves the state and how to restore it', async () => {
    const aws = restingWorld();
    const keys = interruptible();
    const h = harness(aws, { interrupts: keys.interrupts });
    const start = aws.ports.pipelines.startPipelineExecution;
    Object.assign(aws.ports.pipelines, { startPipelineExecution: (n: string, t?: string) => (keys.press(1), keys.press(2), start(n, t)) });
    await run(['deploy', SHA_B, '--env', 'spryker-prod', '--yes', '--no-follow'], h.io);
    const second = h.err.find((l) => l.startsWith('Stopped after /spryker-prod/desired_version was set to'))!;
    assert.ok(second, h.err.join('\n'));
    assert.ok(second.includes(`set to ${SHA_B} (it held ${SHA_A})`));
    assert.ok(second.includes('an execution may or may not have started. See with: spryker-deploy status --env spryker-prod'));
    assert.ok(second.includes(`restore with: aws ssm put-parameter --name /spryker-prod/desired_version --value ${SHA_A} --overwrite --region eu-central-1`));
  });

  it('Ctrl-C before anything is written: exits at once, saying nothing was written', async () => {
    const aws = restingWorld();
    const keys = interruptible();
    const h = harness(aws, { interrupts: keys.interrupts });
    let answers: string[] = [];
    const get = aws.ports.parameters.getParameters;
    Object.assign(aws.ports.parameters, { getParameters: (n: readonly string[]) => ((answers = keys.press(1)), get(n)) });
    await run(['status', '--env', 'spryker-prod'], h.io);
    assert.deepEqual(answers, ['exit']);
    assert.ok(h.err.includes('Ctrl-C: stopped; nothing was written.'), h.err.join('\n'));
  });

  it('Ctrl-C while following: stops following, says the deploy goes on and how to continue', async () => {
    const aws = restingWorld();
    const keys = interruptible();
    const h = harness(aws, { interrupts: keys.interrupts });
    const get = aws.ports.pipelines.getPipelineExecution;
    Object.assign(aws.ports.pipelines, { getPipelineExecution: (n: string, id: string) => (keys.press(1), get(n, id)) });
    assert.equal(await run(['deploy', SHA_B, '--env', 'spryker-prod', '--yes', '--poll', '0.01'], h.io), 130);
    assert.ok(h.err.includes('Ctrl-C: stopped following execution exec-1; the deploy goes on in AWS.'), h.err.join('\n'));
    assert.match(h.err.at(-1)!, /Stopped following execution exec-1 on spryker-prod; the deploy goes on in AWS\. Follow it with: spryker-deploy status --env spryker-prod/);
  });
});
