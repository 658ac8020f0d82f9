import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCaller } from '../../../src/aws/call';
import { createCredentialSource } from '../../../src/aws/credentials';
import { listProfiles } from '../../../src/aws/profiles';

describe('aws credentials', () => {
  let dir: string;
  const saved = { config: process.env.AWS_CONFIG_FILE, credentials: process.env.AWS_SHARED_CREDENTIALS_FILE };
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'sd-creds-'));
    process.env.AWS_CONFIG_FILE = join(dir, 'config');
    process.env.AWS_SHARED_CREDENTIALS_FILE = join(dir, 'credentials');
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
    for (const [key, value] of [['AWS_CONFIG_FILE', saved.config], ['AWS_SHARED_CREDENTIALS_FILE', saved.credentials]] as const) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  });

  it('keeps credentials until they expire, the files change, or AWS refused them', async () => {
    writeFileSync(process.env.AWS_SHARED_CREDENTIALS_FILE!, '[acme]\naws_access_key_id = A\naws_secret_access_key = S\n');
    let loads = 0;
    const state: { expiration?: Date } = {};
    const source = createCredentialSource({
      profile: 'acme',
      load: async (profile) => {
        loads++;
        assert.equal(profile, 'acme');
        return { accessKeyId: `key${loads}`, secretAccessKey: 's', ...(state.expiration ? { expiration: state.expiration } : {}) };
      },
    });
    assert.equal((await source.provider()).accessKeyId, 'key1');
    assert.equal((await source.provider()).accessKeyId, 'key1');
    // saml2aws rewrites the credentials file when the user signs in again.
    utimesSync(process.env.AWS_SHARED_CREDENTIALS_FILE!, new Date(), new Date(Date.now() + 5000));
    assert.equal((await source.provider()).accessKeyId, 'key2');
    source.invalidate();
    state.expiration = new Date(Date.now() + 30_000);
    assert.equal((await source.provider()).accessKeyId, 'key3');
    assert.equal((await source.provider()).accessKeyId, 'key4', 'credentials about to expire are reloaded');
  });

  it('reads a real profile written by saml2aws through the SDK chain, re-reading the file after a change', async () => {
    const file = process.env.AWS_SHARED_CREDENTIALS_FILE!;
    writeFileSync(file, '[acme]\naws_access_key_id = AKIAOLD\naws_secret_access_key = old\naws_session_token = t1\nx_security_token_expires = 2026-01-01T00:00:00Z\n');
    const source = createCredentialSource({ profile: 'acme' });
    assert.equal((await source.provider()).accessKeyId, 'AKIAOLD');
    writeFileSync(file, '[acme]\naws_access_key_id = AKIANEW\naws_secret_access_key = new\naws_session_token = t2\n');
    utimesSync(file, new Date(), new Date(Date.now() + 5000));
    assert.equal((await source.provider()).accessKeyId, 'AKIANEW');
  });

  it('retries a call refused for expired credentials once, after reloading them', async () => {
    let invalidated = 0;
    const calls: string[] = [];
    const caller = createCaller('ssm', { provider: async () => ({ accessKeyId: 'a', secretAccessKey: 'b' }), invalidate: () => invalidated++, reloadable: true }, 'acme', {
      onCall: (info) => calls.push(`${info.operation}:${info.ok}`),
    });
    let attempt = 0;
    const result = await caller('GetParameters', async () => {
      if (++attempt === 1) throw Object.assign(new Error('expired'), { name: 'ExpiredTokenException', $metadata: {} });
      return 'ok';
    });
    assert.equal(result, 'ok');
    assert.equal(invalidated, 1);
    assert.deepEqual(calls, ['GetParameters:false', 'GetParameters:true']);
    await assert.rejects(
      caller('GetParameters', async () => {
        throw Object.assign(new Error('expired'), { name: 'ExpiredTokenException', $metadata: {} });
      }),
      (e: unknown) => (e as { kind: string }).kind === 'credentials-expired',
    );
  });

  it('lists the profiles of both files', async () => {
    writeFileSync(
      process.env.AWS_CONFIG_FILE!,
      '[default]\nregion = eu-central-1\n\n[profile acme-prod]\nsso_session = acme\nsso_account_id = 1\n\n[sso-session acme]\nsso_start_url = https://x\n\n[profile tool]\ncredential_process = /bin/creds\n# comment\n[profile role]\nrole_arn = arn:aws:iam::1:role/x\nsource_profile = default\n',
    );
    writeFileSync(process.env.AWS_SHARED_CREDENTIALS_FILE!, '[default]\naws_access_key_id = A\naws_secret_access_key = S\n[saml]\naws_access_key_id = B\naws_secret_access_key = S\n');
    const profiles = await listProfiles();
    assert.deepEqual(
      profiles.map((p) => [p.name, p.kind, p.sources.join('+')]),
      [
        ['default', 'static', 'config+credentials'],
        ['acme-prod', 'sso', 'config'],
        ['role', 'assume-role', 'config'],
        ['saml', 'static', 'credentials'],
        ['tool', 'credential-process', 'config'],
      ],
    );
    assert.equal(profiles[0].region, 'eu-central-1');
  });

  it("lists the profiles as the SDK's chain reads the files (inline comments, sub-sections, [profile default], case-sensitive keys)", async () => {
    writeFileSync(
      process.env.AWS_CONFIG_FILE!,
      '[profile default]\nregion = eu-west-1 # Ireland\n\n[profile shop]\nregion = eu-central-1 ; Frankfurt\ns3 =\n  max_concurrent_requests = 20\nrole_arn = arn:aws:iam::1:role/x\n\n[sso-session corp]\nsso_start_url = https://corp\n',
    );
    writeFileSync(process.env.AWS_SHARED_CREDENTIALS_FILE!, '[upper]\nAWS_ACCESS_KEY_ID = A\nAWS_SECRET_ACCESS_KEY = S\n');
    const profiles = await listProfiles();
    assert.deepEqual(
      profiles.map((p) => [p.name, p.kind, p.region ?? '']),
      [
        ['default', 'other', 'eu-west-1'],
        ['shop', 'assume-role', 'eu-central-1'],
        // The SDK reads aws_access_key_id only in lower case: these keys give it no credentials.
        ['upper', 'other', ''],
      ],
    );
  });
});
