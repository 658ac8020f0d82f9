// awsJson1_1: every operation is `POST /` with `X-Amz-Target: <Prefix>.<Operation>` and a JSON body. Errors carry
// their code twice (the `x-amzn-errortype` header and `__type` in the body), which is what the SDK v3 and botocore
// read to raise the modeled exception class.
import type { Ids, World } from './world';

export class AwsError extends Error {
  constructor(
    readonly code: string,
    message: string,
    /** 400 for client errors, 500/503 for faults, as AWS sends them. */
    readonly status = 400,
  ) {
    super(message);
  }
}

export const validationError = (message: string): AwsError => new AwsError('ValidationException', message);

/** What an operation handler gets: the world, the time and who signed the request. */
export interface OperationContext {
  readonly world: World;
  readonly now: number;
  readonly ids: Ids;
  /** ARN of the caller (for LastModifiedUser, updatedBy). */
  readonly callerArn: string;
  /** Tell the server the world changed (persistence, engine wake-up). */
  readonly changed: () => void;
}

export type JsonObject = Record<string, unknown>;
export type OperationHandler = (input: JsonObject, ctx: OperationContext) => JsonObject;

export interface ServiceDefinition {
  /** Name as in the request log and the SigV4 credential scope (`ssm`, `codepipeline`, ...). */
  readonly signingName: string;
  readonly targetPrefix: string;
  readonly operations: Readonly<Record<string, OperationHandler>>;
}

export interface Route {
  readonly service: ServiceDefinition;
  readonly operation: string;
  readonly handler: OperationHandler;
}

export function route(services: readonly ServiceDefinition[], target: string | undefined): Route {
  if (!target) throw new AwsError('UnknownOperationException', 'Missing X-Amz-Target header.');
  const dot = target.lastIndexOf('.');
  const prefix = target.slice(0, dot);
  const operation = target.slice(dot + 1);
  const service = services.find((s) => s.targetPrefix === prefix);
  const handler = service?.operations[operation];
  if (!service || !handler) throw new AwsError('UnknownOperationException', `Unknown operation ${target}`);
  return { service, operation, handler };
}

export function parseBody(raw: Buffer): JsonObject {
  if (raw.length === 0) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw.toString('utf8'));
  } catch {
    throw new AwsError('SerializationException', 'Start of structure or map found where not expected.');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new AwsError('SerializationException', 'Start of structure or map found where not expected.');
  }
  return parsed as JsonObject;
}

export function errorBody(error: AwsError): string {
  return JSON.stringify({ __type: error.code, message: error.message });
}

/** Epoch ms inside the world → epoch seconds on the wire (what awsJson1_1 timestamps are). */
export const seconds = (ms: number | undefined): number | undefined => (ms === undefined ? undefined : ms / 1000);

/** Drops undefined members so responses only carry what AWS would send. */
export function compact<T extends JsonObject>(value: T): T {
  for (const key of Object.keys(value)) if (value[key] === undefined) delete value[key];
  return value;
}

// Input readers: they refuse bad types with the message shape AWS's request validation uses.

function typeError(field: string, expected: string): AwsError {
  return new AwsError('SerializationException', `Expected ${expected} for '${field}'.`);
}

export function optString(input: JsonObject, field: string): string | undefined {
  const v = input[field];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw typeError(field, 'a string');
  return v;
}

export function reqString(input: JsonObject, field: string, wireName = field): string {
  const v = optString(input, field);
  if (v === undefined) {
    throw validationError(`1 validation error detected: Value null at '${wireName}' failed to satisfy constraint: Member must not be null`);
  }
  return v;
}

export function optNumber(input: JsonObject, field: string): number | undefined {
  const v = input[field];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v)) throw typeError(field, 'a number');
  return v;
}

export function optBoolean(input: JsonObject, field: string): boolean | undefined {
  const v = input[field];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'boolean') throw typeError(field, 'a boolean');
  return v;
}

export function optStringList(input: JsonObject, field: string): string[] | undefined {
  const v = input[field];
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) throw typeError(field, 'a list of strings');
  return v as string[];
}

export function optObject(input: JsonObject, field: string): JsonObject | undefined {
  const v = input[field];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'object' || Array.isArray(v)) throw typeError(field, 'a structure');
  return v as JsonObject;
}

/** Checks `value` against a [min, max] range the way AWS's model validation words it. */
export function checkRange(value: number | undefined, field: string, min: number, max: number, error = validationError): void {
  if (value === undefined) return;
  if (!Number.isInteger(value) || value < min) {
    throw error(`1 validation error detected: Value '${value}' at '${field}' failed to satisfy constraint: Member must have value greater than or equal to ${min}`);
  }
  if (value > max) {
    throw error(`1 validation error detected: Value '${value}' at '${field}' failed to satisfy constraint: Member must have value less than or equal to ${max}`);
  }
}

/**
 * Pagination tokens are opaque to clients; here they carry the offset plus a fingerprint of the request they
 * belong to, so that a token from another query is refused as AWS refuses it.
 */
export function encodeToken(offset: number, scope: string): string {
  return Buffer.from(JSON.stringify({ o: offset, s: scope })).toString('base64');
}

export function decodeToken(token: string | undefined, scope: string, errorCode: string): number {
  if (token === undefined) return 0;
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as { o?: unknown; s?: unknown };
    if (typeof parsed.o === 'number' && Number.isInteger(parsed.o) && parsed.o >= 0 && parsed.s === scope) return parsed.o;
  } catch {
    // fall through to the refusal below
  }
  throw new AwsError(errorCode, 'The nextToken is not valid.');
}

/** One page of `items` starting at the token's offset; `nextToken` only when more remain. */
export function page<T>(items: { readonly length: number; slice(start: number, end: number): T[] }, max: number, token: string | undefined, scope: string, errorCode: string): { items: T[]; nextToken?: string } {
  const offset = decodeToken(token, scope, errorCode);
  const slice = items.slice(offset, offset + max);
  const next = offset + max < items.length ? encodeToken(offset + max, scope) : undefined;
  return { items: slice, nextToken: next };
}
