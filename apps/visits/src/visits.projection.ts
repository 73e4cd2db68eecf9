import type { Pool, PoolClient } from 'pg';
import { dateInJurisdiction } from '@carebridge/shared-kernel';
import { type PostgresEventStore, Projection, type RecordedEvent, quoteIdent } from '@carebridge/event-store';
import type { ProviderEvent } from './provider/provider.events';
import type { VisitEvent } from './visit/visit.events';

const STATUS_BY_EVENT: Partial<Record<VisitEvent['type'], string>> = {
  VisitCancelled: 'cancelled',
  PatientCheckedIn: 'waiting',
  PatientLeftBeforeSeen: 'left-before-seen',
  PatientAdmitted: 'in-progress',
  VisitCompleted: 'ended',
};

/** One row per visit (who, status, waiting since) and one per provider (licences, urgent-care duty). */
function visitsHandler(schema: string) {
  const visits = `${quoteIdent(schema)}.visits`;
  const providers = `${quoteIdent(schema)}.visit_providers`;
  return async (events: readonly RecordedEvent[], client: PoolClient): Promise<void> => {
    for (const recorded of events) {
      const at = recorded.metadata.occurredAt;
      if (recorded.streamId.startsWith('provider-licences-')) {
        const event = { type: recorded.type, data: recorded.data } as ProviderEvent;
        if (event.type === 'LicencesRegistered') {
          await client.query(
            `INSERT INTO ${providers} (provider_id, licences) VALUES ($1, $2) ON CONFLICT (provider_id) DO UPDATE SET licences = EXCLUDED.licences`,
            [event.data.providerId, JSON.stringify(event.data.licences)],
          );
        } else {
          await client.query(
            `INSERT INTO ${providers} (provider_id, on_duty) VALUES ($1, $2) ON CONFLICT (provider_id) DO UPDATE SET on_duty = EXCLUDED.on_duty`,
            [event.data.providerId, event.data.onDuty],
          );
        }
        continue;
      }
      if (!recorded.streamId.startsWith('visit-')) continue;
      const visitId = recorded.streamId.slice('visit-'.length);
      const event = { type: recorded.type, data: recorded.data } as VisitEvent;
      switch (event.type) {
        case 'VisitOpened': {
          const d = event.data;
          await client.query(
            `INSERT INTO ${visits} (visit_id, kind, patient_id, provider_id, appointment_id, modality, status, patient_state, scheduled_start, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, 'scheduled', $7, $8, $9) ON CONFLICT (visit_id) DO NOTHING`,
            [visitId, d.kind, d.patientId, d.providerId ?? null, d.appointmentId ?? null, d.modality, d.patientState ?? null, d.scheduledStart ?? null, at],
          );
          break;
        }
        case 'VisitRescheduled':
          await client.query(`UPDATE ${visits} SET scheduled_start = $2, updated_at = $3 WHERE visit_id = $1`, [visitId, event.data.scheduledStart, at]);
          break;
        case 'PatientCheckedIn':
          await client.query(
            `UPDATE ${visits} SET status = 'waiting', location_state = $2, checked_in_at = $3, video_problems = $4, updated_at = $3 WHERE visit_id = $1`,
            [visitId, event.data.locationState, event.data.at, event.data.videoProblems],
          );
          break;
        case 'ProviderAssigned':
          await client.query(`UPDATE ${visits} SET provider_id = $2, updated_at = $3 WHERE visit_id = $1`, [visitId, event.data.providerId, at]);
          break;
        case 'ModalitySwitched':
          await client.query(`UPDATE ${visits} SET modality = $2, updated_at = $3 WHERE visit_id = $1`, [visitId, event.data.to, at]);
          break;
        case 'PatientAdmitted':
          await client.query(`UPDATE ${visits} SET status = 'in-progress', admitted_at = $2, updated_at = $3 WHERE visit_id = $1`, [visitId, event.data.at, at]);
          break;
        default: {
          const status = STATUS_BY_EVENT[event.type];
          if (status !== undefined) await client.query(`UPDATE ${visits} SET status = $2, updated_at = $3 WHERE visit_id = $1`, [visitId, status, at]);
        }
      }
    }
  };
}

