import type { Pool } from 'pg';
import { migrate } from '@carebridge/event-store';
import { messagingMigrations } from '@carebridge/messaging';
import { visitsMigrations } from './visits.migrations';

/** Event store, messaging tables (relay checkpoint, inbox), then the read models. */
export async function migrateVisits(pool: Pool, schema: string): Promise<void> {
  await migrate(pool, schema);
  await migrate(pool, schema, messagingMigrations, 'messaging_migrations');
  await migrate(pool, schema, visitsMigrations, 'visits_migrations');
}
