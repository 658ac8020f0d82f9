// `spryker-deploy status` through the lean JSON-protocol client (src/aws/lean.ts) and through the SDK
// (SPRYKER_DEPLOY_SDK=1), each a separate process against the same sandbox: the same output, the same calls, and
// the SDK wherever the lean client cannot do what it would (an SSO or role profile).
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSandbox, type Sandbox } from '../../../src/sandbox';
import { runCli } from './cliRunner';

const CALL = /^\[aws\] (\w+) (\w+) (ok|failed \(\w+\)) \d+ms$/;

/** The calls a --verbose run logged, as "service Operation outcome", sorted (parallel calls log in any order). */
const calls = (stderr: string): string[] =>
  stderr
    .split('\n')
    .map((l) => CALL.exec(l))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => `${m[1]} ${m[2]} ${m[3]}`)
    .sort();

/** status --json with the one field that differs between two runs (the time of the read) blanked. */
const withoutReadTime = (stdout: string): string => stdout.replace(/"fetchedAt": "[^"]+"/g, '"fetchedAt": "(read time)"');

describe('spryker-deploy status: the lean client and the SDK give the same answer', function () {
  this.timeout(120_000);
  let sandbox: Sandbox;
  let home: string;

  before(async () => {
    sandbox = await startSandbox({ stageSeconds: 3600, seed: 12 });
    home = mkdtempSync(join(tmpdir(), 'sd-lean-cli-'));
    writeFileSync(join(home, '.spryker-deploy.json'), JSON.stringify({ environments: [{ name: 'spryker-staging' }, { name: 'spryker-prod' }] }));
  });
  after(async () => {
    await sandbox.stop();
    rmSync(home, { recursive: true, force: true });
  });
  afterEach(() => sandbox.control.clearFaults());

  const status = (args: string[], extraEnv: Record<string, string> = {}) => runCli(sandbox, home, ['status', ...args], home, { extraEnv });

  it('status --json is byte-identical but for the read time, with the same calls, cold and with the task definitions kept', async () => {
    // Each path with its own cache directory: both start cold (every task definition read), then keep them.
    const lean = { XDG_CACHE_HOME: join(home, 'cache-lean') };
    const sdk = { XDG_CACHE_HOME: join(home, 'cache-sdk'), SPRYKER_DEPLOY_SDK: '1' };
    for (const round of ['cold', 'kept']) {
      const [a, b] = [await status(['--json', '--verbose'], sdk), await status(['--json', '--verbose'], lean)];
      assert.equal(a.code, 0, a.stderr);
      assert.equal(b.code, 0, b.stderr);
      assert.equal(withoutReadTime(b.stdout), withoutReadTime(a.stdout), round);
      assert.deepEqual(calls(b.stderr), calls(a.stderr), round);
      assert.ok(calls(b.stderr).length >= 12, `${round}: both environments read`);
      if (round === 'kept') assert.ok(!calls(b.stderr).some((c) => c.includes('DescribeTaskDefinition')), 'task definitions kept');
      assert.doesNotMatch(b.stderr, /the AWS SDK/, 'the lean client was used');
    }
  });

  it('the same text and exit code when AWS refuses the credentials', async () => {
    sandbox.control.addFault('expired-credentials');
    const [a, b] = [await status(['--env', 'spryker-prod'], { SPRYKER_DEPLOY_SDK: '1' }), await status(['--env', 'spryker-prod'])];
    assert.equal(a.code, 4);
    assert.deepEqual([b.code, b.stdout, b.stderr], [a.code, a.stdout, a.stderr]);
  });

  it('an SSO or role profile takes the SDK, unchanged; a profile with static keys takes the lean client', async () => {
    const config = join(home, 'aws-config');
    const credentials = join(home, 'aws-credentials');
    writeFileSync(
      config,
      [
        '[profile sso]',
        'sso_session = corp',
        'sso_account_id = 000000000000',
        'sso_role_name = Deploy',
        '[sso-session corp]',
        'sso_start_url = https://corp.awsapps.com/start',
        'sso_region = eu-central-1',
        '[profile role]',
        'role_arn = arn:aws:iam::000000000000:role/deploy',
        'source_profile = keys',
      ].join('\n'),
    );
    writeFileSync(credentials, `[keys]\naws_access_key_id = ${sandbox.credentials.accessKeyId}\naws_secret_access_key = ${sandbox.credentials.secretAccessKey}\n`);
    const env = { AWS_CONFIG_FILE: config, AWS_SHARED_CREDENTIALS_FILE: credentials };
    const sso = await status(['--env', 'spryker-prod', '--profile', 'sso', '--verbose'], env);
    assert.match(sso.stderr, /\[aws\] spryker-prod: the AWS SDK \(profile sso has sso_session\)/);
    const sdkSso = await status(['--env', 'spryker-prod', '--profile', 'sso'], { ...env, SPRYKER_DEPLOY_SDK: '1' });
    assert.equal(sso.code, sdkSso.code);
    assert.equal(sso.stdout, sdkSso.stdout);
    const role = await status(['--env', 'spryker-prod', '--profile', 'role', '--verbose', '--json'], env);
    assert.match(role.stderr, /\[aws\] spryker-prod: the AWS SDK \(profile role has role_arn\)/);
    const keys = await status(['--env', 'spryker-prod', '--profile', 'keys', '--verbose', '--json'], env);
    assert.equal(keys.code, 0, keys.stderr);
    assert.doesNotMatch(keys.stderr, /the AWS SDK/);
    const sdkKeys = await status(['--env', 'spryker-prod', '--profile', 'keys', '--json'], { ...env, SPRYKER_DEPLOY_SDK: '1' });
    assert.equal(withoutReadTime(keys.stdout), withoutReadTime(sdkKeys.stdout));
  });
});
