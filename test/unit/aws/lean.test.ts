// The lean JSON-protocol client of `status` (src/aws/lean.ts, jsonProtocol.ts) against the SDK's own definitions:
// the timestamp members of each answer (the SDK's schemas), the shared files as the SDK reads them, the endpoint
// the SDK resolves, and when the SDK must be used instead.
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as Pipeline from '@aws-sdk/client-codepipeline';
import * as Ecs from '@aws-sdk/client-ecs';
import * as Ssm from '@aws-sdk/client-ssm';
import { parseKnownFiles } from '@smithy/core/config';
import { ECS_JSON, PIPELINE_JSON, SSM_JSON, type JsonService } from '../../../src/aws/jsonProtocol';
import { leanPlan, standardEndpoint } from '../../../src/aws/lean';
import { readProfiles } from '../../../src/aws/sharedFiles';

type Schema = unknown;

/** Paths (`a[].b`) of the timestamp members of an SDK schema (@smithy/core/schema's static arrays). */
function timestampPaths(schema: Schema, path = '', seen = new Set<unknown>()): string[] {
  const s = typeof schema === 'function' ? (schema as () => Schema)() : schema;
  if (typeof s === 'number') {
    const suffix = s & 64 ? '[]' : s & 128 ? '{}' : '';
    return (s & 63) >= 4 && (s & 63) <= 7 ? [path + suffix] : [];
  }
  if (!Array.isArray(s)) return [];
  if (s.length === 2) return timestampPaths(s[0], path, seen);
  const kind = s[0] as number;
  if (kind === 3 || kind === -3 || kind === 4) {
    if (seen.has(s)) return [];
    const inner = new Set(seen).add(s);
    return (s[4] as string[]).flatMap((member, i) => timestampPaths((s[5] as Schema[])[i], path ? `${path}.${member}` : member, inner));
  }
  if (kind === 1) return timestampPaths(s[4], `${path}[]`, seen);
  if (kind === 2) return timestampPaths(s[5], `${path}{}`, seen);
  if (kind === 0) return timestampPaths(s[4], path, seen);
  return [];
}

const SERVICES: readonly [JsonService, Record<string, unknown>][] = [
  [SSM_JSON, Ssm as unknown as Record<string, unknown>],
  [PIPELINE_JSON, Pipeline as unknown as Record<string, unknown>],
  [ECS_JSON, Ecs as unknown as Record<string, unknown>],
];

