/**
 * The service the fault suite drives: booted by runDistributed exactly as the five services are
 * (service pool, readiness, problem+json, relay and a consumer group under MessagingModule), with
 * one command and one integration event. `POST /keys/:key/steps/:seq` appends `StepRecorded` to
 * stream `key-<key>` (steps in order; a repeat appends nothing: commandId `<key>:<seq>`); the relay
 * publishes it; the consumer group records each event it processes in `consumed`, in order.
 * Env: DATABASE_URL, KAFKA_BROKERS, PORT, METRICS_PORT, SCHEMA, TOPIC, GROUP, HEALTH_CHECK_TIMEOUT_MS.
 */
import { Controller, Inject, Param, Post, type DynamicModule } from '@nestjs/common';
import type { Pool } from 'pg';
import { ContractRegistry } from '@carebridge/contracts';
import { handle, migrate, PostgresEventStore } from '@carebridge/event-store';
import { HealthModule, runDistributed, type ServiceDefinition, type ServiceRuntime } from '@carebridge/platform';
import { RuleViolation, type Command, type Decider, type Event } from '@carebridge/shared-kernel';
import { kafkaMessaging, messagingMigrations, MessagingModule, on, type MessageBroker } from '@carebridge/messaging';
import { testContract } from '../messaging/test-events';

const schema = process.env.SCHEMA ?? 'faults';
const topic = process.env.TOPIC ?? 'carebridge.faults.step.v1';
const { TickRecorded, publisher } = testContract(topic);

type RecordStep = Command<'RecordStep', { seq: number }>;
type StepRecorded = Event<'StepRecorded', { seq: number }>;
const stepDecider: Decider<RecordStep, StepRecorded, { steps: number }> = {
  initialState: () => ({ steps: 0 }),
  decide: (command, state) => {
    if (command.data.seq <= state.steps) return [];
    if (command.data.seq > state.steps + 1) {
      throw new RuleViolation('STEP.OUT_OF_ORDER', `step ${command.data.seq} before step ${state.steps + 1}`, {}, 'conflict');
    }
    return { type: 'StepRecorded', data: { seq: command.data.seq } };
  },
  evolve: (state) => ({ steps: state.steps + 1 }),
};

const STORE = Symbol('STORE');

@Controller('keys')
class StepsController {
  constructor(@Inject(STORE) private readonly store: PostgresEventStore) {}

  @Post(':key/steps/:seq')
  async record(@Param('key') key: string, @Param('seq') seq: string) {
    const result = await handle(this.store, `key-${key}`, stepDecider, {
      type: 'RecordStep',
      data: { seq: Number(seq) },
      metadata: { now: new Date(), actor: { id: 'fault-suite', role: 'system' }, correlationId: `${key}:${seq}`, commandId: `${key}:${seq}` },
    });
    return { version: result.nextExpectedVersion };
  }
}

function faultModule(runtime: ServiceRuntime<MessageBroker>): DynamicModule {
  const pool: Pool = runtime.pool;
  const store = new PostgresEventStore(pool, schema);
  return {
    module: class FaultServiceModule {},
    imports: [
      // The suite reads readiness for up and down, not speed: a loaded machine gets a longer limit.
      HealthModule.register({
        checks: runtime.checks,
        ...(process.env.HEALTH_CHECK_TIMEOUT_MS !== undefined && { timeoutMs: Number(process.env.HEALTH_CHECK_TIMEOUT_MS) }),
      }),
      MessagingModule.forRootAsync({
        useFactory: () => ({
          relay: { name: 'fault-service', store, pool, schema, kafka: runtime.kafka, publisher, idleMs: 5 },
          consumers: [
            {
              groupId: process.env.GROUP ?? 'fault-service',
              kafka: runtime.kafka,
              pool,
              schema,
              registry: new ContractRegistry(),
              handlers: [
                on(TickRecorded, async (event, { client }) => {
                  await client.query(`INSERT INTO "${schema}".consumed (event_id, stream_id, version) VALUES ($1, $2, $3)`, [
                    event.id,
                    event.data.streamId,
                    event.data.version,
                  ]);
                }),
              ],
            },
          ],
        }),
      }),
    ],
    controllers: [StepsController],
    providers: [{ provide: STORE, useValue: store }],
  };
}

export const faultService: ServiceDefinition<MessageBroker> = {
  name: 'fault-service',
  schema,
  defaultPoolSize: 8,
  topics: [topic],
  async migrate(pool) {
    await migrate(pool, schema);
    await migrate(pool, schema, messagingMigrations, 'messaging_migrations');
    // No unique key on purpose: a second processing of one event would show as a second row.
    await pool.query(
      `CREATE TABLE IF NOT EXISTS "${schema}".consumed (n bigserial PRIMARY KEY, event_id text NOT NULL, stream_id text NOT NULL, version int NOT NULL)`,
    );
  },
  module: faultModule,
};

if (require.main === module) void runDistributed(faultService, { messaging: kafkaMessaging });
