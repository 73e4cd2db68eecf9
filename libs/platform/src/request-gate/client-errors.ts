import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import { STATUS_CODES } from 'node:http';
import { PROBLEM_CONTENT_TYPE, problemType } from '../errors/problem';

/** Server timeouts (README, "Input limits and rate limits"). */
export interface ServerLimits {
  /** The whole request (headers and body) must arrive within this; else 408 (slow bodies). */
  readonly requestTimeoutMs: number;
  /** The headers must arrive within this. */
  readonly headersTimeoutMs: number;
}

export const DEFAULT_SERVER_LIMITS: ServerLimits = { requestTimeoutMs: 60_000, headersTimeoutMs: 20_000 };

const BY_CODE: Record<string, { status: number; code: string; detail: string }> = {
  HPE_HEADER_OVERFLOW: { status: 431, code: 'REQUEST.HEADERS_TOO_LARGE', detail: 'The request headers are larger than the server accepts (16 KiB in all)' },
  ERR_HTTP_REQUEST_TIMEOUT: { status: 408, code: 'REQUEST.TIMEOUT', detail: 'The request did not arrive in time' },
  ERR_HTTP_HEADERS_TIMEOUT: { status: 408, code: 'REQUEST.TIMEOUT', detail: 'The request headers did not arrive in time' },
};

/**
 * Errors Node's HTTP parser answers before any handler runs (headers too large, a request too
 * slow, malformed HTTP) as problem+json instead of a bare status line, then closes the connection.
 */
export function answerClientErrorsAsProblems(server: Server, limits: ServerLimits = DEFAULT_SERVER_LIMITS): void {
  server.requestTimeout = limits.requestTimeoutMs;
  server.headersTimeout = Math.min(limits.headersTimeoutMs, limits.requestTimeoutMs);
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Socket) => {
    // A response already begun on this connection (a handler answered before the body arrived): just close.
    const answered = (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage?.headersSent === true;
    if (error.code === 'ECONNRESET' || !socket.writable || answered) {
      socket.destroy();
      return;
    }
    const known = BY_CODE[error.code ?? ''] ?? { status: 400, code: 'REQUEST.MALFORMED', detail: 'The request is not valid HTTP' };
    const body = JSON.stringify({ type: problemType(known.code), title: STATUS_CODES[known.status], status: known.status, detail: known.detail, code: known.code });
    socket.end(
      `HTTP/1.1 ${known.status} ${STATUS_CODES[known.status]}\r\nContent-Type: ${PROBLEM_CONTENT_TYPE}; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  });
}
