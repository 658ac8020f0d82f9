// The body of a response as bytes, for the SDK clients (their `streamCollector`). The SDK's own collector first
// asks whether the body is a web Blob or ReadableStream: in Node 20 the first `typeof ReadableStream` loads the
// whole web streams implementation (~5 ms of a CLI status, #12), for a body that is always a Node stream here
// (the clients' handler is Node's http/https). The bytes are the same: one new Uint8Array of every chunk in order.

import type { StreamCollector } from '@smithy/types';

interface NodeReadable {
  on(event: 'data', listener: (chunk: Uint8Array | string) => void): unknown;
  on(event: 'end', listener: () => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
  pipe: unknown;
}

function isNodeReadable(body: unknown): body is NodeReadable {
  return typeof body === 'object' && body !== null && typeof (body as NodeReadable).on === 'function' && typeof (body as NodeReadable).pipe === 'function';
}

/**
 * Collects a Node readable stream. A web Blob or ReadableStream (which Node's handler never returns) is read
 * through the Fetch API's Response, as the SDK reads them.
 */
export const nodeStreamCollector: StreamCollector = (body: unknown) => {
  if (!isNodeReadable(body)) return new Response(body as Blob | ReadableStream).arrayBuffer().then((bytes) => new Uint8Array(bytes));
  return new Promise<Uint8Array>((resolve, reject) => {
    const chunks: Uint8Array[] = [];
    let length = 0;
    body.on('data', (chunk) => {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      chunks.push(bytes);
      length += bytes.byteLength;
    });
    body.on('error', reject);
    body.on('end', () => {
      const all = new Uint8Array(length);
      let offset = 0;
      for (const bytes of chunks) {
        all.set(bytes, offset);
        offset += bytes.byteLength;
      }
      resolve(all);
    });
  });
};
