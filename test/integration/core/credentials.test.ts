// New credentials are picked up without a restart: the same ports, a profile whose keys are replaced on disk
// (as saml2aws does after a new sign-in).

import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAwsPortsFactory } from '../../../src/aws';
import { resolveEnvironment } from '../../../src/core/environments';
import { createEnvironmentService } from '../../../src/core/environmentService';
import { isDeployError } from '../../../src/core/errors';
import { startSandbox, type Sandbox } from '../../../src/sandbox';

describe('credentials from a profile against the sandbox', function () {
  this.timeout(30_000);
  let sandbox: Sandbox;
  let dir: string;
  const saved: Record<string, string | undefined> = {};
  const vars = ['AWS_CONFIG_FILE', 'AWS_SHARED_CREDENTIALS_FILE', 'AWS_PROFILE', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN'];

  before(async () => {
    sandbox = await startSandbox({ stageSeconds: 1, seed: 3 });
    dir = mkdtempSync(join(tmpdir(), 'sd-profile-'));
    for (const v of vars) saved[v] = process.env[v];
    for (const v of vars) delete process.env[v];
    process.env.AWS_CONFIG_FILE = join(dir, 'config');
    process.env.AWS_SHARED_CREDENTIALS_FILE = join(dir, 'credentials');
    writeFileSync(process.env.AWS_CONFIG_FILE, '[profile sbx]\nregion = eu-central-1\n');
  });
  after(async () => {
    await sandbox.stop();
    rmSync(dir, { recursive: true, force: true });
    for (const v of vars) {
      if (saved[v] === undefined) delete process.env[v];
      else process.env[v] = saved[v];
    }
  });

  it('refuses stale keys as expired credentials, then works once the file holds new ones', async () => {
    const file = process.env.AWS_SHARED_CREDENTIALS_FILE!;
    writeFileSync(file, '[sbx]\naws_access_key_id = ASIASTALE\naws_secret_access_key = stale\naws_session_token = old\n');
    const config = resolveEnvironment({ name: 'spryker-prod', profile: 'sbx', endpoint: sandbox.endpoint });
    const service = createEnvironmentService(config, createAwsPortsFactory()(config));
    await assert.rejects(service.status(), (e: unknown) => isDeployError(e, 'credentials-expired') && e.details.profile === 'sbx' && /--profile sbx/.test(e.message));
    writeFileSync(file, `[sbx]\naws_access_key_id = ${sandbox.credentials.accessKeyId}\naws_secret_access_key = ${sandbox.credentials.secretAccessKey}\n`);
    utimesSync(file, new Date(), new Date(Date.now() + 2000));
    const status = await service.status();
    assert.deepEqual(status.errors, []);
    assert.equal(status.desiredVersion, sandbox.inspect.parameter('/spryker-prod/desired_version'));
  });

  it('a profile that does not exist is "not signed in"', async () => {
    const config = resolveEnvironment({ name: 'spryker-prod', profile: 'missing', endpoint: sandbox.endpoint });
    await assert.rejects(createEnvironmentService(config, createAwsPortsFactory()(config)).status(), (e: unknown) => isDeployError(e, 'not-signed-in'));
  });
});
