// AWS Signature Version 4, verified the way AWS does it: rebuild the canonical request from what arrived, sign it
// with the secret of the access key named in the credential scope, compare. Clock skew is not checked (the sandbox
// may run on a moved clock). The payload hash is always computed from the body that arrived, never taken from the
// client's `x-amz-content-sha256` (a signature over body A must not authorise body B; the AWS CLI v1 does not send
// the header at all), and `host` and `x-amz-target` must be signed, as AWS requires.
import * as crypto from 'node:crypto';
import { AwsError } from './protocol';

export interface Credentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

export interface SignedRequest {
  readonly method: string;
  /** Path and query as sent (`/`, `/?a=b`). */
  readonly url: string;
  /** Raw header pairs as received: [name, value, name, value, ...] (Node's `req.rawHeaders`). */
  readonly rawHeaders: readonly string[];
  readonly body: Buffer;
}

export interface VerifiedCaller {
  readonly accessKeyId: string;
  readonly region: string;
  readonly service: string;
}

const ALGORITHM = 'AWS4-HMAC-SHA256';

const sha256 = (data: string | Buffer): string => crypto.createHash('sha256').update(data).digest('hex');
const hmac = (key: Buffer | string, data: string): Buffer => crypto.createHmac('sha256', key).update(data, 'utf8').digest();

/** RFC 3986 encoding as SigV4 wants it (unreserved characters kept, everything else %XX upper case). */
function uriEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function canonicalUri(pathname: string): string {
  // Non-S3 services normalise the path and encode each segment twice (the client encodes once, SigV4 once more).
  const segments = pathname.split('/').map((s) => uriEncode(uriEncode(decodeURIComponent(s))));
  const joined = segments.join('/');
  return joined.startsWith('/') ? joined : `/${joined}`;
}

function canonicalQuery(search: string): string {
  if (!search || search === '?') return '';
  const pairs = search
    .replace(/^\?/, '')
    .split('&')
    .filter(Boolean)
    .map((p) => {
      const eq = p.indexOf('=');
      const k = decodeURIComponent((eq < 0 ? p : p.slice(0, eq)).replace(/\+/g, ' '));
      const v = eq < 0 ? '' : decodeURIComponent(p.slice(eq + 1).replace(/\+/g, ' '));
      return [uriEncode(k), uriEncode(v)] as const;
    });
  pairs.sort((a, b) => (a[0] === b[0] ? (a[1] < b[1] ? -1 : 1) : a[0] < b[0] ? -1 : 1));
  return pairs.map(([k, v]) => `${k}=${v}`).join('&');
}

function headerValues(rawHeaders: readonly string[]): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = rawHeaders[i].toLowerCase();
    const value = rawHeaders[i + 1].trim().replace(/\s+/g, ' ');
    const list = map.get(name) ?? [];
    list.push(value);
    map.set(name, list);
  }
  return map;
}

export function signingKey(secret: string, date: string, region: string, service: string): Buffer {
  return hmac(hmac(hmac(hmac(`AWS4${secret}`, date), region), service), 'aws4_request');
}

/** The canonical request and string to sign for `request`, given the headers it claims to have signed. */
export function stringToSign(request: SignedRequest, signedHeaders: readonly string[], amzDate: string, scope: string): { canonicalRequest: string; stringToSign: string } {
  const url = new URL(request.url, 'http://sandbox');
  const headers = headerValues(request.rawHeaders);
  const canonicalHeaders = signedHeaders.map((h) => `${h}:${(headers.get(h) ?? []).join(',')}\n`).join('');
  const payloadHash = sha256(request.body);
  const canonicalRequest = [
    request.method.toUpperCase(),
    canonicalUri(url.pathname),
    canonicalQuery(url.search),
    canonicalHeaders,
    signedHeaders.join(';'),
    payloadHash,
  ].join('\n');
  return { canonicalRequest, stringToSign: [ALGORITHM, amzDate, scope, sha256(canonicalRequest)].join('\n') };
}

/** Signs a request (used by the tests to build vectors, and by nothing else in the sandbox). */
export function sign(request: Omit<SignedRequest, 'rawHeaders'> & { headers: Record<string, string> }, credentials: Credentials, region: string, service: string, amzDate: string): string {
  const headers = { ...request.headers, 'x-amz-date': amzDate };
  const signed = Object.keys(headers).map((h) => h.toLowerCase()).sort();
  const rawHeaders = Object.entries(headers).flat();
  const date = amzDate.slice(0, 8);
  const scope = `${date}/${region}/${service}/aws4_request`;
  const sts = stringToSign({ ...request, rawHeaders }, signed, amzDate, scope).stringToSign;
  const signature = crypto.createHmac('sha256', signingKey(credentials.secretAccessKey, date, region, service)).update(sts).digest('hex');
  return `${ALGORITHM} Credential=${credentials.accessKeyId}/${scope}, SignedHeaders=${signed.join(';')}, Signature=${signature}`;
}

