// Fault injection: what goes wrong on the way between a client and AWS, on purpose and on demand.
import { AwsError } from './protocol';

export type FaultKind = 'latency' | 'throttle' | 'error500' | 'error503' | 'drop' | 'drop-reply' | 'expired-credentials' | 'access-denied' | 'html502';
export const FAULT_KINDS: readonly FaultKind[] = ['latency', 'throttle', 'error500', 'error503', 'drop', 'drop-reply', 'expired-credentials', 'access-denied', 'html502'];

export interface FaultRule {
  readonly kind: FaultKind;
  /** Probability per request, 0..1 (default 1: every matching request). */
  readonly rate?: number;
  /** Only this operation (e.g. `GetPipelineState`); every operation when absent. */
  readonly operation?: string;
  /** For latency: the added delay, ms. */
  readonly ms?: number;
}

const OPERATION = /^[A-Z][A-Za-z0-9]+$/;

/**
 * Parses `kind[:arg[:arg]]`: `throttle:0.2`, `throttle:GetPipelineState`, `error500:0.1:GetParameters`,
 * `latency:200`, `latency:200:GetParameters`, `drop:0.05`, `drop-reply:PutParameter` (the operation acts, then the
 * connection closes without its answer: a proxy that loses the reply), `expired-credentials`, `access-denied:DescribeServices`
 * (an IAM policy that lacks one permission: the sandbox has no IAM of its own), `html502:GetPipelineState` (a proxy or
 * gateway between the client and AWS answering with its own HTML error page).
 */
export function parseFault(spec: string): FaultRule {
  const [kind, ...args] = spec.trim().split(':');
  if (!FAULT_KINDS.includes(kind as FaultKind)) throw new Error(`Unknown fault '${kind}' in '${spec}'. Known: ${FAULT_KINDS.join(', ')}.`);
  let rate: number | undefined;
  let operation: string | undefined;
  let ms: number | undefined;
  for (const arg of args) {
    if (OPERATION.test(arg)) {
      if (operation !== undefined) throw new Error(`Fault '${spec}' names two operations.`);
      operation = arg;
    } else if (/^\d+(\.\d+)?$/.test(arg)) {
      const n = Number(arg);
      if (kind === 'latency' && ms === undefined) ms = n;
      else if (rate === undefined && n >= 0 && n <= 1) rate = n;
      else throw new Error(`Fault '${spec}': '${arg}' is not a rate between 0 and 1.`);
    } else {
      throw new Error(`Fault '${spec}': '${arg}' is neither a number nor an operation name (like GetPipelineState).`);
    }
  }
  if (kind === 'latency' && ms === undefined) throw new Error(`Fault '${spec}' needs a delay in ms, e.g. latency:200.`);
  return checkFault({ kind: kind as FaultKind, rate, operation, ms });
}

/** Validates a rule given as an object (control API); returns it without unknown members. */
export function checkFault(value: unknown): FaultRule {
  if (typeof value === 'string') return parseFault(value);
  if (typeof value !== 'object' || value === null) throw new Error('A fault is a string like "throttle:0.2" or an object {kind, rate?, operation?, ms?}.');
  const v = value as Record<string, unknown>;
  if (!FAULT_KINDS.includes(v.kind as FaultKind)) throw new Error(`Unknown fault kind ${JSON.stringify(v.kind)}. Known: ${FAULT_KINDS.join(', ')}.`);
  if (v.rate !== undefined && (typeof v.rate !== 'number' || !(v.rate >= 0 && v.rate <= 1))) throw new Error('A fault rate is a number between 0 and 1.');
  if (v.operation !== undefined && (typeof v.operation !== 'string' || !OPERATION.test(v.operation))) throw new Error('A fault operation is an operation name like GetPipelineState.');
  if (v.kind === 'latency' && (typeof v.ms !== 'number' || !(v.ms >= 0) || v.ms > 600_000)) throw new Error('A latency fault needs ms between 0 and 600000.');
  const rule: FaultRule = { kind: v.kind as FaultKind };
  return {
    ...rule,
    ...(v.rate !== undefined ? { rate: v.rate as number } : {}),
    ...(v.operation !== undefined ? { operation: v.operation as string } : {}),
    ...(v.kind === 'latency' ? { ms: v.ms as number } : {}),
  };
}

export function describeFault(rule: FaultRule): string {
  return [rule.kind, rule.kind === 'latency' ? rule.ms : undefined, rule.rate, rule.operation].filter((x) => x !== undefined).join(':');
}

export interface FaultDecision {
  readonly latencyMs: number;
  readonly drop: boolean;
  /** Act on the request, then close the connection without the answer (the reply is lost on the way back). */
  readonly dropReply: boolean;
  readonly expiredCredentials: boolean;
  /** A proxy's HTML error page to answer with (HTTP status), before AWS ever sees the request. */
  readonly htmlStatus?: number;
  /** A throttling or server error to answer with instead of the operation's result. */
  readonly error?: AwsError;
}

export function decideFaults(rules: readonly FaultRule[], operation: string, random: () => number): FaultDecision {
  let latencyMs = 0;
  let drop = false;
  let dropReply = false;
  let expiredCredentials = false;
  let htmlStatus: number | undefined;
  let error: AwsError | undefined;
  for (const rule of rules) {
    if (rule.operation !== undefined && rule.operation !== operation) continue;
    if (random() >= (rule.rate ?? 1)) continue;
    switch (rule.kind) {
      case 'latency':
        latencyMs += rule.ms ?? 0;
        break;
      case 'drop':
        drop = true;
        break;
      case 'drop-reply':
        dropReply = true;
        break;
      case 'expired-credentials':
        expiredCredentials = true;
        break;
      case 'html502':
        htmlStatus ??= 502;
        break;
      case 'throttle':
        error ??= new AwsError('ThrottlingException', 'Rate exceeded', 400);
        break;
      case 'access-denied':
        error ??= new AwsError(
          'AccessDeniedException',
          `User: arn:aws:sts::000000000000:assumed-role/SprykerDeploy/sandbox is not authorized to perform: ${operation} because no identity-based policy allows the ${operation} action`,
          400,
        );
        break;
      case 'error500':
        error ??= new AwsError('InternalFailure', 'The request processing has failed because of an unknown error, exception or failure.', 500);
        break;
      case 'error503':
        error ??= new AwsError('ServiceUnavailable', 'Service is unavailable. Try again later.', 503);
        break;
    }
  }
  return { latencyMs, drop, dropReply, expiredCredentials, ...(htmlStatus !== undefined ? { htmlStatus } : {}), error };
}
