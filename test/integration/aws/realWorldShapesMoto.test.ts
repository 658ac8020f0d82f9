// The same real-world shapes as realWorldShapes.test.ts where moto implements the calls (SSM SecureString, ECS
// task sets of an EXTERNAL service): the client's adapters against moto_server, an emulator the sandbox's authors
// did not write; the reads of status also through its lean client (src/aws/jsonProtocol.ts), which must read the
// same. Fails (does not skip) without moto_server.
import * as assert from 'node:assert/strict';
import { CreateClusterCommand, CreateServiceCommand, CreateTaskSetCommand, ECSClient, RegisterTaskDefinitionCommand } from '@aws-sdk/client-ecs';
import { GetParameterCommand, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { createCaller } from '../../../src/aws/call';
import { ContainerClient } from '../../../src/aws/containers';
import { createCredentialSource } from '../../../src/aws/credentials';
import { createJsonClient, ECS_JSON, SSM_JSON } from '../../../src/aws/jsonProtocol';
import type { EcsOperations, SsmOperations } from '../../../src/aws/operations';
import { ParameterStoreClient } from '../../../src/aws/parameterStore';
import { ecsOperations, ssmOperations } from '../../../src/aws/sdkOperations';
import { startMoto, type Moto } from '../moto';

const SHA = 'a'.repeat(40);
const NEXT = 'b'.repeat(40);

describe('real-world shapes against moto_server (SSM SecureString, ECS EXTERNAL task sets)', function () {
  this.timeout(90_000);
  let moto: Moto | undefined;
  let config: { endpoint: string; region: string; credentials: { accessKeyId: string; secretAccessKey: string }; maxAttempts: number };
  const call = (service: string) => createCaller(service, createCredentialSource({ credentials: { accessKeyId: 'test', secretAccessKey: 'test' } }), undefined, {});

  before(async () => {
    moto = await startMoto();
    config = { endpoint: moto.endpoint, region: 'eu-central-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 };
  });
  after(() => {
    moto?.stop();
  });

  it('SecureString desired_version: read decrypted, and a deploy\'s write keeps it a SecureString', async () => {
    const ssm = new SSMClient(config);
    await ssm.send(new PutParameterCommand({ Name: '/spryker-prod/desired_version', Value: SHA, Type: 'SecureString' }));
    const parameters = new ParameterStoreClient(ssmOperations(ssm), call('ssm'));
    const read = await parameters.getParameters(['/spryker-prod/desired_version']);
    assert.equal(read.get('/spryker-prod/desired_version')?.value, SHA);
    // status's lean client (src/aws/jsonProtocol.ts) reads the same from moto.
    const lean = new ParameterStoreClient(createJsonClient<SsmOperations>(SSM_JSON, { ...config, credentials: async () => config.credentials }), call('ssm'));
    assert.deepEqual(await lean.getParameters(['/spryker-prod/desired_version', '/spryker-prod/nope']), read);
    await parameters.putParameter('/spryker-prod/desired_version', NEXT);
    const after = await ssm.send(new GetParameterCommand({ Name: '/spryker-prod/desired_version', WithDecryption: true }));
    assert.equal(after.Parameter?.Type, 'SecureString');
    assert.equal(after.Parameter?.Value, NEXT);
    const history = await parameters.getParameterHistory('/spryker-prod/desired_version');
    assert.deepEqual(history.map((h) => h.value), [SHA, NEXT]);
  });

  it('a parameter that does not exist yet is still created', async () => {
    const ssm = new SSMClient(config);
    const parameters = new ParameterStoreClient(ssmOperations(ssm), call('ssm'));
    await parameters.putParameter('/spryker-new/desired_version', SHA);
    // moto creates it without a type where AWS (and the sandbox, see realWorldShapes.test.ts) demands one.
    const created = await ssm.send(new GetParameterCommand({ Name: '/spryker-new/desired_version' }));
    assert.equal(created.Parameter?.Value, SHA);
  });

  it('an EXTERNAL service: its task set read as the deployment, no empty service task definition to describe', async () => {
    const ecs = new ECSClient(config);
    await ecs.send(new CreateClusterCommand({ clusterName: 'spryker-prod' }));
    const image = `000000000000.dkr.ecr.eu-central-1.amazonaws.com/spryker-prod-b2c-glue:${SHA}`;
    const td = await ecs.send(
      new RegisterTaskDefinitionCommand({ family: 'spryker-prod-glue', containerDefinitions: [{ name: 'glue', image, cpu: 512, memory: 1024, essential: true }] }),
    );
    await ecs.send(new CreateServiceCommand({ cluster: 'spryker-prod', serviceName: 'spryker-prod-glue', desiredCount: 1, deploymentController: { type: 'EXTERNAL' } }));
    await ecs.send(new CreateTaskSetCommand({ cluster: 'spryker-prod', service: 'spryker-prod-glue', taskDefinition: td.taskDefinition!.taskDefinitionArn! }));
    const containers = new ContainerClient(ecsOperations(ecs), call('ecs'));
    const [service] = await containers.describeServices('spryker-prod', ['spryker-prod-glue']);
    const lean = new ContainerClient(createJsonClient<EcsOperations>(ECS_JSON, { ...config, credentials: async () => config.credentials }), call('ecs'));
    assert.deepEqual(await lean.describeServices('spryker-prod', ['spryker-prod-glue']), [service]);
    assert.deepEqual(await lean.listTasks('spryker-prod'), await containers.listTasks('spryker-prod'));
    assert.equal(service.taskDefinition, '');
    assert.equal(service.deployments.length, 1);
    assert.equal(service.deployments[0].taskDefinition, td.taskDefinition!.taskDefinitionArn);
    const images = await containers.describeTaskDefinitionImages(service.deployments[0].taskDefinition);
    assert.deepEqual(await lean.describeTaskDefinitionImages(service.deployments[0].taskDefinition), images);
    assert.equal(images[0].tag, SHA);
  });
});
