// SSM Parameter Store: the version parameters of each environment and their history.
import {
  AwsError,
  checkRange,
  compact,
  optBoolean,
  optNumber,
  optString,
  optStringList,
  page,
  reqString,
  seconds,
  validationError,
  type JsonObject,
  type OperationContext,
  type ServiceDefinition,
} from './protocol';
import { createHash } from 'node:crypto';
import type { ParameterRecord, ParameterVersion, World } from './world';

const STANDARD_VALUE_LIMIT = 4096;
const NAME_PATTERN = /^[a-zA-Z0-9_.\-/]+$/;

export function parameterArn(world: World, name: string): string {
  return `arn:aws:ssm:${world.region}:${world.accountId}:parameter${name.startsWith('/') ? '' : '/'}${name}`;
}

function latest(record: ParameterRecord): ParameterVersion {
  return record.history[record.history.length - 1];
}

export function parameterValue(world: World, name: string): string | undefined {
  const record = world.parameters[name];
  return record ? latest(record).value : undefined;
}

/**
 * What AWS answers for a SecureString read without WithDecryption: the KMS ciphertext, base64. Deterministic here
 * (no KMS), and never the plain value, so that a client that forgets to decrypt sees what it would see on AWS.
 */
export function ciphertext(name: string, version: ParameterVersion): string {
  const blob = createHash('sha256').update(`${name}\0${version.version}\0${version.value}`).digest();
  return Buffer.concat([Buffer.from([0x01, 0x02, 0x02, 0x00, 0x78]), blob, blob]).toString('base64');
}

function shownValue(record: ParameterRecord, version: ParameterVersion, decrypt: boolean): string {
  return version.type === 'SecureString' && !decrypt ? ciphertext(record.name, version) : version.value;
}

function describe(world: World, record: ParameterRecord, version: ParameterVersion, decrypt: boolean, selector?: string): JsonObject {
  return compact({
    Name: record.name,
    Type: version.type,
    Value: shownValue(record, version, decrypt),
    Version: version.version,
    Selector: selector,
    LastModifiedDate: seconds(version.lastModifiedDate),
    ARN: parameterArn(world, record.name),
    DataType: 'text',
  });
}

function validateName(name: string): void {
  if (name.length < 1 || name.length > 2048) {
    throw validationError(`1 validation error detected: Value '${name}' at 'name' failed to satisfy constraint: Member must have length less than or equal to 2048`);
  }
  if (!NAME_PATTERN.test(name)) {
    throw validationError('Parameter name: can\'t be prefixed with "aws" or "ssm" (case-insensitive). It must use only letters, numbers, or the following symbols: . (period), - (hyphen), _ (underscore). Special characters are not allowed. All sub-paths, if specified, must use the forward slash symbol "/". Valid example: /get/parameters2-/by1./path0_.');
  }
  if (name.includes('/') && !name.startsWith('/')) {
    throw validationError('Parameter name must be a fully qualified name.');
  }
  if (/^\/?(aws|ssm)/i.test(name)) {
    throw validationError('No access to reserved parameter name: ' + name + '.');
  }
  if (name.split('/').filter(Boolean).length > 15) {
    throw new AwsError('HierarchyLevelLimitExceededException', 'A hierarchy can have a maximum of 15 levels. For more information, see Requirements and Constraints for Parameter Names in the AWS Systems Manager User Guide.');
  }
}

/** Writes a new version (the engine uses this too: UpdateDeployedVersion, the build's lastbuildversion). */
export function writeParameter(world: World, name: string, value: string, user: string, at: number, type?: ParameterVersion['type'], description?: string): ParameterVersion {
  const existing = world.parameters[name];
  const version: ParameterVersion = {
    value,
    version: existing ? latest(existing).version + 1 : 1,
    // An overwrite without a type keeps the parameter's type, as AWS does.
    type: type ?? (existing ? latest(existing).type : 'String'),
    lastModifiedDate: at,
    lastModifiedUser: user,
    description: description ?? existing?.history[existing.history.length - 1].description,
  };
  if (existing) existing.history.push(version);
  else world.parameters[name] = { name, history: [version] };
  return version;
}

function getParameter(input: JsonObject, ctx: OperationContext): JsonObject {
  const raw = reqString(input, 'Name', 'name');
  const decrypt = optBoolean(input, 'WithDecryption') ?? false;
  const colon = raw.lastIndexOf(':');
  const name = colon > 0 ? raw.slice(0, colon) : raw;
  const selector = colon > 0 ? raw.slice(colon + 1) : undefined;
  const record = ctx.world.parameters[name];
  if (!record) throw new AwsError('ParameterNotFound', '');
  if (selector === undefined) return { Parameter: describe(ctx.world, record, latest(record), decrypt) };
  if (!/^\d+$/.test(selector)) throw new AwsError('ParameterVersionLabelNotFound', `The specified label ${selector} isn't found for the parameter ${name}.`);
  const version = record.history.find((v) => v.version === Number(selector));
  if (!version) throw new AwsError('ParameterVersionNotFound', `Systems Manager could not find version ${selector} of ${name}. Verify the version and try again.`);
  return { Parameter: describe(ctx.world, record, version, decrypt, `:${selector}`) };
}

function getParameters(input: JsonObject, ctx: OperationContext): JsonObject {
  const names = optStringList(input, 'Names');
  const decrypt = optBoolean(input, 'WithDecryption') ?? false;
  if (names === undefined) {
    throw validationError("1 validation error detected: Value null at 'names' failed to satisfy constraint: Member must not be null");
  }
  if (names.length < 1 || names.length > 10) {
    throw validationError(
      `1 validation error detected: Value '[${names.join(', ')}]' at 'names' failed to satisfy constraint: Member must have length ${names.length < 1 ? 'greater than or equal to 1' : 'less than or equal to 10'}`,
    );
  }
  const parameters: JsonObject[] = [];
  const invalid: string[] = [];
  for (const name of new Set(names)) {
    const record = ctx.world.parameters[name];
    if (record) parameters.push(describe(ctx.world, record, latest(record), decrypt));
    else invalid.push(name);
  }
  return { Parameters: parameters, InvalidParameters: invalid };
}

