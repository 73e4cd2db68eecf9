import type { IncomingMessage } from 'node:http';
import { ProblemException } from '../errors/problem';

/** How much of a refused body is read and thrown away so the client, still sending, sees its 413. */
const DRAIN_CAP_BYTES = 64 * 1024 * 1024;

/**
 * Reads up to `cap` more bytes of a refused body, holding none, so that a client still sending it
 * reads the 413 instead of a broken pipe (answering while it writes and closing made supertest,
 * curl on slow links and browsers report EPIPE or a reset). Beyond the cap the request is paused
 * and the answer closes the connection (`capped`): nothing more is read from that client.
 */
function discardRest(req: IncomingMessage, cap = DRAIN_CAP_BYTES): Promise<'drained' | 'capped'> {
  if (req.readableEnded) return Promise.resolve('drained');
  return new Promise((resolve) => {
    let seen = 0;
    const stop = (how: 'drained' | 'capped') => {
      req.off('data', onData);
      req.off('end', drained);
      req.off('error', drained);
      req.off('close', drained);
      resolve(how);
    };
    const drained = () => stop('drained');
    const onData = (chunk: Buffer) => {
      seen += chunk.length;
      if (seen > cap) {
        req.pause();
        stop('capped');
      }
    };
    req.on('data', onData);
    req.on('end', drained);
    req.on('error', drained);
    req.on('close', drained);
    req.resume();
  });
}

/** `Connection: close` makes Node end the connection after the answer instead of reading the rest of the body. */
const CLOSE = { connection: 'close' } as const;

/**
 * Reads a raw body (an upload) in a handler, i.e. after authentication, stopping at `maxBytes`:
 * a 413 as soon as more arrives (the rest is read and discarded, never held, up to a cap). A
 * declared Content-Length over the limit is refused without keeping any of it.
 */
export async function readBoundedBody(req: IncomingMessage, maxBytes: number, code = 'REQUEST.BODY_TOO_LARGE'): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? NaN);
  const tooLarge = (size: number | string, how: 'drained' | 'capped') =>
    new ProblemException(413, code, `The body may be at most ${maxBytes} bytes; this one is ${size}`, how === 'capped' ? CLOSE : {});
  if (Number.isFinite(declared) && declared > maxBytes) {
    // Declared beyond what we would ever drain: answer at once and close, reading none of it.
    throw tooLarge(declared, declared > DRAIN_CAP_BYTES ? 'capped' : await discardRest(req));
  }
  // Already read by a body parser: nothing left to stream.
  if (req.readableEnded) return Buffer.alloc(0);
  const chunks: Buffer[] = [];
  let size = 0;
  return new Promise<Buffer>((resolve, reject) => {
    const cleanup = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        cleanup();
        chunks.length = 0;
        void discardRest(req).then((how) => reject(tooLarge(`more than ${maxBytes}`, how)));
      } else chunks.push(chunk);
    };
    const onEnd = () => {
      cleanup();
      resolve(Buffer.concat(chunks, size));
    };
    const onError = (error: Error) => {
      cleanup();
      reject(new ProblemException(400, 'REQUEST.BODY_INCOMPLETE', `The body could not be read: ${error.message}`));
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
  });
}
