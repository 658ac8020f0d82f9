// Translates whatever the SDK v3 (or its credential providers, or the socket) throws into a DeployError
// whose kind the front ends know how to word, with the hint a user needs to act on it.

import { DeployError, type DeployErrorKind } from '../core/errors';

export interface CallContext {
  readonly service: string;
  readonly operation: string;
  readonly profile?: string;
}

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'ETIMEDOUT', 'EAI_AGAIN', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNABORTED']);
const EXPIRED_CODES = new Set(['ExpiredTokenException', 'ExpiredToken', 'TokenRefreshRequired', 'RequestExpired', 'InvalidClientTokenId', 'UnrecognizedClientException']);

function errorCode(e: Record<string, unknown>): string | undefined {
  for (const key of ['name', 'Code', 'code', '__type']) {
    const v = e[key];
    if (typeof v === 'string' && v !== 'Error' && v !== '') return v.includes('#') ? v.slice(v.lastIndexOf('#') + 1) : v;
  }
  return undefined;
}

/** The code given to an answer that is not AWS's JSON (a proxy's or gateway's HTML page). */
export const NON_AWS_ANSWER = 'NonAwsResponse';

/**
 * The SDK could not parse the body: it was not AWS's JSON but, say, an HTML 502 page of a proxy or load balancer.
 * The SDK then throws the parser's SyntaxError with the raw response in the hidden `$response` field.
 */
function nonAwsAnswer(err: Record<string, unknown>): boolean {
  const message = typeof err.message === 'string' ? err.message : '';
  return err.$response !== undefined && (err.name === 'SyntaxError' || /Deserialization error/.test(message));
}

function nonAwsAnswerText(e: unknown): string {
  const response = (e as { $response?: { statusCode?: number; headers?: Record<string, string> } }).$response;
  const metadata = (e as { $metadata?: { httpStatusCode?: number } }).$metadata;
  const status = response?.statusCode ?? metadata?.httpStatusCode;
  const type = response?.headers?.['content-type']?.split(';')[0].trim();
  return `HTTP ${status ?? '(no status)'}${type ? ` with a ${type} body` : ''}`;
}

export function classifyAwsError(e: unknown): { kind: DeployErrorKind; code?: string } {
  if (e instanceof DeployError) return { kind: e.kind, ...(e.details.awsCode ? { code: e.details.awsCode } : {}) };
  if (typeof e !== 'object' || e === null) return { kind: 'unknown' };
  const err = e as Record<string, unknown>;
  const code = errorCode(err);
  const message = typeof err.message === 'string' ? err.message : '';
  const sysCode = typeof err.code === 'string' ? err.code : (err.cause as { code?: unknown } | undefined)?.code;
  if (nonAwsAnswer(err)) return { kind: 'network', code: NON_AWS_ANSWER };
  if (code === 'CredentialsProviderError' || code === 'TokenProviderError') {
    if (/expired|refresh|sso session|token/i.test(message) && !/could not load credentials/i.test(message)) return { kind: 'credentials-expired', code };
    return { kind: 'not-signed-in', code };
  }
  if (code === 'AbortError') return { kind: 'cancelled', code };
  if (code && EXPIRED_CODES.has(code)) return { kind: 'credentials-expired', code };
  // A secret that no longer matches the key (rotated by a new sign-in) is refused as a bad signature.
  if ((code === 'InvalidSignatureException' || code === 'SignatureDoesNotMatch') && /does not match/i.test(message)) return { kind: 'credentials-expired', code };
  if (code === 'InvalidApprovalTokenException') return { kind: 'stale-approval', code };
  if (code === 'ApprovalAlreadyCompletedException') return { kind: 'approval-already-decided', code };
  if (code && /^(AccessDenied|UnauthorizedOperation|Unauthorized)/.test(code)) return { kind: 'access-denied', code };
  if (code && /^(Throttling|ThrottlingException|TooManyRequests|RequestLimitExceeded|Throttled|SlowDown)/.test(code)) return { kind: 'throttled', code };
  if (code && /NotFound/.test(code)) return { kind: 'not-found', code };
  if (typeof sysCode === 'string' && NETWORK_CODES.has(sysCode)) return { kind: 'network', code: sysCode };
  if (code === 'TimeoutError' || /socket hang up|ECONNREFUSED|ECONNRESET|network/i.test(message)) return { kind: 'network', ...(code ? { code } : {}) };
  if (err.$metadata !== undefined || err.$fault !== undefined) return { kind: 'aws', ...(code ? { code } : {}) };
  return { kind: 'unknown', ...(code ? { code } : {}) };
}

function profileText(profile: string | undefined): string {
  return profile ? `profile "${profile}"` : 'the default credential chain';
}

function signInHint(profile: string | undefined): string {
  return profile
    ? `Sign in again (\`aws sso login --profile ${profile}\` or \`saml2aws login -a ${profile}\`); new credentials are picked up without a restart.`
    : 'Sign in (`aws sso login`, `saml2aws login`) or set AWS_PROFILE / AWS_ACCESS_KEY_ID; new credentials are picked up without a restart.';
}

export function translateAwsError(e: unknown, ctx: CallContext): DeployError {
  if (e instanceof DeployError) return e;
  const { kind, code } = classifyAwsError(e);
  const raw = e instanceof Error ? e.message : String(e);
  const where = `${ctx.service} ${ctx.operation}`;
  let message: string;
  switch (kind) {
    case 'credentials-expired':
      message = `The AWS credentials of ${profileText(ctx.profile)} have expired or were refused (${code}). ${signInHint(ctx.profile)}`;
      break;
    case 'not-signed-in':
      message = `No AWS credentials found for ${profileText(ctx.profile)} (${raw.split('\n')[0].replace(/\.$/, '')}). ${signInHint(ctx.profile)}`;
      break;
    case 'access-denied':
      message = `Access denied to ${where}${ctx.profile ? ` for profile "${ctx.profile}"` : ''}: ${raw}`;
      break;
    case 'throttled':
      message = `AWS throttled ${where}; try again in a moment.`;
      break;
    case 'network':
      message =
        code === NON_AWS_ANSWER
          ? `${where} failed: ${nonAwsAnswerText(e)} that did not come from AWS (a proxy, gateway or load balancer on the way answered); try again, or check the network path to AWS.`
          : `Cannot reach AWS for ${where} (${code ?? 'network error'}): ${raw}`;
      break;
    default:
      message = `${where}: ${raw}`;
  }
  return new DeployError(kind, message, {
    ...(code ? { awsCode: code } : {}),
    operation: ctx.operation,
    ...(ctx.profile ? { profile: ctx.profile } : {}),
    cause: e,
  });
}
