// Cross-check with moto (moto_server), an independent emulator built from the same AWS models: the same SDK calls
// against both must give the same error codes, and the sandbox must send every member moto sends, with the same
// JSON types. Kept in its own file to tune what is compared as moto evolves.
import * as assert from 'node:assert/strict';
import { DescribeImagesCommand, DescribeRepositoriesCommand, CreateRepositoryCommand, PutImageCommand } from '@aws-sdk/client-ecr';
import { CreateClusterCommand, CreateServiceCommand, DescribeServicesCommand, DescribeTaskDefinitionCommand, ListServicesCommand, RegisterTaskDefinitionCommand } from '@aws-sdk/client-ecs';
import { GetParameterCommand, GetParameterHistoryCommand, GetParametersCommand, PutParameterCommand } from '@aws-sdk/client-ssm';
import { startSandbox, type Sandbox } from '../../../src/sandbox/index';
import { startMoto, type Moto } from '../moto';
import { clients, RecordingHandler } from './helpers';

type Target = { name: string; aws: ReturnType<typeof clients>; recorder: RecordingHandler };

/** The JSON type skeleton of a value: which members exist and what JSON type each has (lists: their first item). */
function skeleton(value: unknown, at = '$', out = new Map<string, string>()): Map<string, string> {
  const kind = Array.isArray(value) ? 'array' : value === null ? 'null' : typeof value;
  out.set(at, kind);
  if (kind === 'array' && (value as unknown[]).length > 0) skeleton((value as unknown[])[0], `${at}[]`, out);
  if (kind === 'object') for (const [k, v] of Object.entries(value as object)) skeleton(v, `${at}.${k}`, out);
  return out;
}

