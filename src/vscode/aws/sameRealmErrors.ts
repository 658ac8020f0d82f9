// dist/aws.js is a separate bundle with its own copy of the DeployError class, so `instanceof DeployError` in
// this bundle (the core's toDeployError, isDeployError) fails for errors the adapters throw, and an expired
// session would be reported as an "unknown" part error instead of "sign in". Every port call is wrapped so
// that such errors are re-created with this bundle's class.

import { DeployError } from '../../core/errors';
import type { AwsPorts, AwsPortsFactory } from '../../core/ports';

function rehydrate(e: unknown): unknown {
  if (e instanceof DeployError) return e;
  const x = e as { name?: unknown; kind?: unknown; message?: unknown; details?: unknown } | undefined;
  if (x && x.name === 'DeployError' && typeof x.kind === 'string') {
    const copy = new DeployError(x.kind as DeployError['kind'], String(x.message ?? ''), (x.details ?? {}) as DeployError['details']);
    if (e instanceof Error && e.stack) copy.stack = e.stack;
    return copy;
  }
  return e;
}

function wrapPort<T extends object>(port: T): T {
  return new Proxy(port, {
    get(target, key, receiver) {
      const value = Reflect.get(target, key, receiver) as unknown;
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        try {
          const result = (value as (...a: unknown[]) => unknown).apply(target, args);
          return result instanceof Promise ? result.catch((e: unknown) => Promise.reject(rehydrate(e))) : result;
        } catch (e) {
          throw rehydrate(e);
        }
      };
    },
  });
}

export function sameRealmErrors(factory: AwsPortsFactory): AwsPortsFactory {
  const wrapped = new WeakMap<AwsPorts, AwsPorts>();
  return (env) => {
    const ports = factory(env);
    let w = wrapped.get(ports);
    if (!w) {
      w = {
        parameters: wrapPort(ports.parameters),
        pipelines: wrapPort(ports.pipelines),
        containers: wrapPort(ports.containers),
        images: wrapPort(ports.images),
        logs: wrapPort(ports.logs),
      };
      wrapped.set(ports, w);
    }
    return w;
  };
}
