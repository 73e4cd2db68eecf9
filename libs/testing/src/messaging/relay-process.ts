/**
 * A relay in its own process, so a test can SIGKILL it at any point.
 * Env: DATABASE_URL, SCHEMA, TOPIC, KAFKA_BROKERS, BATCH_SIZE; BUS_SCHEMA for the in-process bus.
 */
import { Pool } from 'pg';
import { PostgresEventStore } from '@carebridge/event-store';
import { InProcessBroker } from '@carebridge/embedded/bus';
import { kafkaBroker, Relay } from '@carebridge/messaging';
import { testContract } from './test-events';

const env = (name: string) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is required`);
  return value;
};
const pool = new Pool({ connectionString: env('DATABASE_URL'), max: 3 });
const schema = env('SCHEMA');
const relay = new Relay({
  name: 'crash-test',
  store: new PostgresEventStore(pool, schema),
  pool,
  schema,
  kafka: process.env.BUS_SCHEMA
    ? new InProcessBroker({ pool, schema: process.env.BUS_SCHEMA })
    : kafkaBroker({ brokers: env('KAFKA_BROKERS').split(','), clientId: 'relay-crash-test' }),
  publisher: testContract(env('TOPIC')).publisher,
  batchSize: Number(process.env.BATCH_SIZE ?? 50),
  logger: { info: (m) => console.log(m), error: (m, f) => console.error(m, f) },
});
relay.start();
process.on('SIGTERM', () => void relay.stop().then(() => pool.end()).then(() => process.exit(0)));
