// HTTP dispatch: reads the body (bounded), sends /_sandbox/ to the control API and POST / to the AWS dispatcher.
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { AwsError } from './protocol';
import type { Ids } from './world';
import { sendAwsError } from './awsDispatch';
import { isControlPath } from './controlApi';

const MAX_BODY_BYTES = 1024 * 1024;
const MAX_DRAINED_BYTES = 64 * MAX_BODY_BYTES;

export interface HttpHandlers {
  readonly ids: Ids;
  control(req: http.IncomingMessage, res: http.ServerResponse, body: Buffer): void;
  aws(req: http.IncomingMessage, res: http.ServerResponse, body: Buffer): Promise<void>;
}

/**
 * The body, or a SerializationException (HTTP 400, as AWS answers an oversized request) once it exceeds
 * MAX_BODY_BYTES. The rest is read and dropped rather than the socket reset, so the client gets the answer.
 */
function readBody(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY_BYTES) {
        chunks.length = 0;
        // Beyond any plausible client, stop reading: the connection is dropped instead.
        if (size > MAX_DRAINED_BYTES) req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => (size > MAX_BODY_BYTES ? reject(new AwsError('SerializationException', `The request body is ${size} bytes; the limit is ${MAX_BODY_BYTES}.`)) : resolve(Buffer.concat(chunks))));
    req.on('error', reject);
  });
}

export function createHttpServer(handlers: HttpHandlers): http.Server {
  const server = http.createServer((req, res) => {
    readBody(req).then(
      (body) => {
        const path = (req.url ?? '/').split('?')[0];
        if (isControlPath(path)) return handlers.control(req, res, body);
        if (req.method === 'POST' && path === '/') return handlers.aws(req, res, body);
        sendAwsError(res, handlers.ids, new AwsError('UnknownOperationException', 'The sandbox answers awsJson1_1 requests on POST / only.', 404));
      },
      (e: unknown) => {
        const error = e instanceof AwsError ? e : new AwsError('SerializationException', 'Could not read the request body.');
        if (!res.headersSent && !res.destroyed) sendAwsError(res, handlers.ids, error);
      },
    );
  });
  server.keepAliveTimeout = 5000;
  return server;
}

/** Listens on 127.0.0.1 only: the sandbox accepts test credentials and must not be reachable from the network. */
export async function listen(server: http.Server, port: number): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  return (server.address() as AddressInfo).port;
}

export async function closeServer(server: http.Server): Promise<void> {
  await new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
