/**
 * A PostgreSQL server and a Kafka broker owned by one test, for fault tests that stop, restart and
 * kill them. The shared servers (5432, 9092) are never touched: other tests and lanes use them.
 * PostgreSQL: initdb into a temp folder, pg_ctl on a free port (as the `postgres` user when run as
 * root, which initdb refuses). Kafka: the jars deploy/local/infra.sh caches (`infra.sh jars`), one
 * KRaft node on free ports, storage in a temp folder. Redis: `redis-server` on a free port, in
 * memory only (BullMQ queues of a whole platform under test must not meet another run's).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { Client } from 'pg';
import { hangTimeouts } from './timeouts';

/** The PostgreSQL server binaries: CAREBRIDGE_PG_BIN, else `pg_config --bindir`, else the newest /usr/lib/postgresql/<v>/bin. */
function postgresBin(): string {
  if (process.env.CAREBRIDGE_PG_BIN) return process.env.CAREBRIDGE_PG_BIN;
  const candidates: string[] = [];
  try {
    candidates.push(execFileSync('pg_config', ['--bindir'], { stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim());
  } catch {
    // no pg_config on the PATH
  }
  const debian = '/usr/lib/postgresql';
  if (existsSync(debian)) {
    candidates.push(
      ...readdirSync(debian)
        .filter((v) => /^\d+$/.test(v))
        .sort((a, b) => Number(b) - Number(a))
        .map((v) => path.join(debian, v, 'bin')),
    );
  }
  const found = candidates.find((dir) => existsSync(path.join(dir, 'initdb')) && existsSync(path.join(dir, 'pg_ctl')));
  if (!found) throw new Error('fault tests need the PostgreSQL server binaries (initdb, pg_ctl): apt-get install postgresql, or set CAREBRIDGE_PG_BIN');
  return found;
}
const repoRoot = path.join(__dirname, '..', '..', '..');

/** A port nobody listens on now (the OS picks it). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function waitUntil(what: string, probe: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`${what} did not answer within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

export class PrivatePostgres {
  private readonly bin = postgresBin();

  private constructor(
    readonly port: number,
    private readonly dataDir: string,
    private readonly asUser: string | undefined,
  ) {}

  /** `postgres://postgres@127.0.0.1:<port>/postgres` */
  get url(): string {
    return `postgres://postgres@127.0.0.1:${this.port}/postgres`;
  }

  static async start(): Promise<PrivatePostgres> {
    const root = mkdtempSync(path.join(tmpdir(), 'carebridge-pg-'));
    const dataDir = path.join(root, 'data');
    const asUser = process.getuid?.() === 0 ? 'postgres' : undefined;
    if (asUser) {
      const uid = Number(execFileSync('id', ['-u', asUser]).toString().trim());
      const gid = Number(execFileSync('id', ['-g', asUser]).toString().trim());
      chownSync(root, uid, gid);
    }
    const server = new PrivatePostgres(await freePort(), dataDir, asUser);
    server.run('initdb', ['-D', dataDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync']);
    // Fault tests restart it often: no fsync, a short checkpoint, the socket in the data folder.
    writeFileSync(
      path.join(dataDir, 'postgresql.auto.conf'),
      [`port = ${server.port}`, "listen_addresses = '127.0.0.1'", `unix_socket_directories = '${dataDir}'`, 'fsync = off', 'max_connections = 200', ''].join('\n'),
    );
    if (asUser) execFileSync('chown', [asUser, path.join(dataDir, 'postgresql.auto.conf')]);
    await server.startServer();
    return server;
  }

  private run(tool: string, args: readonly string[]): void {
    const binary = path.join(this.bin, tool);
    const [file, argv] = this.asUser ? ['runuser', ['-u', this.asUser, '--', binary, ...args]] : [binary, [...args]];
    execFileSync(file, argv, { stdio: ['ignore', 'ignore', 'pipe'] });
  }

  /** Starts the server and waits until it accepts queries. */
  async startServer(): Promise<void> {
    this.run('pg_ctl', ['-D', this.dataDir, '-l', path.join(this.dataDir, 'server.log'), '-w', '-t', '120', 'start']);
    await waitUntil(`PostgreSQL on ${this.port}`, () => this.answers(), hangTimeouts.platformReady);
  }

  /** A fast shutdown: clients get 57P01 and their sockets close, as in a real restart. */
  stopServer(): void {
    this.run('pg_ctl', ['-D', this.dataDir, '-m', 'fast', '-w', '-t', '120', 'stop']);
  }

  async restart(): Promise<void> {
    this.stopServer();
    await this.startServer();
  }

  async answers(): Promise<boolean> {
    const client = new Client({ connectionString: this.url, connectionTimeoutMillis: 1_000 });
    client.on('error', () => undefined);
    try {
      await client.connect();
      await client.query('SELECT 1');
      return true;
    } catch {
      return false;
    } finally {
      await client.end().catch(() => undefined);
    }
  }

  /** Stops the server and deletes its data folder. */
  async dispose(): Promise<void> {
    try {
      if (existsSync(path.join(this.dataDir, 'postmaster.pid'))) this.run('pg_ctl', ['-D', this.dataDir, '-m', 'immediate', '-w', 'stop']);
    } catch {
      // already stopped
    }
    rmSync(path.dirname(this.dataDir), { recursive: true, force: true });
  }
}

export class PrivateKafka {
  private process?: ChildProcess;

  private constructor(
    readonly port: number,
    private readonly controllerPort: number,
    private readonly dataDir: string,
    private readonly libsDir: string,
  ) {}

  get brokers(): string[] {
    return [`127.0.0.1:${this.port}`];
  }

  static async start(): Promise<PrivateKafka> {
    try {
      execFileSync('java', ['-version'], { stdio: 'ignore' });
    } catch {
      throw new Error('fault tests run a Kafka broker of their own and need Java 17+: apt-get install openjdk-17-jre-headless');
    }
    const libsDir =
      process.env.CAREBRIDGE_KAFKA_LIBS ??
      execFileSync('bash', [path.join(repoRoot, 'deploy/local/infra.sh'), 'jars'], { stdio: ['ignore', 'pipe', 'ignore'] })
        .toString()
        .trim()
        .split('\n')
        .at(-1)!;
    const dataDir = mkdtempSync(path.join(tmpdir(), 'carebridge-kafka-'));
    const broker = new PrivateKafka(await freePort(), await freePort(), dataDir, libsDir);
    const template = readFileSync(path.join(repoRoot, 'deploy/local/kafka/server.properties.template'), 'utf8');
    writeFileSync(
      broker.propsFile,
      template
        .replaceAll('@DATA_DIR@', dataDir)
        .replaceAll('@BROKER_HOST@', '127.0.0.1')
        .replaceAll('@BROKER_PORT@', String(broker.port))
        .replaceAll('@CONTROLLER_PORT@', String(broker.controllerPort)) +
        // A SIGKILL must not lose what the broker acknowledged (KAFKA-LOCAL.md): flush every message.
        '\nlog.flush.interval.messages=1\n',
    );
    const id = execFileSync('java', [...broker.javaArgs(), 'kafka.tools.StorageTool', 'random-uuid'], { stdio: ['ignore', 'pipe', 'ignore'] })
      .toString()
      .trim()
      .split('\n')
      .at(-1)!;
    execFileSync('java', [...broker.javaArgs(), 'kafka.tools.StorageTool', 'format', '--ignore-formatted', '-t', id, '-c', broker.propsFile], {
      stdio: 'ignore',
    });
    await broker.startBroker();
    return broker;
  }

  private get propsFile(): string {
    return path.join(this.dataDir, 'server.properties');
  }

  private javaArgs(): string[] {
    return [
      '-Xmx384m',
      '-Djava.awt.headless=true',
      `-Dlog4j2.configurationFile=${path.join(repoRoot, 'deploy/local/kafka/log4j2.xml')}`,
      `-Dkafka.logs.dir=${this.dataDir}`,
      '-cp',
      `${this.libsDir}/*`,
    ];
  }

  async startBroker(): Promise<void> {
    this.process = spawn('java', [...this.javaArgs(), '-XX:+UseSerialGC', 'kafka.Kafka', this.propsFile], { stdio: 'ignore' });
    await this.waitAnswers();
  }

  async waitAnswers(): Promise<void> {
    const kafka = new Kafka({ clientId: 'private-kafka-probe', brokers: this.brokers, logLevel: logLevel.NOTHING, retry: { retries: 0 }, connectionTimeout: 1_000 });
    await waitUntil(`Kafka on ${this.port}`, async () => {
      const admin = kafka.admin();
      try {
        await admin.connect();
        const { brokers } = await admin.describeCluster();
        return brokers.length > 0;
      } finally {
        await admin.disconnect().catch(() => undefined);
      }
    }, hangTimeouts.platformReady);
  }

  /** SIGKILL: no controlled shutdown, members and connections vanish. */
  async kill(): Promise<void> {
    const child = this.process;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }

  async dispose(): Promise<void> {
    await this.kill();
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}

export class PrivateRedis {
  private constructor(
    readonly port: number,
    private readonly process: ChildProcess,
  ) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  static async start(): Promise<PrivateRedis> {
    const port = await freePort();
    const child = spawn(process.env.CAREBRIDGE_REDIS_SERVER ?? 'redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
      stdio: 'ignore',
    });
    const failed = new Promise<never>((_, reject) =>
      child.once('error', () => reject(new Error('tests with a Redis of their own need redis-server: apt-get install redis-server, or set CAREBRIDGE_REDIS_SERVER'))),
    );
    const server = new PrivateRedis(port, child);
    await Promise.race([failed, waitUntil(`Redis on ${port}`, () => server.answers(), hangTimeouts.platformReady)]);
    return server;
  }

  /** `PING` answered with `+PONG`. */
  answers(): Promise<boolean> {
    return new Promise((resolve) => {
      const socket = connect(this.port, '127.0.0.1');
      socket.setTimeout(1_000, () => socket.destroy());
      socket.once('error', () => resolve(false));
      socket.once('close', () => resolve(false));
      socket.once('data', (data) => {
        resolve(data.toString().startsWith('+PONG'));
        socket.end();
      });
      socket.write('PING\r\n');
    });
  }

  async dispose(): Promise<void> {
    if (this.process.exitCode !== null || this.process.signalCode !== null) return;
    const exited = new Promise((resolve) => this.process.once('exit', resolve));
    this.process.kill('SIGKILL');
    await exited;
  }
}