export interface ProviderLoad {
  readonly providerId: string;
  /** Admission time of the visit they are in, or null. */
  readonly inVisitSince: string | null;
  /** Checked-in patients assigned to them, not admitted yet. */
  readonly waiting: number;
}

export interface WaitingPatient {
  readonly visitId: string;
  readonly patientId: string;
  readonly kind: string;
  readonly modality: string;
  readonly locationState: string | null;
  readonly scheduledStart: string | null;
  readonly checkedInAt: string;
  readonly videoProblems: readonly string[];
}

/** The service's read models and their queries; the module starts and stops them with the app. */
export class ReadModels {
  private readonly projection: Projection;
  private readonly visits: string;
  private readonly providers: string;

  constructor(
    store: PostgresEventStore,
    private readonly pool: Pool,
    onError: (error: unknown) => void = () => undefined,
  ) {
    this.visits = `${quoteIdent(store.schema)}.visits`;
    this.providers = `${quoteIdent(store.schema)}.visit_providers`;
    this.projection = new Projection({ name: 'visits', store, pool, handle: visitsHandler(store.schema), onError });
  }

  start(): void {
    this.projection.start();
  }

  async stop(): Promise<void> {
    await this.projection.stop();
  }

  /** Read-your-writes: resolves once the read models include `events`. */
  async include(events: readonly RecordedEvent[]): Promise<void> {
    const last = events.at(-1)?.globalPosition;
    if (last !== undefined) await this.projection.waitFor(last);
  }

  /** Whether any visit of this patient is known here (the FHIR Patient view). */
  async knowsPatient(patientId: string): Promise<boolean> {
    const { rowCount } = await this.pool.query(`SELECT 1 FROM ${this.visits} WHERE lower(patient_id) = lower($1) LIMIT 1`, [patientId]);
    return (rowCount ?? 0) > 0;
  }

  /** Checked-in patients waiting for this provider, longest wait first. */
  async waitingFor(providerId: string): Promise<WaitingPatient[]> {
    const { rows } = await this.pool.query(
      `SELECT * FROM ${this.visits} WHERE provider_id = $1 AND status = 'waiting' ORDER BY checked_in_at, visit_id`,
      [providerId],
    );
    return rows.map((row) => ({
      visitId: row.visit_id,
      patientId: row.patient_id,
      kind: row.kind,
      modality: row.modality,
      locationState: row.location_state,
      scheduledStart: row.scheduled_start?.toISOString() ?? null,
      checkedInAt: row.checked_in_at.toISOString(),
      videoProblems: row.video_problems,
    }));
  }

  /**
   * Providers on urgent-care duty with a licence valid today in `state` (today as that state counts
   * days), with what they have on hand: since when they are in a visit (the latest admitted one),
   * and how many checked-in patients assigned to them wait.
   */
  async providersOnDuty(state: string, now: Date): Promise<ProviderLoad[]> {
    const { rows } = await this.pool.query<{ provider_id: string; in_visit_since: Date | null; waiting: string }>(
      `SELECT p.provider_id,
              (SELECT max(v.admitted_at) FROM ${this.visits} v WHERE v.provider_id = p.provider_id AND v.status = 'in-progress') AS in_visit_since,
              (SELECT count(*) FROM ${this.visits} v WHERE v.provider_id = p.provider_id AND v.status = 'waiting') AS waiting
         FROM ${this.providers} p
        WHERE p.on_duty AND EXISTS (
              SELECT 1 FROM jsonb_array_elements(p.licences) AS l WHERE l->>'state' = $1 AND (l->>'expiresOn')::date >= $2::date)`,
      [state, dateInJurisdiction(state, now)],
    );
    return rows.map((r) => ({ providerId: r.provider_id, inVisitSince: r.in_visit_since?.toISOString() ?? null, waiting: Number(r.waiting) }));
  }
}
