export * from './event-store.port';
export * from './handle';
export * from './decider-specification';
export * from './audit';
export * from './subscription';
export { canonicalJson, contentHash, chainHash, GENESIS_HASH } from './hash-chain';
export { InMemoryEventStore } from './in-memory/in-memory-event-store';
export { PostgresEventStore, type Queryable } from './postgres/postgres-event-store';
export { migrate, eventStoreMigrations, quoteIdent, renderMigration, type Migration } from './postgres/migrations';