describe('sandbox cross-checked with moto_server (SSM, ECS, ECR)', function () {
  this.timeout(90_000);
  let moto: Moto | undefined;
  let sandbox: Sandbox;
  let sb: Target;
  let mt: Target;

  before(async () => {
    moto = await startMoto();
    sandbox = await startSandbox({ stageSeconds: 1 });
    const motoStub = { ...sandbox, endpoint: moto.endpoint } as Sandbox;
    const r1 = new RecordingHandler();
    const r2 = new RecordingHandler();
    sb = { name: 'sandbox', aws: clients(sandbox, { requestHandler: r1, maxAttempts: 1 }), recorder: r1 };
    mt = { name: 'moto', aws: clients(motoStub, { requestHandler: r2, maxAttempts: 1 }), recorder: r2 };

    // Give moto the same resources the sandbox world has (names, shapes), so the answers are comparable.
    const sha = sandbox.inspect.commits()[3].sha;
    await mt.aws.ssm.send(new PutParameterCommand({ Name: '/spryker-prod/desired_version', Value: sha, Type: 'String' }));
    await mt.aws.ssm.send(new PutParameterCommand({ Name: '/spryker-prod/desired_version', Value: sha, Type: 'String', Overwrite: true }));
    await mt.aws.ecs.send(new CreateClusterCommand({ clusterName: 'spryker-prod' }));
    const image = `000000000000.dkr.ecr.eu-central-1.amazonaws.com/spryker-prod-b2c-yves:${sha}`;
    const td = await mt.aws.ecs.send(
      new RegisterTaskDefinitionCommand({ family: 'spryker-prod-yves', networkMode: 'awsvpc', requiresCompatibilities: ['FARGATE'], cpu: '512', memory: '1024', containerDefinitions: [{ name: 'yves', image, cpu: 512, memory: 1024, essential: true }] }),
    );
    await mt.aws.ecs.send(new CreateServiceCommand({ cluster: 'spryker-prod', serviceName: 'spryker-prod-yves', taskDefinition: td.taskDefinition!.taskDefinitionArn, desiredCount: 2, launchType: 'FARGATE' }));
    await mt.aws.ecr.send(new CreateRepositoryCommand({ repositoryName: 'spryker-prod-b2c-yves' }));
    const manifest = JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.docker.distribution.manifest.v2+json', config: { mediaType: 'application/vnd.docker.container.image.v1+json', size: 7023, digest: `sha256:${'a'.repeat(64)}` }, layers: [] });
    await mt.aws.ecr.send(new PutImageCommand({ repositoryName: 'spryker-prod-b2c-yves', imageManifest: manifest, imageTag: sha }));
  });

  after(async () => {
    await sandbox?.stop();
    moto?.stop();
  });

  /** Sends the same command to both; returns the raw answers. */
  async function both(send: (t: Target) => Promise<unknown>): Promise<{ sandbox: { status: number; body: Record<string, unknown> }; moto: { status: number; body: Record<string, unknown> } }> {
    const answer = async (t: Target) => {
      await send(t).catch(() => undefined);
      const last = t.recorder.responses.at(-1)!;
      return { status: last.status, body: JSON.parse(last.body || '{}') as Record<string, unknown> };
    };
    return { sandbox: await answer(sb), moto: await answer(mt) };
  }

  async function sameError(label: string, send: (t: Target) => Promise<unknown>): Promise<void> {
    const r = await both(send);
    assert.equal(r.moto.status, 400, `${label}: moto answered ${r.moto.status} ${JSON.stringify(r.moto.body)}`);
    assert.equal(r.sandbox.status, r.moto.status, label);
    assert.equal(r.sandbox.body.__type, String(r.moto.body.__type).split('#').pop(), label);
  }

  async function sameShape(label: string, send: (t: Target) => Promise<unknown>): Promise<void> {
    const r = await both(send);
    assert.equal(r.sandbox.status, 200, `${label}: ${JSON.stringify(r.sandbox.body)}`);
    assert.equal(r.moto.status, 200, `${label} (moto): ${JSON.stringify(r.moto.body)}`);
    const ours = skeleton(r.sandbox.body);
    const problems: string[] = [];
    for (const [path, kind] of skeleton(r.moto.body)) {
      if (!ours.has(path)) problems.push(`${path} (${kind}) is sent by moto, not by the sandbox`);
      else if (ours.get(path) !== kind) problems.push(`${path} is ${ours.get(path)} in the sandbox, ${kind} in moto`);
    }
    assert.deepEqual(problems.filter((p) => !TOLERATED.some((t) => p.startsWith(t))), [], label);
  }

  /** Members moto sends that AWS does not for this setup (checked against the models and AWS docs). */
  const TOLERATED = [
    // moto sends an empty taskSets list; AWS leaves it out for services with the ECS deployment controller.
    '$.services[].taskSets',
  ];

  it('SSM: the same errors', async () => {
    await sameError('GetParameter of a missing name', (t) => t.aws.ssm.send(new GetParameterCommand({ Name: '/spryker-prod/nope' })));
    await sameError('PutParameter over an existing name without Overwrite', (t) => t.aws.ssm.send(new PutParameterCommand({ Name: '/spryker-prod/desired_version', Value: 'x', Type: 'String' })));
    await sameError('GetParameters with 11 names', (t) => t.aws.ssm.send(new GetParametersCommand({ Names: Array.from({ length: 11 }, (_, i) => `/p${i}`) })));
    await sameError('GetParameterHistory of a missing name', (t) => t.aws.ssm.send(new GetParameterHistoryCommand({ Name: '/spryker-prod/nope' })));
  });

  it('SSM: the same members and types', async () => {
    await sameShape('GetParameter', (t) => t.aws.ssm.send(new GetParameterCommand({ Name: '/spryker-prod/desired_version' })));
    await sameShape('GetParameters', (t) => t.aws.ssm.send(new GetParametersCommand({ Names: ['/spryker-prod/desired_version', '/spryker-prod/nope'] })));
    await sameShape('GetParameterHistory', (t) => t.aws.ssm.send(new GetParameterHistoryCommand({ Name: '/spryker-prod/desired_version' })));
    await sameShape('PutParameter', (t) => t.aws.ssm.send(new PutParameterCommand({ Name: '/spryker-prod/desired_version', Value: 'f'.repeat(40), Overwrite: true })));
  });

  it('ECS: the same errors and members', async () => {
    await sameError('DescribeServices in a missing cluster', (t) => t.aws.ecs.send(new DescribeServicesCommand({ cluster: 'nope', services: ['x'] })));
    await sameError('ListServices in a missing cluster', (t) => t.aws.ecs.send(new ListServicesCommand({ cluster: 'nope' })));
    await sameError('DescribeTaskDefinition of a missing family', (t) => t.aws.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: 'nope:1' })));
    await sameShape('DescribeServices with a missing one', (t) => t.aws.ecs.send(new DescribeServicesCommand({ cluster: 'spryker-prod', services: ['spryker-prod-yves', 'nope'] })));
    await sameShape('ListServices', (t) => t.aws.ecs.send(new ListServicesCommand({ cluster: 'spryker-prod' })));
    await sameShape('DescribeTaskDefinition', (t) => t.aws.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: 'spryker-prod-yves' })));
  });

  it('ECR: the same errors and members', async () => {
    await sameError('DescribeImages of a missing repository', (t) => t.aws.ecr.send(new DescribeImagesCommand({ repositoryName: 'nope' })));
    await sameError('DescribeImages of a missing tag', (t) => t.aws.ecr.send(new DescribeImagesCommand({ repositoryName: 'spryker-prod-b2c-yves', imageIds: [{ imageTag: 'f'.repeat(40) }] })));
    await sameError('DescribeRepositories of a missing name', (t) => t.aws.ecr.send(new DescribeRepositoriesCommand({ repositoryNames: ['nope'] })));
    const sha = sandbox.inspect.commits()[3].sha;
    await sameShape('DescribeImages of a tag', (t) => t.aws.ecr.send(new DescribeImagesCommand({ repositoryName: 'spryker-prod-b2c-yves', imageIds: [{ imageTag: sha }] })));
    await sameShape('DescribeRepositories', (t) => t.aws.ecr.send(new DescribeRepositoriesCommand({ repositoryNames: ['spryker-prod-b2c-yves'] })));
  });
});
