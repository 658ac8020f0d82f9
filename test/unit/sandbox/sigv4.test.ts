import * as assert from 'node:assert/strict';
import * as crypto from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import { AwsError } from '../../../src/sandbox/protocol';
import { sign, verify } from '../../../src/sandbox/sigv4';

const bytes = (d: string | ArrayBuffer | ArrayBufferView): string | Buffer =>
  typeof d === 'string' ? d : ArrayBuffer.isView(d) ? Buffer.from(d.buffer, d.byteOffset, d.byteLength) : Buffer.from(d);

/** The hash constructor SignatureV4 expects, over node:crypto (HMAC when given a secret). */
class Sha256 {
  private readonly hash: crypto.Hash | crypto.Hmac;
  constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
    this.hash = secret === undefined ? crypto.createHash('sha256') : crypto.createHmac('sha256', bytes(secret));
  }
  update(data: string | ArrayBuffer | ArrayBufferView): void {
    this.hash.update(bytes(data));
  }

  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }
}

const CREDS = { accessKeyId: 'test', secretAccessKey: 'test' };
const body = Buffer.from(JSON.stringify({ Names: ['/spryker-prod/desired_version'] }));
const headers = { host: '127.0.0.1:4566', 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AmazonSSM.GetParameters' };

const code = (c: string) => (e: unknown) => e instanceof AwsError && e.code === c;

describe('sandbox SigV4', () => {
  it('accepts the get-vanilla vector of the AWS SigV4 test suite', () => {
    const request = {
      method: 'GET',
      url: '/',
      body: Buffer.alloc(0),
      rawHeaders: [
        'Host',
        'example.amazonaws.com',
        'X-Amz-Date',
        '20150830T123600Z',
        'Authorization',
        'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31',
      ],
    };
    const caller = verify(request, { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' }, 'us-east-1', 'service');
    assert.equal(caller.accessKeyId, 'AKIDEXAMPLE');
    const tampered = { ...request, rawHeaders: request.rawHeaders.map((h) => (h === 'example.amazonaws.com' ? 'example2.amazonaws.com' : h)) };
    assert.throws(() => verify(tampered, { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' }, 'us-east-1', 'service'), code('InvalidSignatureException'));
  });

  it('accepts what the SDK signer signs, with and without x-amz-content-sha256 (the AWS CLI sends none)', async () => {
    for (const applyChecksum of [true, false]) {
      const signer = new SignatureV4({ credentials: CREDS, region: 'eu-central-1', service: 'ssm', sha256: Sha256, applyChecksum });
      const signed = await signer.sign({ method: 'POST', protocol: 'http:', hostname: '127.0.0.1', port: 4566, path: '/', headers: { ...headers }, body: body.toString() });
      const rawHeaders = Object.entries(signed.headers).flat();
      assert.equal(rawHeaders.some((h) => h.toLowerCase() === 'x-amz-content-sha256'), applyChecksum);
      assert.equal(verify({ method: 'POST', url: '/', rawHeaders, body }, CREDS, 'eu-central-1', 'ssm').accessKeyId, 'test');
    }
  });

  it('refuses a wrong secret, a changed body, an unknown key and a wrong scope with the codes AWS uses', () => {
    const authorization = sign({ method: 'POST', url: '/', body, headers }, CREDS, 'eu-central-1', 'ssm', '20250101T000000Z');
    const raw = (auth: string, extra: string[] = []) => [...Object.entries(headers).flat(), 'X-Amz-Date', '20250101T000000Z', 'Authorization', auth, ...extra];
    assert.doesNotThrow(() => verify({ method: 'POST', url: '/', rawHeaders: raw(authorization), body }, CREDS, 'eu-central-1', 'ssm'));
    assert.throws(() => verify({ method: 'POST', url: '/', rawHeaders: raw(authorization), body }, { ...CREDS, secretAccessKey: 'other' }, 'eu-central-1', 'ssm'), code('InvalidSignatureException'));
    assert.throws(() => verify({ method: 'POST', url: '/', rawHeaders: raw(authorization), body: Buffer.from('{}') }, CREDS, 'eu-central-1', 'ssm'), code('InvalidSignatureException'));
    const otherKey = sign({ method: 'POST', url: '/', body, headers }, { ...CREDS, accessKeyId: 'AKIAOTHER' }, 'eu-central-1', 'ssm', '20250101T000000Z');
    assert.throws(() => verify({ method: 'POST', url: '/', rawHeaders: raw(otherKey), body }, CREDS, 'eu-central-1', 'ssm'), code('UnrecognizedClientException'));
    const otherRegion = sign({ method: 'POST', url: '/', body, headers }, CREDS, 'us-east-1', 'ssm', '20250101T000000Z');
    assert.throws(() => verify({ method: 'POST', url: '/', rawHeaders: raw(otherRegion), body }, CREDS, 'eu-central-1', 'ssm'), code('InvalidSignatureException'));
    assert.throws(() => verify({ method: 'POST', url: '/', rawHeaders: raw(authorization), body }, CREDS, 'eu-central-1', 'ecs'), code('InvalidSignatureException'));
    assert.throws(() => verify({ method: 'POST', url: '/', rawHeaders: Object.entries(headers).flat(), body }, CREDS, 'eu-central-1', 'ssm'), code('MissingAuthenticationTokenException'));
    assert.throws(() => verify({ method: 'POST', url: '/', rawHeaders: raw('AWS4-HMAC-SHA256 Credential=test/20250101/eu-central-1/ssm/aws4_request'), body }, CREDS, 'eu-central-1', 'ssm'), code('IncompleteSignatureException'));
  });

  it('hashes the body itself: a signature over body A with its x-amz-content-sha256 does not authorise body B', async () => {
    const signer = new SignatureV4({ credentials: CREDS, region: 'eu-central-1', service: 'ssm', sha256: Sha256, applyChecksum: true });
    const signed = await signer.sign({ method: 'POST', protocol: 'http:', hostname: '127.0.0.1', port: 4566, path: '/', headers: { ...headers }, body: body.toString() });
    const rawHeaders = Object.entries(signed.headers).flat();
    const other = Buffer.from(JSON.stringify({ Names: ['/spryker-staging/desired_version'] }));
    assert.throws(() => verify({ method: 'POST', url: '/', rawHeaders, body: other }, CREDS, 'eu-central-1', 'ssm'), code('InvalidSignatureException'));
  });

  it('requires host and x-amz-target among the signed headers', () => {
    const date = ['X-Amz-Date', '20250101T000000Z'];
    const { host, 'x-amz-target': target, ...rest } = headers;
    const withoutHost = sign({ method: 'POST', url: '/', body, headers: { 'content-type': rest['content-type'], 'x-amz-target': target } }, CREDS, 'eu-central-1', 'ssm', '20250101T000000Z');
    assert.throws(() => verify({ method: 'POST', url: '/', rawHeaders: [...Object.entries(headers).flat(), ...date, 'Authorization', withoutHost], body }, CREDS, 'eu-central-1', 'ssm'), (e: unknown) => code('InvalidSignatureException')(e) && /Host/.test((e as Error).message));
    const withoutTarget = sign({ method: 'POST', url: '/', body, headers: { host, ...rest } }, CREDS, 'eu-central-1', 'ssm', '20250101T000000Z');
    assert.throws(() => verify({ method: 'POST', url: '/', rawHeaders: [...Object.entries(headers).flat(), ...date, 'Authorization', withoutTarget], body }, CREDS, 'eu-central-1', 'ssm'), (e: unknown) => code('InvalidSignatureException')(e) && /X-Amz-Target/.test((e as Error).message));
  });
});
