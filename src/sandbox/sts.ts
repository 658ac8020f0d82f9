// STS over its own wire protocol (awsQuery: a form-encoded `POST /` with Action and Version, XML answers), for
// the credentials CI pipelines have: AssumeRoleWithWebIdentity (unsigned, as in AWS: the token is the proof)
// hands out temporary credentials that every other sandbox service then accepts, and GetCallerIdentity (signed)
// says who the caller is. The web identity token is checked for the shape of a JWT, not for a signature:
// the sandbox trusts any identity provider, which is what a local emulator is for.

import type * as http from 'node:http';
import { AwsError } from './protocol';
import type { Credentials } from './sigv4';
import type { Ids } from './world';

export const STS_VERSION = '2011-06-15';
const NS = `https://sts.amazonaws.com/doc/${STS_VERSION}/`;

export interface StsSession extends Credentials {
  readonly sessionToken: string;
  /** Epoch ms (the sandbox clock). */
  readonly expiration: number;
  /** `arn:aws:sts::<account>:assumed-role/<role>/<session>`. */
  readonly arn: string;
  readonly assumedRoleId: string;
}

/** The temporary credentials handed out, by access key id. */
export class StsSessions {
  private readonly sessions = new Map<string, StsSession>();
  /** A CI job makes a handful; this bounds a runaway loop. */
  static readonly LIMIT = 1000;

  add(session: StsSession): void {
    if (this.sessions.size >= StsSessions.LIMIT) this.sessions.delete(this.sessions.keys().next().value as string);
    this.sessions.set(session.accessKeyId, session);
  }

  get(accessKeyId: string): StsSession | undefined {
    return this.sessions.get(accessKeyId);
  }
}

export function isStsRequest(req: http.IncomingMessage): boolean {
  return req.headers['x-amz-target'] === undefined && (req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded');
}

export function stsAction(body: Buffer): { readonly action: string; readonly params: URLSearchParams } {
  const params = new URLSearchParams(body.toString('utf8'));
  const action = params.get('Action') ?? '';
  if (!action) throw new AwsError('MissingAction', 'Missing Action parameter.');
  if (params.get('Version') !== STS_VERSION) throw new AwsError('InvalidAction', `Could not find operation ${action} for version ${params.get('Version') ?? 'NO_VERSION_SPECIFIED'}`);
  return { action, params };
}

function xml(text: string): string {
  return text.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c] as string);
}

/** The claims of a JWT without checking its signature; InvalidIdentityToken when it is not one. */
function jwtClaims(token: string): { sub?: string; aud?: string | string[]; iss?: string } {
  const parts = token.split('.');
  if (parts.length !== 3 || parts.some((p) => !/^[A-Za-z0-9_-]*$/.test(p))) {
    throw new AwsError('InvalidIdentityToken', 'The web identity token that was passed could not be validated by AWS. Get a new identity token from the identity provider and then retry the request.');
  }
  try {
    return JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')) as { sub?: string; aud?: string | string[]; iss?: string };
  } catch {
    throw new AwsError('InvalidIdentityToken', 'The web identity token that was passed could not be validated by AWS.');
  }
}

const ROLE_ARN = /^arn:aws:iam::(\d{12}):role\/(?:[\w+=,.@-]+\/)*([\w+=,.@-]{1,64})$/;

export function assumeRoleWithWebIdentity(params: URLSearchParams, ctx: { readonly now: number; readonly ids: Ids; readonly accountId: string }, sessions: StsSessions): string {
  const roleArn = params.get('RoleArn') ?? '';
  const sessionName = params.get('RoleSessionName') ?? '';
  // `echo "$TOKEN" > file` (every CI's documented way) leaves a newline that the SDK sends along; AWS accepts it.
  const token = (params.get('WebIdentityToken') ?? '').trim();
  const duration = Number(params.get('DurationSeconds') ?? 3600);
  const role = ROLE_ARN.exec(roleArn);
  if (!role) throw new AwsError('ValidationError', `${roleArn ? `Value '${roleArn}'` : 'Value null'} at 'roleArn' failed to satisfy constraint: Member must be a valid IAM role ARN`);
  if (!/^[\w+=,.@-]{2,64}$/.test(sessionName)) throw new AwsError('ValidationError', "1 validation error detected: Value at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*");
  if (!Number.isInteger(duration) || duration < 900 || duration > 43200) throw new AwsError('ValidationError', "1 validation error detected: Value at 'durationSeconds' failed to satisfy constraint: Member must have value between 900 and 43200");
  if (token.length < 4) throw new AwsError('ValidationError', "1 validation error detected: Value at 'webIdentityToken' failed to satisfy constraint: Member must have length greater than or equal to 4");
  const claims = jwtClaims(token);
  const roleName = role[2];
  const session: StsSession = {
    accessKeyId: `ASIA${ctx.ids.hex(16).toUpperCase()}`,
    secretAccessKey: ctx.ids.hex(40),
    sessionToken: Buffer.from(ctx.ids.hex(64)).toString('base64'),
    expiration: ctx.now + duration * 1000,
    arn: `arn:aws:sts::${role[1]}:assumed-role/${roleName}/${sessionName}`,
    assumedRoleId: `AROA${ctx.ids.hex(17).toUpperCase()}:${sessionName}`,
  };
  sessions.add(session);
  const audience = Array.isArray(claims.aud) ? claims.aud[0] : claims.aud;
  return `<AssumeRoleWithWebIdentityResponse xmlns="${NS}">
  <AssumeRoleWithWebIdentityResult>
    <SubjectFromWebIdentityToken>${xml(claims.sub ?? '')}</SubjectFromWebIdentityToken>
    ${audience ? `<Audience>${xml(audience)}</Audience>` : ''}
    <AssumedRoleUser>
      <Arn>${xml(session.arn)}</Arn>
      <AssumedRoleId>${xml(session.assumedRoleId)}</AssumedRoleId>
    </AssumedRoleUser>
    <Credentials>
      <AccessKeyId>${session.accessKeyId}</AccessKeyId>
      <SecretAccessKey>${session.secretAccessKey}</SecretAccessKey>
      <SessionToken>${session.sessionToken}</SessionToken>
      <Expiration>${new Date(session.expiration).toISOString()}</Expiration>
    </Credentials>
    ${claims.iss ? `<Provider>${xml(claims.iss)}</Provider>` : ''}
  </AssumeRoleWithWebIdentityResult>
  <ResponseMetadata>
    <RequestId>${ctx.ids.uuid()}</RequestId>
  </ResponseMetadata>
</AssumeRoleWithWebIdentityResponse>`;
}

export function getCallerIdentity(caller: { readonly arn: string; readonly userId: string; readonly account: string }, ids: Ids): string {
  return `<GetCallerIdentityResponse xmlns="${NS}">
  <GetCallerIdentityResult>
    <Arn>${xml(caller.arn)}</Arn>
    <UserId>${xml(caller.userId)}</UserId>
    <Account>${caller.account}</Account>
  </GetCallerIdentityResult>
  <ResponseMetadata>
    <RequestId>${ids.uuid()}</RequestId>
  </ResponseMetadata>
</GetCallerIdentityResponse>`;
}

export function stsErrorXml(error: AwsError, ids: Ids): string {
  return `<ErrorResponse xmlns="${NS}">
  <Error>
    <Type>${error.status >= 500 ? 'Receiver' : 'Sender'}</Type>
    <Code>${xml(error.code)}</Code>
    <Message>${xml(error.message)}</Message>
  </Error>
  <RequestId>${ids.uuid()}</RequestId>
</ErrorResponse>`;
}
