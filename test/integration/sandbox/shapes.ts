// Validates sandbox responses against the official API models (botocore's service-2.json): the same shapes the
// AWS CLI and the SDKs are generated from. Strict: unknown members, wrong types, ISO or millisecond timestamps and
// values outside an enum are all errors.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';

interface Shape {
  type: string;
  members?: Record<string, { shape: string }>;
  required?: string[];
  member?: { shape: string };
  key?: { shape: string };
  value?: { shape: string };
  enum?: string[];
  timestampFormat?: string;
}

export interface ServiceModel {
  metadata: { targetPrefix: string; protocol: string };
  operations: Record<string, { output?: { shape: string }; errors?: { shape: string }[] }>;
  shapes: Record<string, Shape>;
}

export const MODEL_DIRS = ['ssm', 'codepipeline', 'ecs', 'ecr', 'codebuild', 'logs'] as const;

/** botocore's data directory: the Python one on PATH, else Debian's awscli package. Throws if there is none. */
export function findModelsDir(): string {
  const candidates: string[] = [];
  try {
    const dir = execFileSync('python3', ['-c', 'import botocore,os;print(os.path.dirname(botocore.__file__))'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    candidates.push(path.join(dir, 'data'));
  } catch {
    // no python3 or no botocore: try the packaged locations
  }
  candidates.push('/usr/lib/python3/dist-packages/botocore/data', '/usr/lib/python3/dist-packages/awscli/botocore/data', '/usr/share/awscli/botocore/data');
  const found = candidates.find((d) => fs.existsSync(path.join(d, 'ssm')));
  if (!found) {
    throw new Error(
      `No botocore API models found (looked in ${candidates.join(', ')}). Install them: \`pip install botocore\` or \`apt-get install awscli\` (Debian ships the models with it).`,
    );
  }
  return found;
}

export function loadModel(dataDir: string, service: string): ServiceModel {
  const versions = fs.readdirSync(path.join(dataDir, service)).filter((v) => /^\d{4}-\d{2}-\d{2}$/.test(v)).sort();
  const dir = path.join(dataDir, service, versions[versions.length - 1]);
  const plain = path.join(dir, 'service-2.json');
  const text = fs.existsSync(plain) ? fs.readFileSync(plain, 'utf8') : zlib.gunzipSync(fs.readFileSync(`${plain}.gz`)).toString('utf8');
  return JSON.parse(text) as ServiceModel;
}

/** Every problem of `value` against `shapeName`, as "path: problem" lines; empty when it validates. */
export function validateShape(model: ServiceModel, shapeName: string, value: unknown, at = '$'): string[] {
  const shape = model.shapes[shapeName];
  if (!shape) return [`${at}: shape ${shapeName} is not in the model`];
  const problems: string[] = [];
  const kind = Array.isArray(value) ? 'array' : value === null ? 'null' : typeof value;
  switch (shape.type) {
    case 'structure': {
      if (kind !== 'object') return [`${at}: expected a structure (${shapeName}), got ${kind}`];
      const obj = value as Record<string, unknown>;
      for (const req of shape.required ?? []) if (obj[req] === undefined) problems.push(`${at}: required member ${req} of ${shapeName} is missing`);
      for (const [k, v] of Object.entries(obj)) {
        const member = shape.members?.[k];
        if (!member) problems.push(`${at}: ${k} is not a member of ${shapeName}`);
        else problems.push(...validateShape(model, member.shape, v, `${at}.${k}`));
      }
      break;
    }
    case 'list':
      if (kind !== 'array') return [`${at}: expected a list (${shapeName}), got ${kind}`];
      (value as unknown[]).forEach((v, i) => problems.push(...validateShape(model, shape.member!.shape, v, `${at}[${i}]`)));
      break;
    case 'map':
      if (kind !== 'object') return [`${at}: expected a map (${shapeName}), got ${kind}`];
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
        problems.push(...validateShape(model, shape.key!.shape, k, `${at}{key}`));
        problems.push(...validateShape(model, shape.value!.shape, v, `${at}.${k}`));
      }
      break;
    case 'string':
      if (kind !== 'string') return [`${at}: expected a string (${shapeName}), got ${kind}`];
      if (shape.enum && !shape.enum.includes(value as string)) problems.push(`${at}: '${value}' is not one of ${shapeName} [${shape.enum.join(', ')}]`);
      break;
    case 'timestamp':
      // awsJson1_1 sends epoch seconds; an ISO string makes the SDK throw and milliseconds read as year 56387.
      if (kind !== 'number') return [`${at}: timestamp ${shapeName} must be a number of epoch seconds, got ${kind}`];
      if ((value as number) > 1e11 || (value as number) < 0) problems.push(`${at}: timestamp ${value} is not in epoch seconds`);
      break;
    case 'integer':
    case 'long':
      if (kind !== 'number' || !Number.isInteger(value)) problems.push(`${at}: expected an integer (${shapeName}), got ${JSON.stringify(value)}`);
      break;
    case 'double':
    case 'float':
      if (kind !== 'number') problems.push(`${at}: expected a number (${shapeName}), got ${kind}`);
      break;
    case 'boolean':
      if (kind !== 'boolean') problems.push(`${at}: expected a boolean (${shapeName}), got ${kind}`);
      break;
    case 'blob':
      if (kind !== 'string') problems.push(`${at}: expected base64 (${shapeName}), got ${kind}`);
      break;
    default:
      problems.push(`${at}: the validator does not know shape type ${shape.type} (${shapeName})`);
  }
  return problems;
}

/** Errors AWS may send for any operation (authentication, throttling, faults), beyond the operation's own. */
export const COMMON_ERRORS = ['ThrottlingException', 'InternalFailure', 'ServiceUnavailable', 'ExpiredTokenException', 'UnrecognizedClientException', 'InvalidSignatureException', 'ValidationException', 'AccessDeniedException'];

export class ShapeValidator {
  private readonly models = new Map<string, ServiceModel>();

  constructor(readonly dataDir = findModelsDir()) {
    for (const s of MODEL_DIRS) {
      const model = loadModel(dataDir, s);
      this.models.set(model.metadata.targetPrefix, model);
    }
  }

  /** Problems of one response: output shape for 200, a modeled or common error code otherwise. */
  check(target: string, status: number, body: string): string[] {
    const dot = target.lastIndexOf('.');
    const model = this.models.get(target.slice(0, dot));
    const operation = model?.operations[target.slice(dot + 1)];
    if (!model || !operation) return [`${target}: not in the models`];
    const json = JSON.parse(body) as Record<string, unknown>;
    if (status === 200) {
      return operation.output ? validateShape(model, operation.output.shape, json).map((p) => `${target}: ${p}`) : [];
    }
    const code = json.__type as string;
    const modeled = (operation.errors ?? []).map((e) => e.shape);
    return modeled.includes(code) || COMMON_ERRORS.includes(code) ? [] : [`${target}: error ${code} is not modeled for this operation (${modeled.join(', ')})`];
  }
}
