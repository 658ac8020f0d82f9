// The shape validator must be able to fail: otherwise "every response validates" proves nothing.
import * as assert from 'node:assert/strict';
import { ShapeValidator } from './shapes';

describe('sandbox shape validator (botocore models)', () => {
  const validator = new ShapeValidator();
  const parameter = { Name: '/a', Type: 'String', Value: 'v', Version: 1, LastModifiedDate: 1715500000.5, ARN: 'arn:aws:ssm:eu-central-1:000000000000:parameter/a', DataType: 'text' };

  it('finds the models of all six services', () => {
    assert.ok(validator.dataDir.endsWith('data'));
  });

  it('accepts a correct GetParameter answer', () => {
    assert.deepEqual(validator.check('AmazonSSM.GetParameter', 200, JSON.stringify({ Parameter: parameter })), []);
  });

  it('refuses ISO and millisecond timestamps, unknown members, wrong enums and types', () => {
    const bad = (p: object) => validator.check('AmazonSSM.GetParameter', 200, JSON.stringify({ Parameter: { ...parameter, ...p } }));
    assert.equal(bad({ LastModifiedDate: '2024-05-12T09:00:00Z' }).length, 1);
    assert.equal(bad({ LastModifiedDate: 1715500000500 }).length, 1);
    assert.equal(bad({ Extra: 1 }).length, 1);
    assert.equal(bad({ Type: 'Text' }).length, 1);
    assert.equal(bad({ Version: '1' }).length, 1);
    assert.equal(validator.check('CodePipeline_20150709.GetPipelineState', 200, JSON.stringify({ stageStates: [{ latestExecution: { status: 'InProgress' } }] })).length, 1, 'a missing required member');
  });

  it('accepts only modeled or common error codes', () => {
    assert.deepEqual(validator.check('AmazonSSM.GetParameter', 400, JSON.stringify({ __type: 'ParameterNotFound', message: '' })), []);
    assert.equal(validator.check('AmazonSSM.GetParameter', 400, JSON.stringify({ __type: 'PipelineNotFoundException', message: '' })).length, 1);
  });
});
