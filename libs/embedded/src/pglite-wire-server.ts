import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type Server, type Socket } from 'node:net';
import type { PGlite } from '@electric-sql/pglite';

/**
 * PostgreSQL's wire protocol on a TCP port, served by one PGlite instance, so `pg`, TypeORM and
 * BullMQ connect to it with a connection string as to a real server.
 *
 * Why not pglite-socket's server: it queues single protocol messages, so two connections'
 * extended-protocol sequences interleave (A's Parse, B's Parse, A's Bind: "bind message supplies 2
 * parameters, but prepared statement requires 1"). Here the unit of work is a connection's whole
 * sequence up to Sync (or a simple Query), and while PGlite is inside a transaction only the
 * connection that opened it runs (the others queue, as they would wait on locks in a server).
 * PGlite has one session: session state (search_path, prepared statements by name) is shared.
 * LISTEN is per connection here: a NOTIFY's NotificationResponse, which PGlite answers to the
 * connection that ran the NOTIFY, goes to the connections that ran LISTEN on that channel
 * (BullMQ's workers wait on LISTEN bullmq_jobs for new and delayed jobs).
 */
export class PGliteWireServer {
  private server?: Server;
  private readonly queue: { connection: number; messages: Buffer[]; done: () => void }[] = [];
  private running = false;
  private inTransactionOf: number | null = null;
  private nextConnection = 1;
  private readonly sockets = new Set<Socket>();
  /** Channels each connection listens on. */
  private readonly listening = new Map<number, Set<string>>();

  /**
   * `password`: connections must prove it (PostgreSQL's MD5 challenge, a fresh salt per
   * connection) before PGlite sees their startup message; without it every local process could
   * read the clinic's data. Undefined: no password (tests of the wire protocol itself).
   */
  constructor(
    private readonly db: PGlite,
    private readonly password?: string,
  ) {}

