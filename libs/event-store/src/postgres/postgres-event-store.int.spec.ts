import { createTestSchema, type TestSchema } from '@carebridge/testing';
import { eventStoreContract } from '../testing/event-store.contract';
import { migrate } from './migrations';
import { PostgresEventStore } from './postgres-event-store';

let db: TestSchema;
let counter = 0;
const clients: { release(): void }[] = [];

beforeAll(async () => {
  db = await createTestSchema('es_contract');
});
afterAll(async () => {
  clients.forEach((client) => client.release());
  await db.dispose();
});

eventStoreContract('postgres', async () => {
  // A schema per test keeps the contract's "fresh store" promise without truncating (the table refuses it).
  const schema = db.sibling(String(++counter));
  await migrate(db.pool, schema);
  return new PostgresEventStore(db.pool, schema);
});

eventStoreContract('postgres, one statement per append (group commit off)', async () => {
  const schema = db.sibling(String(++counter));
  await migrate(db.pool, schema);
  return new PostgresEventStore(db.pool, schema, { concurrentWrites: 0 });
});

eventStoreContract('postgres, on a client of the caller', async () => {
  const schema = db.sibling(String(++counter));
  await migrate(db.pool, schema);
  // Statements run in autocommit on a pool-like client wrapper: one connection, no group commit.
  const client = await db.pool.connect();
  clients.push(client);
  return new PostgresEventStore(db.pool, schema).withClient(client);
});
