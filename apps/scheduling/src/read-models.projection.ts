import type { Pool } from 'pg';
import { type PostgresEventStore, Projection, type RecordedEvent } from '@carebridge/event-store';
import { APPOINTMENTS_PROJECTION, AppointmentsQuery, appointmentsHandler } from './appointment/appointments.projection';
import { SLOT_SEARCH_PROJECTION, SlotSearchQuery, slotSearchHandler } from './slot-search/slot-search.projection';

/** The service's projections and their queries; the module starts and stops them with the app. */
export class ReadModels {
  readonly slots: SlotSearchQuery;
  readonly appointments: AppointmentsQuery;
  private readonly projections: Projection[];

  constructor(store: PostgresEventStore, pool: Pool, onError: (error: unknown) => void = () => undefined) {
    const schema = store.schema;
    this.slots = new SlotSearchQuery(pool, schema);
    this.appointments = new AppointmentsQuery(pool, schema);
    this.projections = [
      new Projection({ name: SLOT_SEARCH_PROJECTION, store, pool, handle: slotSearchHandler(schema), onError }),
      new Projection({ name: APPOINTMENTS_PROJECTION, store, pool, handle: appointmentsHandler(schema), onError }),
    ];
  }

  start(): void {
    for (const projection of this.projections) projection.start();
  }

  async stop(): Promise<void> {
    await Promise.all(this.projections.map((projection) => projection.stop()));
  }

  /** Read-your-writes: resolves once every read model includes `events`. */
  async include(events: readonly RecordedEvent[]): Promise<void> {
    const last = events.at(-1)?.globalPosition;
    if (last === undefined) return;
    await this.waitFor(last);
  }

  async waitFor(position: number, timeoutMs?: number): Promise<void> {
    await Promise.all(this.projections.map((projection) => projection.waitFor(position, timeoutMs)));
  }
}