function parseAuthorization(value: string): { accessKeyId: string; date: string; region: string; service: string; signedHeaders: string[]; signature: string } {
  if (!value.startsWith(`${ALGORITHM} `)) {
    throw new AwsError('IncompleteSignatureException', `Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. Authorization=${value.split(' ')[0]}`);
  }
  const fields = new Map<string, string>();
  for (const part of value.slice(ALGORITHM.length + 1).split(',')) {
    const eq = part.indexOf('=');
    if (eq > 0) fields.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  const credential = fields.get('Credential');
  const signedHeaders = fields.get('SignedHeaders');
  const signature = fields.get('Signature');
  const missing = [!credential && 'Credential', !signedHeaders && 'SignedHeaders', !signature && 'Signature'].filter(Boolean);
  if (missing.length > 0 || !credential || !signedHeaders || !signature) {
    throw new AwsError('IncompleteSignatureException', `Authorization header requires '${missing.join("', '")}' parameter(s).`);
  }
  const scope = credential.split('/');
  if (scope.length !== 5 || scope[4] !== 'aws4_request') {
    throw new AwsError('IncompleteSignatureException', `Credential should have 5 parts separated by '/': ${credential}`);
  }
  return { accessKeyId: scope[0], date: scope[1], region: scope[2], service: scope[3], signedHeaders: signedHeaders.split(';'), signature };
}

/**
 * Verifies the request's signature against `credentials` and throws the error AWS sends otherwise.
 * `expectedService` is the signing name of the service the target belongs to.
 */
/** Temporary credentials STS handed out (src/sandbox/sts.ts), looked up by access key id. */
export type SessionLookup = (accessKeyId: string) => (Credentials & { readonly sessionToken: string; readonly expired: boolean }) | undefined;

export function verify(request: SignedRequest, credentials: Credentials, region: string, expectedService: string, sessions?: SessionLookup): VerifiedCaller {
  const headers = headerValues(request.rawHeaders);
  const authorization = headers.get('authorization')?.[0];
  if (!authorization) throw new AwsError('MissingAuthenticationTokenException', 'Missing Authentication Token');
  const auth = parseAuthorization(authorization);
  const amzDate = headers.get('x-amz-date')?.[0];
  if (!amzDate) {
    throw new AwsError('IncompleteSignatureException', "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
  }
  const session = auth.accessKeyId === credentials.accessKeyId ? undefined : sessions?.(auth.accessKeyId);
  if (auth.accessKeyId !== credentials.accessKeyId && !session) {
    throw new AwsError('UnrecognizedClientException', 'The security token included in the request is invalid.');
  }
  if (session) {
    // Temporary credentials are only valid with their session token, and only until they expire.
    if (headers.get('x-amz-security-token')?.[0] !== session.sessionToken) {
      throw new AwsError('UnrecognizedClientException', 'The security token included in the request is invalid.');
    }
    if (session.expired) throw new AwsError('ExpiredTokenException', 'The security token included in the request is expired');
  }
  const secret = session?.secretAccessKey ?? credentials.secretAccessKey;
  if (auth.region !== region) {
    throw new AwsError('InvalidSignatureException', `Credential should be scoped to a valid region, not '${auth.region}'. `);
  }
  if (auth.service !== expectedService) {
    throw new AwsError('InvalidSignatureException', `Credential should be scoped to correct service: '${expectedService}'. `);
  }
  if (!auth.signedHeaders.includes('host')) {
    throw new AwsError('InvalidSignatureException', "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");
  }
  // The target chooses the operation: an unsigned one would let a captured request be replayed as another operation.
  if (headers.has('x-amz-target') && !auth.signedHeaders.includes('x-amz-target')) {
    throw new AwsError('InvalidSignatureException', "'X-Amz-Target' must be a 'SignedHeader' in the AWS Authorization.");
  }
  const claimedPayloadHash = headers.get('x-amz-content-sha256')?.[0];
  if (claimedPayloadHash !== undefined && claimedPayloadHash !== sha256(request.body)) {
    throw new AwsError('InvalidSignatureException', 'The provided x-amz-content-sha256 header does not match what was computed.');
  }
  const scope = `${auth.date}/${auth.region}/${auth.service}/aws4_request`;
  const { stringToSign: sts } = stringToSign(request, auth.signedHeaders, amzDate, scope);
  const expected = crypto.createHmac('sha256', signingKey(secret, auth.date, auth.region, auth.service)).update(sts).digest();
  const given = Buffer.from(auth.signature, 'hex');
  if (given.length !== expected.length || !crypto.timingSafeEqual(given, expected)) {
    throw new AwsError(
      'InvalidSignatureException',
      'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
    );
  }
  return { accessKeyId: auth.accessKeyId, region: auth.region, service: auth.service };
}
