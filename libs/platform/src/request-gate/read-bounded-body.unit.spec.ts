import { type IncomingMessage, type Server, createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ProblemException } from '../errors/problem';
import { readBoundedBody } from './read-bounded-body';

const MiB = 1024 * 1024;

/** A server whose one route reads an upload of at most 1 KiB, answering 413 problems with their headers. */
async function uploadServer(): Promise<{ server: Server; url: URL; received: () => number; answered: { status: number; connection?: string }[] }> {
  let received = 0;
  const answered: { status: number; connection?: string }[] = [];
  const server = createServer((req: IncomingMessage, res) => {
    req.on('data', (chunk: Buffer) => (received += chunk.length));
    readBoundedBody(req, 1024).then(
      (body) => res.end(`ok ${body.length}`),
      (error: ProblemException) => {
        for (const [name, value] of Object.entries(error.headers)) res.setHeader(name, value);
        res.statusCode = error.getStatus();
        answered.push({ status: res.statusCode, ...(error.headers.connection !== undefined && { connection: error.headers.connection }) });
        res.end(error.code);
      },
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`), received: () => received, answered };
}

/** Sends 1 MiB chunks until the server answers or closes; resolves with the answer (if any) and the bytes sent. */
function sendEndlessly(url: URL, headers: Record<string, string | number>): Promise<{ status?: number; connection?: string; sent: number }> {
  return new Promise((resolve) => {
    let sent = 0;
    let status: number | undefined;
    let connection: string | undefined;
    let finished = false;
    const finish = () => {
      if (finished) return;
      finished = true;
      resolve({ ...(status !== undefined && { status }), ...(connection !== undefined && { connection }), sent });
    };
    const req = request(url, { method: 'POST', headers }, (res) => {
      status = res.statusCode;
      connection = res.headers.connection;
      res.resume();
      res.on('end', () => setImmediate(() => req.destroy()));
    });
    req.on('close', finish);
    req.on('error', finish);
    const chunk = Buffer.alloc(MiB);
    const pump = () => {
      while (!req.destroyed && status === undefined && sent < 512 * MiB) {
        sent += chunk.length;
        if (!req.write(chunk)) return void req.once('drain', pump);
      }
    };
    pump();
  });
}

describe('readBoundedBody (review finding: past the drain cap the body kept flowing)', () => {
  let server: Server;
  afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

  it('reads a body within the limit', async () => {
    const up = await uploadServer();
    server = up.server;
    const answer = await fetch(up.url, { method: 'POST', body: 'x'.repeat(1000) });
    expect([answer.status, await answer.text()]).toEqual([200, 'ok 1000']);
  });

  it('refuses a declared length beyond the drain cap at once, closing the connection, reading none of it', async () => {
    const up = await uploadServer();
    server = up.server;
    const result = await sendEndlessly(up.url, { 'content-length': 1024 * MiB });
    // The server answered 413 and closed; a client still writing may read it or meet the reset.
    expect(up.answered).toEqual([{ status: 413, connection: 'close' }]);
    if (result.status !== undefined) expect([result.status, result.connection]).toEqual([413, 'close']);
    expect(up.received()).toBeLessThan(70 * MiB);
  });

  it('stops reading a chunked upload past the drain cap: 413 with Connection: close, not an endless read', async () => {
    const up = await uploadServer();
    server = up.server;
    const result = await sendEndlessly(up.url, { 'transfer-encoding': 'chunked' });
    expect(up.answered).toEqual([{ status: 413, connection: 'close' }]);
    if (result.status !== undefined) expect([result.status, result.connection]).toEqual([413, 'close']);
    // The client would have sent 512 MiB; the server stopped near its 64 MiB cap.
    expect(up.received()).toBeLessThan(70 * MiB);
    expect(result.sent).toBeLessThan(512 * MiB);
  });
});
