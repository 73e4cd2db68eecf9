/**
 * Nest's HTTP adapters side by side (issue 20: "Nest's Fastify adapter measured against Express"):
 * the same controller (one GET answering a 1 KiB JSON document, no auth, no database) on Nest with
 * Express (what the services run), Nest with Fastify, and a bare node:http handler, each in its own
 * process, under the same autocannon load. It bounds what switching adapters could win: only the
 * framework's share of a request, not our middleware (request gate, access audit), pg or JSON work.
 *
 *   npm run bench:nest-adapters    (BENCH_ROUNDS, BENCH_SECONDS, BENCH_CONNECTIONS)
 * Writes bench/results/nest-adapters.{json,md}.
 */
import 'reflect-metadata';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { Controller, Get, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { fmt, load, machine, median } from './load';

const ADAPTERS = ['nest-express', 'nest-fastify', 'bare-node-http'] as const;
type Adapter = (typeof ADAPTERS)[number];
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);
const DOCUMENT = { items: Array.from({ length: 10 }, (_, i) => ({ id: `00000000-0000-4000-8000-00000000000${i}`, status: 'booked', note: 'x'.repeat(40) })) };

@Controller()
class ThingController {
  @Get('thing')
  thing() {
    return DOCUMENT;
  }
}

@Module({ controllers: [ThingController] })
class ThingModule {}

/** Child process: serve one adapter on an ephemeral port and print its URL. */
async function serve(adapter: Adapter): Promise<void> {
  let port: number;
  if (adapter === 'bare-node-http') {
    const server = createServer((_req, res) => {
      res.setHeader('content-type', 'application/json; charset=utf-8');
      res.end(JSON.stringify(DOCUMENT));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  } else {
    const app = await NestFactory.create(ThingModule, adapter === 'nest-fastify' ? new FastifyAdapter() : new ExpressAdapter(), { logger: false });
    await app.listen(0, '127.0.0.1');
    port = (app.getHttpServer().address() as AddressInfo).port;
  }
  console.log(JSON.stringify({ url: `http://127.0.0.1:${port}/thing` }));
}

function start(adapter: Adapter): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['-r', '@swc-node/register', __filename, '--serve', adapter], {
    env: { ...process.env, SWC_NODE_PROJECT: 'tsconfig.json' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (line.startsWith('{')) resolve({ child, url: (JSON.parse(line) as { url: string }).url });
    });
    child.once('exit', (code) => reject(new Error(`${adapter} server exited (${code})`)));
  });
}

async function main(): Promise<void> {
  const before = machine();
  const servers = new Map<Adapter, { child: ChildProcess; url: string }>();
  for (const adapter of ADAPTERS) servers.set(adapter, await start(adapter));
  const runs = new Map<Adapter, { rps: number[]; p99: number[]; failed: number }>(ADAPTERS.map((a) => [a, { rps: [], p99: [], failed: 0 }]));
  try {
    for (const { url } of servers.values()) await load(url, 'none', CONNECTIONS, 1); // warm-up
    // Rounds interleave the adapters, so a noisy neighbour hits all of them alike.
    for (let round = 1; round <= ROUNDS; round++) {
      for (const adapter of ADAPTERS) {
        const result = await load(servers.get(adapter)!.url, 'none', CONNECTIONS, SECONDS);
        const run = runs.get(adapter)!;
        run.rps.push(result.rps);
        run.p99.push(result.p99);
        run.failed += result.failed;
        console.log(`[bench:nest-adapters] round ${round} ${adapter}: ${fmt(result.rps)} req/s, p99 ${result.p99} ms`);
      }
    }
  } finally {
    for (const { child } of servers.values()) child.kill('SIGTERM');
  }
  const express = median(runs.get('nest-express')!.rps);
  const rows = ADAPTERS.map((adapter) => {
    const run = runs.get(adapter)!;
    return { adapter, rps: median(run.rps), p99: median(run.p99), failed: run.failed, vsExpress: median(run.rps) / express };
  });
  const after = machine();
  const date = new Date().toISOString();
  const out = path.join(__dirname, '..', 'results');
  mkdirSync(out, { recursive: true });
  writeFileSync(path.join(out, 'nest-adapters.json'), JSON.stringify({ date, machine: { ...before, loadAverageAfter: after.loadAverage }, rounds: ROUNDS, seconds: SECONDS, connections: CONNECTIONS, rows }, null, 2) + '\n');
  const table = [
    '| server | req/s (median) | p99 ms | × Nest + Express | failed |',
    '| --- | ---: | ---: | ---: | ---: |',
    ...rows.map((r) => `| ${r.adapter} | ${fmt(r.rps)} | ${r.p99} | ${r.vsExpress.toFixed(2)} | ${r.failed} |`),
  ].join('\n');
  writeFileSync(
    path.join(out, 'nest-adapters.md'),
    `# Nest adapters, one JSON route\n\n${date}, ${before.cores} cores, Node ${before.node}, load ${before.loadAverage.join(' ')} (after: ${after.loadAverage.join(' ')}), medians of ${ROUNDS} rounds x ${SECONDS} s at ${CONNECTIONS} connections.\n\n${table}\n`,
  );
  console.log(`\n${table}\n`);
  if (rows.some((r) => r.failed > 0)) process.exitCode = 1;
}

const serveIndex = process.argv.indexOf('--serve');
if (serveIndex !== -1) void serve(process.argv[serveIndex + 1] as Adapter);
else
  main().catch((error) => {
    console.error('[bench:nest-adapters] failed:', error);
    process.exitCode = 1;
  });
