import * as assert from 'node:assert/strict';
import { lazyPorts } from '../../../src/aws';
import type { AwsPorts } from '../../../src/core/ports';

describe('lazyPorts', () => {
  it('builds a port on first access only, once, and never the ones not used', () => {
    const built: string[] = [];
    const make = <K extends keyof AwsPorts>(key: K) => () => (built.push(key), { key } as unknown as AwsPorts[K]);
    const ports = lazyPorts({
      parameters: make('parameters'),
      pipelines: make('pipelines'),
      containers: make('containers'),
      images: make('images'),
      logs: make('logs'),
    });
    assert.deepEqual(built, []);
    const first = ports.parameters;
    assert.equal(ports.parameters, first);
    void ports.containers;
    assert.deepEqual(built, ['parameters', 'containers']);
  });
});