function putParameter(input: JsonObject, ctx: OperationContext): JsonObject {
  const name = reqString(input, 'Name', 'name');
  const value = reqString(input, 'Value', 'value');
  const type = optString(input, 'Type');
  const overwrite = optBoolean(input, 'Overwrite') ?? false;
  const description = optString(input, 'Description');
  const tier = optString(input, 'Tier');
  optString(input, 'DataType');
  validateName(name);
  if (value.length < 1) {
    throw validationError("1 validation error detected: Value at 'value' failed to satisfy constraint: Member must have length greater than or equal to 1");
  }
  if (value.length > STANDARD_VALUE_LIMIT) {
    throw validationError(`Standard tier parameters support a maximum parameter value of 4096 characters. To create a larger parameter value, upgrade the parameter to use the advanced-parameter tier. For more information, see https://docs.aws.amazon.com/systems-manager/latest/userguide/parameter-store-advanced-parameters.html`);
  }
  if (type !== undefined && !['String', 'StringList', 'SecureString'].includes(type)) {
    throw validationError(`1 validation error detected: Value '${type}' at 'type' failed to satisfy constraint: Member must satisfy enum value set: [SecureString, StringList, String]`);
  }
  if (tier !== undefined && !['Standard', 'Advanced', 'Intelligent-Tiering'].includes(tier)) {
    throw validationError(`1 validation error detected: Value '${tier}' at 'tier' failed to satisfy constraint: Member must satisfy enum value set: [Standard, Advanced, Intelligent-Tiering]`);
  }
  if (description !== undefined && description.length > 1024) {
    throw validationError("1 validation error detected: Value at 'description' failed to satisfy constraint: Member must have length less than or equal to 1024");
  }
  const existing = ctx.world.parameters[name];
  if (existing && !overwrite) {
    throw new AwsError('ParameterAlreadyExists', 'The parameter already exists. To overwrite this value, set the overwrite option in the request to true.');
  }
  if (!existing && type === undefined) {
    throw validationError('A parameter type is required when you create a parameter.');
  }
  if (existing && existing.history.length >= 100) {
    // AWS keeps 100 versions and refuses a new one while the oldest carries a label; without labels it drops the oldest.
    existing.history.shift();
  }
  const written = writeParameter(ctx.world, name, value, ctx.callerArn, ctx.now, type as ParameterVersion['type'] | undefined, description);
  ctx.changed();
  return { Version: written.version, Tier: 'Standard' };
}

function getParameterHistory(input: JsonObject, ctx: OperationContext): JsonObject {
  const name = reqString(input, 'Name', 'name');
  const max = optNumber(input, 'MaxResults');
  const token = optString(input, 'NextToken');
  const decrypt = optBoolean(input, 'WithDecryption') ?? false;
  checkRange(max, 'maxResults', 1, 50);
  const record = ctx.world.parameters[name];
  if (!record) throw new AwsError('ParameterNotFound', '');
  const { items, nextToken } = page(record.history, max ?? 50, token, `history:${name}`, 'InvalidNextToken');
  return compact({
    Parameters: items.map((v) =>
      compact({
        Name: record.name,
        Type: v.type,
        LastModifiedDate: seconds(v.lastModifiedDate),
        LastModifiedUser: v.lastModifiedUser,
        Description: v.description,
        Value: shownValue(record, v, decrypt),
        KeyId: v.type === 'SecureString' ? 'alias/aws/ssm' : undefined,
        Version: v.version,
        Labels: [],
        Tier: 'Standard',
        Policies: [],
        DataType: 'text',
      }),
    ),
    NextToken: nextToken,
  });
}

function getParametersByPath(input: JsonObject, ctx: OperationContext): JsonObject {
  const path = reqString(input, 'Path', 'path');
  const recursive = optBoolean(input, 'Recursive') ?? false;
  const max = optNumber(input, 'MaxResults');
  const token = optString(input, 'NextToken');
  const decrypt = optBoolean(input, 'WithDecryption') ?? false;
  if (input.ParameterFilters !== undefined) {
    throw new AwsError('InvalidFilterKey', 'The sandbox does not support ParameterFilters.');
  }
  checkRange(max, 'maxResults', 1, 10);
  if (!path.startsWith('/')) throw validationError('The parameter doesn\'t meet the parameter name requirements. The parameter name must begin with a forward slash "/".');
  const prefix = path.endsWith('/') ? path : `${path}/`;
  const matches = Object.values(ctx.world.parameters)
    .filter((p) => p.name.startsWith(prefix) && (recursive || !p.name.slice(prefix.length).includes('/')))
    .sort((a, b) => (a.name < b.name ? -1 : 1));
  const { items, nextToken } = page(matches, max ?? 10, token, `path:${prefix}:${recursive}`, 'InvalidNextToken');
  return compact({ Parameters: items.map((r) => describe(ctx.world, r, latest(r), decrypt)), NextToken: nextToken });
}

export const ssmService: ServiceDefinition = {
  signingName: 'ssm',
  targetPrefix: 'AmazonSSM',
  operations: {
    GetParameter: getParameter,
    GetParameters: getParameters,
    PutParameter: putParameter,
    GetParameterHistory: getParameterHistory,
    GetParametersByPath: getParametersByPath,
  },
};
