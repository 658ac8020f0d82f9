// node:https and node:zlib as the AWS SDK in dist/aws.js sees them (esbuild.js points the SDK's imports here):
// loaded on first use, not when the bundle loads. TLS is about 10 ms of CPU of a CLI start (#12), and a client of
// an http: endpoint (the local sandbox) never uses it; zlib is only for CRC32 checksums, which the calls of
// status never ask for. Behaviour is Node's: every member the SDK uses is Node's own once loaded.

import type * as Https from 'node:https';
import type * as Zlib from 'node:zlib';

let https: typeof Https | undefined;
let zlib: typeof Zlib | undefined;
const loadHttps = (): typeof Https => (https ??= require('node:https') as typeof Https);
const loadZlib = (): typeof Zlib => (zlib ??= require('node:zlib') as typeof Zlib);

/**
 * https.Agent until TLS is loaded: `new` loads it and makes Node's agent; `x instanceof` is false (no https agent
 * can exist before node:https is loaded) without loading it; any other member is Node's.
 */
const LazyAgent = new Proxy(function Agent() {}, {
  construct: (_target, args: unknown[]) => new (loadHttps().Agent)(...(args as [Https.AgentOptions?])),
  get: (_target, key) => (key === Symbol.hasInstance ? (x: unknown) => https !== undefined && x instanceof https.Agent : Reflect.get(loadHttps().Agent, key)),
}) as unknown as typeof Https.Agent;

/** The SDK's `import https from 'node:https'` (node-http-handler uses `Agent` and `request`). */
export const lazyHttps = {
  get Agent(): typeof Https.Agent {
    return https ? https.Agent : LazyAgent;
  },
  get request(): typeof Https.request {
    return loadHttps().request;
  },
  get globalAgent(): Https.Agent {
    return loadHttps().globalAgent;
  },
};

/** The SDK's `import * as zlib from 'node:zlib'` (its CRC32 checksum: `zlib.crc32` where Node has it). */
export const lazyZlib = {
  crc32: (data: string | NodeJS.ArrayBufferView, value?: number): number => loadZlib().crc32(data, value),
};

/**
 * An https agent made on first use, for a client whose endpoint is http: (it never makes an https request, so
 * node:https is never loaded). Until then `maxSockets` is kept for it; `destroy` of an agent never made is a no-op.
 */
export function httpsAgentOnFirstUse(options: Https.AgentOptions): Https.Agent {
  let agent: Https.Agent | undefined;
  const settings = { ...options };
  const real = (): Https.Agent => (agent ??= new (loadHttps().Agent)(settings));
  const placeholder = { destroy: () => agent?.destroy() };
  return new Proxy(placeholder, {
    get: (target, key) => {
      if (key === 'destroy') return target.destroy;
      if (key === 'maxSockets' && !agent) return settings.maxSockets;
      const a = real();
      const value = Reflect.get(a, key, a) as unknown;
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(a) : value;
    },
    set: (_target, key, value) => {
      if (key === 'maxSockets' && !agent) settings.maxSockets = value as number;
      else Reflect.set(real(), key, value);
      return true;
    },
  }) as unknown as Https.Agent;
}
