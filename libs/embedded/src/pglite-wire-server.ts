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
 */
export class PGliteWireServer {
  private server?: Server;
  private readonly queue: { connection: number; messages: Buffer[]; done: () => void }[] = [];
  private running = false;
  private inTransactionOf: number | null = null;
  private nextConnection = 1;
  private readonly sockets = new Set<Socket>();

  constructor(private readonly db: PGlite) {}

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
    let chain = Promise.resolve();
    const enqueue = (messages: Buffer[]) => {
      chain = chain.then(
        () =>
          new Promise<void>((done) => {
            this.queue.push({
              connection: id,
              messages,
              done,
            });
            void this.drain(socket);
          }),
      );
    };
    socket.on('data', (data: Buffer) => {
      buffer = buffer.length === 0 ? data : Buffer.concat([buffer, data]);
      for (;;) {
        if (!started) {
          if (buffer.length < 8) return;
          const length = buffer.readInt32BE(0);
          const code = buffer.readInt32BE(4);
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
          enqueue([Buffer.from(buffer.subarray(0, length))]);
          buffer = buffer.subarray(length);
          continue;
        }
        if (buffer.length < 5) return;
        const length = 1 + buffer.readInt32BE(1);
        if (buffer.length < length) return;
        const message = Buffer.from(buffer.subarray(0, length));
        buffer = buffer.subarray(length);
        const type = String.fromCharCode(message[0]!);
        if (type === 'X') {
          socket.end();
          return;
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
      // Queued work of a closed connection is dropped; its open transaction is rolled back.
      for (let i = this.queue.length - 1; i >= 0; i--) {
        if (this.queue[i]!.connection === id) this.queue.splice(i, 1)[0]!.done();
      }
      if (this.inTransactionOf === id) {
        this.inTransactionOf = null;
        void this.db
          .exec('ROLLBACK')
          .catch(() => undefined)
          .then(() => this.drain(socket));
      }
    };
    socket.on('close', gone);
    socket.on('error', () => socket.destroy());
    this.sockets.add(socket);
    (socket as Socket & { carebridgeId?: number }).carebridgeId = id;
  }

  private async drain(_socket: Socket): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      for (;;) {
        const index =
          this.inTransactionOf === null ? 0 : this.queue.findIndex((unit) => unit.connection === this.inTransactionOf);
        if (index < 0 || this.queue.length === 0) return;
        const unit = this.queue.splice(index, 1)[0]!;
        const socket = [...this.sockets].find((s) => (s as Socket & { carebridgeId?: number }).carebridgeId === unit.connection);
        try {
          await this.db.runExclusive(async () => {
            for (const message of unit.messages) {
              await this.db.execProtocolRawStream(new Uint8Array(message), {
                onRawData: (chunk: Uint8Array) => {
                  if (chunk.length > 0 && socket && socket.writable) socket.write(Buffer.from(chunk));
                },
              });
            }
          });
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
}
