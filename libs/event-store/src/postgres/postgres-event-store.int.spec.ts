import { createTestSchema, type TestSchema } from '@carebridge/testing';
import { eventStoreContract } from '../testing/event-store.contract';
import { migrate } from './migrations';
import { PostgresEventStore } from './postgres-event-store';

let db: TestSchema;
let counter = 0;

beforeAll(async () => {
  db = await createTestSchema('es_contract');
});
afterAll(async () => {
  await db.dispose();
});

eventStoreContract('postgres', async () => {
  // A schema per test keeps the contract's "fresh store" promise without truncating (the table refuses it).
  const schema = db.sibling(String(++counter));
  await migrate(db.pool, schema);
  return new PostgresEventStore(db.pool, schema);
});
