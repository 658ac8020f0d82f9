// STS in the sandbox over its own wire protocol (awsQuery), as CI pipelines use it: the web identity token of
// GitHub Actions / GitLab CI / Bitbucket Pipelines exchanged for temporary credentials that the other services
// accept. Cross-checked with the real AWS CLI, which parses the XML answers with botocore's sts model.

import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startSandbox, type Sandbox } from '../../../src/sandbox/index';

const run = promisify(execFile);
const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
export const CI_TOKEN = `${b64({ alg: 'RS256', typ: 'JWT' })}.${b64({ sub: 'repo:acme/shop:ref:refs/heads/main', aud: 'sts.amazonaws.com', iss: 'https://token.actions.githubusercontent.com' })}.c2lnbmF0dXJl`;
const ROLE = 'arn:aws:iam::000000000000:role/SprykerDeployCI';

describe('sandbox STS (AssumeRoleWithWebIdentity, GetCallerIdentity)', function () {
  this.timeout(120_000);
  let sandbox: Sandbox;
  let dir: string;

  before(async () => {
    sandbox = await startSandbox({ seed: 5 });
    dir = mkdtempSync(join(tmpdir(), 'sd-sts-'));
    writeFileSync(join(dir, 'token'), CI_TOKEN);
  });
  after(async () => {
    await sandbox.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const query = (params: Record<string, string>) =>
    fetch(sandbox.endpoint, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' }, body: new URLSearchParams(params).toString() });

  function aws(args: string[], extra: Record<string, string> = {}) {
    return run('aws', [...args, '--endpoint-url', sandbox.endpoint, '--output', 'json'], {
      env: { PATH: process.env.PATH, HOME: dir, AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null', AWS_DEFAULT_REGION: sandbox.region, AWS_EC2_METADATA_DISABLED: 'true', ...extra },
      encoding: 'utf8',
    });
  }

  it('the AWS CLI with web identity credentials (AWS_ROLE_ARN + AWS_WEB_IDENTITY_TOKEN_FILE) is the assumed role, and other services accept it', async () => {
    // The credential provider's own STS call goes to AWS_ENDPOINT_URL (--endpoint-url is for the command only).
    const env = { AWS_ROLE_ARN: ROLE, AWS_WEB_IDENTITY_TOKEN_FILE: join(dir, 'token'), AWS_ROLE_SESSION_NAME: 'ci-job', AWS_ENDPOINT_URL: sandbox.endpoint };
    const identity = JSON.parse((await aws(['sts', 'get-caller-identity'], env)).stdout);
    assert.deepEqual(identity, { UserId: identity.UserId, Account: '000000000000', Arn: 'arn:aws:sts::000000000000:assumed-role/SprykerDeployCI/ci-job' });
    assert.match(identity.UserId, /^AROA[0-9A-F]+:ci-job$/);
    const parameter = JSON.parse((await aws(['ssm', 'get-parameter', '--name', '/spryker-staging/desired_version'], env)).stdout);
    assert.match(parameter.Parameter.Value, /^[0-9a-f]{40}$/);
    const ops = sandbox.requests().map((r) => `${r.service} ${r.operation} ${r.status}`);
    assert.ok(ops.includes('sts AssumeRoleWithWebIdentity 200') && ops.includes('sts GetCallerIdentity 200'), ops.join('\n'));
  });

  it('answers AssumeRoleWithWebIdentity in XML with credentials, subject, audience and provider', async () => {
    const res = await query({ Action: 'AssumeRoleWithWebIdentity', Version: '2011-06-15', RoleArn: ROLE, RoleSessionName: 'gl-1', WebIdentityToken: CI_TOKEN });
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /text\/xml/);
    const body = await res.text();
    for (const re of [
      /<AccessKeyId>ASIA[0-9A-F]{16}<\/AccessKeyId>/,
      /<SessionToken>[^<]+<\/SessionToken>/,
      /<Expiration>\d{4}-\d\d-\d\dT[^<]+Z<\/Expiration>/,
      /<SubjectFromWebIdentityToken>repo:acme\/shop:ref:refs\/heads\/main<\/SubjectFromWebIdentityToken>/,
      /<Audience>sts.amazonaws.com<\/Audience>/,
      /<Arn>arn:aws:sts::000000000000:assumed-role\/SprykerDeployCI\/gl-1<\/Arn>/,
    ]) assert.match(body, re);
  });

  it('refuses a token that is not a JWT, a bad role ARN and an unknown action, with awsQuery error XML, issuing nothing', async () => {
    const bad = await query({ Action: 'AssumeRoleWithWebIdentity', Version: '2011-06-15', RoleArn: ROLE, RoleSessionName: 'ss', WebIdentityToken: 'not-a-jwt' });
    assert.equal(bad.status, 400);
    assert.match(await bad.text(), /<Type>Sender<\/Type>\s*<Code>InvalidIdentityToken<\/Code>/);
    const role = await query({ Action: 'AssumeRoleWithWebIdentity', Version: '2011-06-15', RoleArn: 'SprykerDeployCI', RoleSessionName: 'ss', WebIdentityToken: CI_TOKEN });
    assert.match(await role.text(), /<Code>ValidationError<\/Code>/);
    const unknown = await query({ Action: 'AssumeRole', Version: '2011-06-15' });
    assert.match(await unknown.text(), /<Code>InvalidAction<\/Code>/);
  });

  it('temporary credentials need their session token and stop working when they expire', async () => {
    const res = await (await query({ Action: 'AssumeRoleWithWebIdentity', Version: '2011-06-15', RoleArn: ROLE, RoleSessionName: 'bb-1', WebIdentityToken: CI_TOKEN, DurationSeconds: '900' })).text();
    const pick = (tag: string) => new RegExp(`<${tag}>([^<]+)</${tag}>`).exec(res)![1];
    const keys = { AWS_ACCESS_KEY_ID: pick('AccessKeyId'), AWS_SECRET_ACCESS_KEY: pick('SecretAccessKey') };
    await assert.rejects(aws(['sts', 'get-caller-identity'], keys), /InvalidClientTokenId|security token included in the request is invalid/);
    const ok = JSON.parse((await aws(['sts', 'get-caller-identity'], { ...keys, AWS_SESSION_TOKEN: pick('SessionToken') })).stdout);
    assert.equal(ok.Arn, 'arn:aws:sts::000000000000:assumed-role/SprykerDeployCI/bb-1');
    await sandbox.control.advance(901_000);
    await assert.rejects(aws(['ssm', 'get-parameter', '--name', '/spryker-staging/desired_version'], { ...keys, AWS_SESSION_TOKEN: pick('SessionToken') }), /ExpiredTokenException|expired/);
  });
});