  async listen(port = 0, host = '127.0.0.1'): Promise<string> {
    await this.db.waitReady;
    this.server = createServer((socket) => this.attach(socket));
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(port, host, () => resolve());
    });
    const address = this.server.address();
    if (!address || typeof address !== 'object') throw new Error('no address');
    return `${host}:${address.port}`;
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private attach(socket: Socket): void {
    const id = this.nextConnection++;
    this.sockets.add(socket);
    socket.setNoDelay(true);
    let buffer: Buffer = Buffer.alloc(0);
    let started = false;
    let pending: Buffer[] = [];
    let challenge: { startup: Buffer; user: string; salt: Buffer } | undefined;
    let chain = Promise.resolve();
    let closed = false;
    /** Ends the connection (with an error for the client when given) and reads nothing more from it. */
    const close = (reply?: Buffer) => {
      closed = true;
      buffer = Buffer.alloc(0);
      if (reply) socket.end(reply);
      else socket.end();
      // A client that never closes its side is cut off.
      setTimeout(() => socket.destroy(), 1_000).unref();
    };
    const enqueue = (messages: Buffer[]) => {
      for (const message of messages) this.trackListen(id, message);
      chain = chain.then(
        () =>
          new Promise<void>((done) => {
            this.queue.push({
              connection: id,
              messages,
              done,
            });
            void this.drain();
          }),
      );
    };
    socket.on('data', (data: Buffer) => {
      if (closed) return;
      buffer = buffer.length === 0 ? data : Buffer.concat([buffer, data]);
      for (;;) {
        if (!started) {
          if (buffer.length < 8) return;
          const length = buffer.readInt32BE(0);
          const code = buffer.readInt32BE(4);
          // PostgreSQL's own bounds (MAX_STARTUP_PACKET_LENGTH): never wait for, or hold, more.
          if (length < 8 || length > MAX_STARTUP_BYTES) return close(errorResponse('08P01', 'invalid length of startup packet'));
          if (length === 8 && (code === 80877103 || code === 80877104)) {
            // SSLRequest / GSSENCRequest: not supported, the client goes on in plain text.
            buffer = buffer.subarray(8);
            socket.write('N');
            continue;
          }
          if (length === 16 && code === 80877102) {
            buffer = buffer.subarray(16);
            continue; // CancelRequest: unsupported
          }
          if (buffer.length < length) return;
          started = true;
          const startup = Buffer.from(buffer.subarray(0, length));
          buffer = buffer.subarray(length);
          if (this.password === undefined) enqueue([startup]);
          else {
            challenge = { startup, user: startupParameter(startup, 'user') ?? '', salt: randomBytes(4) };
            socket.write(wireMessage('R', Buffer.concat([int32(5), challenge.salt])));
          }
          continue;
        }
        if (buffer.length < 5) return;
        const declared = buffer.readInt32BE(1);
        // Before the password is proven only its short answer may come; after it, PostgreSQL's 1 GiB limit.
        const limit = challenge !== undefined ? MAX_UNAUTHENTICATED_MESSAGE_BYTES : MAX_MESSAGE_BYTES;
        if (declared < 4 || declared > limit) return close(errorResponse('08P01', 'invalid message length'));
        const length = 1 + declared;
        if (buffer.length < length) return;
        const message = Buffer.from(buffer.subarray(0, length));
        buffer = buffer.subarray(length);
        const type = String.fromCharCode(message[0]!);
        if (type === 'X') return close();
        if (challenge !== undefined) {
          // Only the answer to the password challenge may come before the session starts.
          // Bytes, not text: a non-ASCII answer of the right character count must not throw in timingSafeEqual.
          const answer = type === 'p' ? message.subarray(5, message.length - 1) : Buffer.alloc(0);
          const expected = Buffer.from(md5Answer(this.password!, challenge.user, challenge.salt));
          if (answer.length !== expected.length || !timingSafeEqual(answer, expected)) {
            return close(errorResponse('28P01', `password authentication failed for user "${challenge.user}"`));
          }
          enqueue([challenge.startup]);
          challenge = undefined;
          continue;
        }
        pending.push(message);
        // A unit ends where the server answers: Sync, a simple Query, Flush, or a copy end.
        if (type === 'S' || type === 'Q' || type === 'H' || type === 'c' || type === 'f') {
          enqueue(pending);
          pending = [];
        }
      }
    });
    const gone = () => {
      this.sockets.delete(socket);
      this.listening.delete(id);
      // Queued work of a closed connection is dropped; its open transaction is rolled back.
      for (let i = this.queue.length - 1; i >= 0; i--) {
        if (this.queue[i]!.connection === id) this.queue.splice(i, 1)[0]!.done();
      }
      if (this.inTransactionOf === id) {
        this.inTransactionOf = null;
        void this.db
          .exec('ROLLBACK')
          .catch(() => undefined)
          .then(() => this.drain());
      }
    };
    socket.on('close', gone);
    socket.on('error', () => socket.destroy());
    (socket as Socket & { carebridgeId?: number }).carebridgeId = id;
  }

  private async drain(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      for (;;) {
        const index =
          this.inTransactionOf === null ? 0 : this.queue.findIndex((unit) => unit.connection === this.inTransactionOf);
        if (index < 0 || this.queue.length === 0) return;
        const unit = this.queue.splice(index, 1)[0]!;
        const socket = [...this.sockets].find((s) => (s as Socket & { carebridgeId?: number }).carebridgeId === unit.connection);
        const output: Buffer[] = [];
        try {
          await this.db.runExclusive(async () => {
            for (const message of unit.messages) {
              await this.db.execProtocolRawStream(new Uint8Array(message), {
                onRawData: (chunk: Uint8Array) => {
                  if (chunk.length > 0) output.push(Buffer.from(chunk));
                },
              });
            }
          });
          this.deliver(socket, Buffer.concat(output));
        } catch {
          socket?.destroy();
        }
        this.inTransactionOf = this.db.isInTransaction() ? unit.connection : null;
        unit.done();
      }
    } finally {
      this.running = false;
    }
  }

  /** Writes a unit's answer to its connection; NotificationResponses go to their listeners. */
  private deliver(socket: Socket | undefined, answer: Buffer): void {
    const own: Buffer[] = [];
    let offset = 0;
    while (offset + 5 <= answer.length) {
      const length = 1 + answer.readInt32BE(offset + 1);
      const message = answer.subarray(offset, offset + length);
      offset += length;
      if (message[0] !== 0x41 /* 'A' */) {
        own.push(message);
        continue;
      }
      const channelEnd = message.indexOf(0, 9);
      const channel = message.subarray(9, channelEnd).toString('utf8');
      for (const other of this.sockets) {
        const otherId = (other as Socket & { carebridgeId?: number }).carebridgeId!;
        if (this.listening.get(otherId)?.has(channel) && other.writable) other.write(message);
      }
    }
    if (offset < answer.length) own.push(answer.subarray(offset));
    if (socket && socket.writable && own.length > 0) socket.write(Buffer.concat(own));
  }

  /** LISTEN / UNLISTEN in a simple Query or an extended-protocol Parse of this connection. */
  private trackListen(connection: number, message: Buffer): void {
    const type = message[0];
    let sql: string;
    if (type === 0x51 /* Q */) sql = message.subarray(5, message.length - 1).toString('utf8');
    else if (type === 0x50 /* P */) {
      const nameEnd = message.indexOf(0, 5);
      sql = message.subarray(nameEnd + 1, message.indexOf(0, nameEnd + 1)).toString('utf8');
    } else return;
    if (!/listen/i.test(sql)) return;
    const statements = sql.replace(/--[^\n]*/g, '');
    for (const match of statements.matchAll(/\b(UN)?LISTEN\s+(?:"([^"]+)"|([A-Za-z_][\w$]*)|(\*))/gi)) {
      const channels = this.listening.get(connection) ?? new Set<string>();
      this.listening.set(connection, channels);
      if (match[1]) {
        if (match[4]) channels.clear();
        else channels.delete(match[2] ?? match[3]!.toLowerCase());
      } else if (!match[4]) channels.add(match[2] ?? match[3]!.toLowerCase());
    }
  }
}

