import type { AwsPorts } from '../core/ports';

/** AwsPorts whose members are made on first access, once. */
export function lazyPorts(make: { readonly [K in keyof AwsPorts]: () => AwsPorts[K] }): AwsPorts {
  const ports = {} as AwsPorts;
  for (const key of Object.keys(make) as (keyof AwsPorts)[]) {
    Object.defineProperty(ports, key, {
      enumerable: true,
      get() {
        const value = make[key]();
        Object.defineProperty(ports, key, { value, enumerable: true });
        return value;
      },
      configurable: true,
    });
  }
  return ports;
}
