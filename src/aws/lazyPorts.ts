import type { AwsPorts } from '../core/ports';

/** An object whose members are made on first access, once. */
export function lazyMembers<T extends object>(make: { readonly [K in keyof T]: () => T[K] }): T {
  const members = {} as T;
  for (const key of Object.keys(make) as (keyof T)[]) {
    Object.defineProperty(members, key, {
      enumerable: true,
      get() {
        const value = make[key]();
        Object.defineProperty(members, key, { value, enumerable: true });
        return value;
      },
      configurable: true,
    });
  }
  return members;
}

/** AwsPorts whose members are made on first access, once. */
export const lazyPorts = (make: { readonly [K in keyof AwsPorts]: () => AwsPorts[K] }): AwsPorts => lazyMembers<AwsPorts>(make);
