/**
 * A whole flow in one real process, booted like a service's main.ts (telemetry first):
 * HTTP POST -> handle() -> PostgreSQL event store -> relay -> Kafka -> IntegrationConsumer.
 * Env: DATABASE_URL, SCHEMA, TOPIC, KAFKA_BROKERS.
 */
import { telemetry } from './traced-flow-telemetry';
import { randomUUID } from 'node:crypto';
import { Body, Controller, Module, Param, Post, type OnApplicationShutdown } from '@nestjs/common';
import { trace } from '@opentelemetry/api';
import { Pool } from 'pg';
import { ContractRegistry } from '@carebridge/contracts';
import { handle, migrate, PostgresEventStore } from '@carebridge/event-store';
import { createLogger, createServiceApp } from '@carebridge/platform';
import type { Command, Decider, Event } from '@carebridge/shared-kernel';
import { createKafka, currentTraceparent, ensureTopics, IntegrationConsumer, messagingMigrations, on, Relay } from '@carebridge/messaging';
import { testContract } from './test-events';

const schema = process.env.SCHEMA!;
const topic = process.env.TOPIC!;
const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 5 });
const store = new PostgresEventStore(pool, schema);
const kafka = createKafka({ brokers: process.env.KAFKA_BROKERS!.split(','), clientId: 'traced-flow' });
const { TickRecorded, publisher } = testContract(topic);

type RecordTick = Command<'RecordTick', { n: number }>;
type TickEvent = Event<'Tick', { n: number }>;
const tickDecider: Decider<RecordTick, TickEvent, { count: number }> = {
  initialState: () => ({ count: 0 }),
  decide: (command) => ({ type: 'Tick', data: { n: command.data.n } }),
  evolve: (state) => ({ count: state.count + 1 }),
};

@Controller('ticks')
class TicksController {
  @Post(':streamId')
  async record(@Param('streamId') streamId: string, @Body() body: { n: number }) {
    const result = await handle(store, streamId, tickDecider, {
      type: 'RecordTick',
      data: { n: body.n },
      metadata: {
        now: new Date(),
        actor: { id: 'provider-1', role: 'provider' },
        correlationId: randomUUID(),
        ...(currentTraceparent() && { traceparent: currentTraceparent() }),
      },
    });
    relay.nudge();
    return { version: result.nextExpectedVersion, traceId: trace.getActiveSpan()?.spanContext().traceId };
  }
}

const relay = new Relay({ name: 'traced-flow', store, pool, schema, kafka, publisher, idleMs: 5 });
const consumer = new IntegrationConsumer({
  groupId: `traced-flow-${schema}`,
  kafka,
  pool,
  schema,
  registry: new ContractRegistry(),
  handlers: [
    on(TickRecorded, async (event) => {
      const span = trace.getActiveSpan()?.spanContext();
      process.stdout.write(`${JSON.stringify({ consumed: { id: event.id, traceId: span?.traceId, spanId: span?.spanId } })}\n`);
    }),
  ],
});

@Module({ controllers: [TicksController] })
class TracedFlowModule implements OnApplicationShutdown {
  async onApplicationShutdown(): Promise<void> {
    await consumer.stop();
    await relay.stop();
    await pool.end();
  }
}

async function main() {
  await migrate(pool, schema);
  await migrate(pool, schema, messagingMigrations, 'messaging_migrations');
  const admin = kafka.admin();
  await admin.connect();
  await ensureTopics(admin, [{ topic, partitions: 1 }]);
  await admin.disconnect();
  relay.start();
  await consumer.start();
  const app = await createServiceApp(TracedFlowModule, { logger: createLogger({ service: 'traced-flow', level: 'warn' }), telemetry });
  await app.listen(0, '127.0.0.1');
  process.stdout.write(`${JSON.stringify({ listening: await app.getUrl() })}\n`);
}

void main();