const int32 = (n: number): Buffer => {
  const b = Buffer.alloc(4);
  b.writeInt32BE(n);
  return b;
};

/** PostgreSQL's bounds: a startup packet (MAX_STARTUP_PACKET_LENGTH), a password answer, any message (1 GiB). */
const MAX_STARTUP_BYTES = 10_000;
const MAX_UNAUTHENTICATED_MESSAGE_BYTES = 1_024;
const MAX_MESSAGE_BYTES = 0x3fffffff;

/** A backend message: type byte, length (itself included), body. */
function wireMessage(type: string, body: Buffer): Buffer {
  return Buffer.concat([Buffer.from(type), int32(body.length + 4), body]);
}

/** PostgreSQL's MD5 password answer: "md5" + md5(md5(password + user) + salt). */
function md5Answer(password: string, user: string, salt: Buffer): string {
  const inner = createHash('md5').update(password + user).digest('hex');
  return `md5${createHash('md5').update(Buffer.concat([Buffer.from(inner), salt])).digest('hex')}`;
}

function errorResponse(code: string, text: string): Buffer {
  const field = (tag: string, value: string) => Buffer.concat([Buffer.from(tag), Buffer.from(value, 'utf8'), Buffer.from([0])]);
  return wireMessage('E', Buffer.concat([field('S', 'FATAL'), field('V', 'FATAL'), field('C', code), field('M', text), Buffer.from([0])]));
}

/** A parameter of a startup message (protocol version, then name/value pairs, each NUL-ended). */
function startupParameter(startup: Buffer, name: string): string | undefined {
  const parts = startup.subarray(8).toString('utf8').split('\0');
  for (let i = 0; i + 1 < parts.length; i += 2) if (parts[i] === name) return parts[i + 1];
  return undefined;
}

/** A password for one run of the embedded database. */
export function generateDatabasePassword(): string {
  return randomBytes(18).toString('base64url');
}
