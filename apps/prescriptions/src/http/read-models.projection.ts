import type { Pool } from 'pg';
import { Projection, type PostgresEventStore } from '@carebridge/event-store';
import { pharmacyDirectoryHandler } from '../pharmacy-directory/pharmacy-directory.projection';
import { pharmacyScriptOutboxHandler } from '../pharmacy-script-outbox/pharmacy-script-outbox.projection';
import { prescriptionViewHandler } from '../prescription-view/prescription-view.projection';

/** The service's projections: started with the app, awaited after a command (read-your-writes). */
export class ReadModels {
  readonly projections: readonly Projection[];

  constructor(store: PostgresEventStore, pool: Pool, schema: string, onError?: (error: unknown) => void) {
    const common = { store, pool, idleMs: 5, maxIdleMs: 100, ...(onError && { onError }) };
    this.projections = [
      new Projection({ ...common, name: 'prescription-view', handle: prescriptionViewHandler(schema) }),
      new Projection({ ...common, name: 'pharmacy-directory', handle: pharmacyDirectoryHandler(schema) }),
      new Projection({ ...common, name: 'pharmacy-script-outbox', handle: pharmacyScriptOutboxHandler(schema) }),
    ];
  }

  start(): void {
    this.projections.forEach((p) => p.start());
  }

  async stop(): Promise<void> {
    await Promise.all(this.projections.map((p) => p.stop()));
  }

  async waitFor(position: number): Promise<void> {
    await Promise.all(this.projections.map((p) => p.waitFor(position)));
  }
}
