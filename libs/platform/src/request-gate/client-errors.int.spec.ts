import { createServer, type Server } from 'node:http';
import { connect } from 'node:net';
import { answerClientErrorsAsProblems } from './client-errors';

// What Node's HTTP parser answers before any handler runs, as problem+json: 431 for oversized
// headers, 408 for a body that does not arrive, 400 for malformed HTTP.
let server: Server;
let port: number;

beforeAll(async () => {
  // Node checks request timeouts every connectionsCheckingInterval (30 s by default): 100 ms here.
  server = createServer({ connectionsCheckingInterval: 100 }, (req, res) => {
    req.resume();
    req.on('end', () => res.end('ok'));
  });
  answerClientErrorsAsProblems(server, { requestTimeoutMs: 500, headersTimeoutMs: 500 });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as { port: number }).port;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

/** Writes raw bytes and reads everything until the server closes the connection. */
function raw(text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(text));
    let answer = '';
    socket.on('data', (chunk) => (answer += chunk.toString()));
    socket.on('close', () => resolve(answer));
    socket.on('error', reject);
  });
}

const problemOf = (answer: string) => JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4)) as { status: number; code: string };

describe('answers of the HTTP parser', () => {
  it('431 problem+json for headers over 16 KiB', async () => {
    const answer = await raw(`GET / HTTP/1.1\r\nHost: x\r\nX-Padding: ${'a'.repeat(20_000)}\r\n\r\n`);
    expect(answer).toMatch(/^HTTP\/1\.1 431 /);
    expect(answer).toMatch(/Content-Type: application\/problem\+json/);
    expect(problemOf(answer)).toMatchObject({ status: 431, code: 'REQUEST.HEADERS_TOO_LARGE' });
  });

  it('408 problem+json when the body does not arrive', async () => {
    const answer = await raw('POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"a":');
    expect(answer).toMatch(/^HTTP\/1\.1 408 /);
    expect(problemOf(answer)).toMatchObject({ status: 408, code: 'REQUEST.TIMEOUT' });
  });

  it('400 problem+json for malformed HTTP', async () => {
    const answer = await raw('NOT HTTP AT ALL\r\n\r\n');
    expect(answer).toMatch(/^HTTP\/1\.1 400 /);
    expect(problemOf(answer)).toMatchObject({ status: 400, code: 'REQUEST.MALFORMED' });
  });
});
