import type { IncomingMessage } from 'node:http';
import { ProblemException } from '../errors/problem';

/**
 * Reads a raw body (an upload) in a handler, i.e. after authentication, stopping at `maxBytes`:
 * a 413 as soon as more arrives (the rest is discarded unread, never held). A declared
 * Content-Length over the limit is refused before reading anything.
 */
export async function readBoundedBody(req: IncomingMessage, maxBytes: number, code = 'REQUEST.BODY_TOO_LARGE'): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? NaN);
  const tooLarge = (size: number | string) => new ProblemException(413, code, `The body may be at most ${maxBytes} bytes; this one is ${size}`);
  if (Number.isFinite(declared) && declared > maxBytes) {
    req.resume();
    throw tooLarge(declared);
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
        req.resume();
        reject(tooLarge(`more than ${maxBytes}`));
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
