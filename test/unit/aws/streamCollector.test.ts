import * as assert from 'node:assert/strict';
import { PassThrough, Readable } from 'node:stream';
import { nodeStreamCollector } from '../../../src/aws/streamCollector';

// The clients' response body collector (src/aws/index.ts): the bytes the SDK's own collector gives, without
// asking first whether the body is a web stream (which loads Node's web streams, #12).
describe('the response body collector of the SDK clients', () => {
  it('gives every chunk of a Node stream, in order, as one new Uint8Array', async () => {
    const body = Readable.from([Buffer.from('{"Parameters":'), Buffer.from('[{"Name":"/x"}]}')], { objectMode: false });
    const bytes = await nodeStreamCollector(body);
    assert.equal(Object.getPrototypeOf(bytes), Uint8Array.prototype);
    assert.equal(Buffer.from(bytes).toString('utf8'), '{"Parameters":[{"Name":"/x"}]}');
  });

  it('takes string chunks as UTF-8 and an empty body as no bytes', async () => {
    const text = new PassThrough();
    text.setEncoding('utf8');
    const collected = nodeStreamCollector(text);
    text.end(Buffer.from('ä€'));
    assert.deepEqual([...(await collected)], [...Buffer.from('ä€')]);
    assert.equal((await nodeStreamCollector(Readable.from([]))).byteLength, 0);
  });

  it('rejects with the stream\'s error (a connection reset mid-body)', async () => {
    const body = new PassThrough();
    const collected = nodeStreamCollector(body);
    body.write('{"partial":');
    body.destroy(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));
    await assert.rejects(collected, /socket hang up/);
  });

  it('reads a web ReadableStream or Blob (never returned by Node\'s handler) to the same bytes', async () => {
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('ab'));
        controller.enqueue(new TextEncoder().encode('c'));
        controller.close();
      },
    });
    assert.equal(Buffer.from(await nodeStreamCollector(stream)).toString(), 'abc');
    assert.equal(Buffer.from(await nodeStreamCollector(new Blob(['de', 'f']))).toString(), 'def');
  });
});