describe('lean JSON-protocol client (status without the SDK)', () => {
  it("turns exactly the members the SDK's schema types as timestamps into Dates, per operation", () => {
    for (const [service, sdk] of SERVICES) {
      for (const [operation, paths] of Object.entries(service.operations)) {
        const schema = sdk[`${operation}$`] as unknown[];
        assert.ok(Array.isArray(schema), `${service.name} ${operation} has an SDK schema`);
        assert.deepEqual([...paths].sort(), timestampPaths(schema[5]).sort(), `${service.name} ${operation}`);
      }
    }
  });

  it("sends the reads of a status and of the tree's Maintenance row, and only those", () => {
    const operations = SERVICES.flatMap(([service]) => Object.keys(service.operations).map((o) => `${service.name} ${o}`));
    assert.deepEqual(operations.sort(), [
      'codepipeline GetPipelineExecution',
      'codepipeline GetPipelineState',
      'codepipeline ListPipelineExecutions',
      'ecs DescribeServices',
      'ecs DescribeTaskDefinition',
      'ecs DescribeTasks',
      'ecs ListServices',
      'ecs ListTasks',
      'ssm GetParameters',
    ]);
  });

  it('resolves the endpoint the SDK resolves for a region, or leaves the region to the SDK', async () => {
    for (const region of ['eu-central-1', 'us-east-1', 'ap-southeast-5', 'il-central-1', 'mx-central-1', 'us-gov-west-1', 'cn-north-1', 'cn-northwest-1']) {
      for (const [service, Client] of [
        ['ssm', Ssm.SSMClient],
        ['codepipeline', Pipeline.CodePipelineClient],
        ['ecs', Ecs.ECSClient],
      ] as const) {
        const client = new Client({ region });
        const sdk = client.config.endpointProvider({ Region: region, UseFIPS: false, UseDualStack: false });
        assert.equal(standardEndpoint(service, region), sdk.url.origin, `${service} ${region}`);
        client.destroy();
      }
    }
    for (const region of ['us-iso-east-1', 'us-isob-east-1', 'eu-isoe-west-1', 'us-isof-south-1', 'eusc-de-east-1']) assert.equal(standardEndpoint('ssm', region), undefined, region);
  });

  describe('shared files and credentials', () => {
    let dir: string;
    const keys = ['AWS_CONFIG_FILE', 'AWS_SHARED_CREDENTIALS_FILE'] as const;
    const saved = keys.map((k) => process.env[k]);
    let env: NodeJS.ProcessEnv;
    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), 'sd-lean-'));
      process.env.AWS_CONFIG_FILE = join(dir, 'config');
      process.env.AWS_SHARED_CREDENTIALS_FILE = join(dir, 'credentials');
      env = { AWS_CONFIG_FILE: process.env.AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE: process.env.AWS_SHARED_CREDENTIALS_FILE };
    });
    afterEach(() => {
      rmSync(dir, { recursive: true, force: true });
      keys.forEach((k, i) => (saved[i] === undefined ? delete process.env[k] : (process.env[k] = saved[i])));
    });
    const files = (config: string, credentials: string) => {
      writeFileSync(process.env.AWS_CONFIG_FILE!, config);
      writeFileSync(process.env.AWS_SHARED_CREDENTIALS_FILE!, credentials);
    };
    const env1 = { name: 'spryker-prod', region: 'eu-central-1' };

    it("reads the profiles as the SDK's parseKnownFiles does (inline comments, sub-sections, [profile x], the credentials file winning)", async () => {
      files(
        [
          '[default]',
          'region = eu-west-1',
          '[profile default]',
          'output = json',
          '[profile acme] # team account',
          'region = eu-central-1 ; inline',
          's3 =',
          '  max_concurrent_requests = 20',
          'aws_access_key_id = FROMCONFIG',
          '[sso-session corp]',
          'sso_start_url = https://corp.awsapps.com/start',
          '[other]',
          'x = 1',
        ].join('\n'),
        ['[acme]', 'aws_access_key_id = AKIAEXAMPLE # comment', 'aws_secret_access_key=se#cret', '', '; a comment', '[ci]', 'aws_access_key_id = AKIACI', 'aws_secret_access_key = s'].join(
          '\r\n',
        ),
      );
      const sdk = await parseKnownFiles({ ignoreCache: true });
      const ours = readProfiles();
      for (const name of ['default', 'acme', 'ci']) assert.deepEqual(ours[name], sdk[name], name);
    });

    it('takes the SDK for SSO, role, credential_process and web identity profiles, and for profiles without static keys', () => {
      files(
        [
          '[profile sso]',
          'sso_session = corp',
          'sso_account_id = 1',
          'sso_role_name = Admin',
          '[profile role]',
          'role_arn = arn:aws:iam::1:role/deploy',
          'source_profile = keys',
          '[profile process]',
          'credential_process = saml2aws ...',
          '[profile web]',
          'web_identity_token_file = /t',
          'role_arn = arn:aws:iam::1:role/x',
          '[profile empty]',
          'region = eu-central-1',
        ].join('\n'),
        '[keys]\naws_access_key_id = AKIAKEYS\naws_secret_access_key = s\n',
      );
      for (const profile of ['sso', 'role', 'process', 'web', 'empty', 'missing']) {
        const plan = leanPlan({ ...env1, profile }, {}, env);
        assert.equal(plan.lean, false, profile);
      }
      const keysPlan = leanPlan({ ...env1, profile: 'keys' }, {}, env);
      assert.ok(keysPlan.lean && keysPlan.source === 'profile');
    });

    it('follows the order of the SDK chain: env.profile or AWS_PROFILE before the environment keys, then the default profile', async () => {
      files('', '[default]\naws_access_key_id = AKIADEFAULT\naws_secret_access_key = d\n[named]\naws_access_key_id = AKIANAMED\naws_secret_access_key = n\n');
      const keysOf = async (plan: ReturnType<typeof leanPlan>) => (plan.lean ? (await plan.credentials.provider()).accessKeyId : `sdk: ${plan.why}`);
      const withEnv = { ...env, AWS_ACCESS_KEY_ID: 'AKIAENV', AWS_SECRET_ACCESS_KEY: 'e', AWS_SESSION_TOKEN: 't' };
      assert.equal(await keysOf(leanPlan(env1, {}, withEnv)), 'AKIAENV');
      assert.equal((await (leanPlan(env1, {}, withEnv) as { credentials: { provider: () => Promise<{ sessionToken?: string }> } }).credentials.provider()).sessionToken, 't');
      assert.equal(await keysOf(leanPlan({ ...env1, profile: 'named' }, {}, withEnv)), 'AKIANAMED');
      assert.equal(await keysOf(leanPlan(env1, {}, { ...withEnv, AWS_PROFILE: 'named' })), 'AKIANAMED');
      assert.equal(await keysOf(leanPlan(env1, {}, env)), 'AKIADEFAULT');
      assert.equal(await keysOf(leanPlan(env1, { credentials: { accessKeyId: 'AKIAFIXED', secretAccessKey: 'f' } }, withEnv)), 'AKIAFIXED');
    });

    it('takes the SDK where its settings would change the endpoint, signing or retries', () => {
      files('[default]\naws_access_key_id = AKIA\naws_secret_access_key = s\n[profile fips]\nuse_fips_endpoint = true\naws_access_key_id = AKIA\naws_secret_access_key = s\n', '');
      const lean = (e: typeof env1 & { endpoint?: string; profile?: string }, vars: NodeJS.ProcessEnv = {}) => leanPlan(e, {}, { ...env, ...vars }).lean;
      assert.equal(lean(env1), true);
      assert.equal(lean(env1, { AWS_USE_FIPS_ENDPOINT: 'true' }), false);
      assert.equal(lean(env1, { AWS_USE_FIPS_ENDPOINT: 'false' }), true);
      assert.equal(lean(env1, { AWS_USE_DUALSTACK_ENDPOINT: 'true' }), false);
      assert.equal(lean(env1, { AWS_MAX_ATTEMPTS: '5' }), false);
      assert.equal(lean(env1, { AWS_ENDPOINT_URL_ECS: 'http://localhost:1' }), false);
      assert.equal(lean({ ...env1, endpoint: 'http://127.0.0.1:4566' }, { AWS_ENDPOINT_URL_ECS: 'http://localhost:1' }), true);
      assert.equal(lean({ ...env1, endpoint: 'https://vpce.example.com/prefix' }), false);
      const withPassword = leanPlan({ ...env1, endpoint: 'https://user:secret@proxy.example.com' }, {}, env);
      assert.ok(!withPassword.lean && !withPassword.why.includes('secret'), 'the reason never repeats the endpoint URL');
      assert.equal(lean({ ...env1, region: 'us-iso-east-1' }), false);
      assert.equal(lean(env1, { AWS_PROFILE: 'fips' }), false);
      // The clients' settings come from AWS_PROFILE or the default profile, whatever env.profile names.
      assert.equal(lean({ ...env1, profile: 'fips' }), false);
    });

    it('reads a profile again after AWS refused its keys (the one retry of the caller)', async () => {
      files('', '[acme]\naws_access_key_id = AKIAOLD\naws_secret_access_key = s\n');
      const plan = leanPlan({ ...env1, profile: 'acme' }, {}, env);
      assert.ok(plan.lean && plan.credentials.reloadable);
      assert.equal((await plan.credentials.provider()).accessKeyId, 'AKIAOLD');
      files('', '[acme]\naws_access_key_id = AKIANEW\naws_secret_access_key = s\n');
      assert.equal((await plan.credentials.provider()).accessKeyId, 'AKIAOLD');
      plan.credentials.invalidate();
      assert.equal((await plan.credentials.provider()).accessKeyId, 'AKIANEW');
    });
  });
});
