import type { PoolClient } from 'pg';
import { AppointmentsQuery } from './appointments.projection';

/**
 * Which provider-day stream holds an appointment, for the integration event consumers. Read
 * through the consumer's transaction (`db`): on the embedded profile's single-session PGlite
 * another pool connection would wait for that transaction to end.
 */
export class AppointmentStreams {
  constructor(private readonly schema: string) {}

  /** The stream id; undefined while the read model may still be behind; null once it has seen everything (not ours). */
  async streamOf(appointmentId: string, db: PoolClient): Promise<string | null | undefined> {
    const query = new AppointmentsQuery(db, this.schema);
    const found = await query.byId(appointmentId);
    if (found !== undefined) return found.streamId;
    return (await query.caughtUp()) ? null : undefined;
  }
}
