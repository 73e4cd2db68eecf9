import type { PoolClient } from 'pg';
import { type RecordedEvent, quoteIdent } from '@carebridge/event-store';
import type { AppointmentEvent, IntakeTriage, TriageReviewDecision } from './appointment.events';
import { APPOINTMENT_STREAM_PREFIX } from './appointment.stream';

export const APPOINTMENTS_PROJECTION = 'appointments';

/** One row per appointment (from its `appointment-<id>` stream): whose it is, when, its status. */
export function appointmentsHandler(schema: string) {
  const table = `${quoteIdent(schema)}.appointments`;
  return async (events: readonly RecordedEvent[], client: PoolClient): Promise<void> => {
    for (const recorded of events) {
      if (!recorded.streamId.startsWith(APPOINTMENT_STREAM_PREFIX)) continue;
      const event = { type: recorded.type, data: recorded.data } as AppointmentEvent;
      const status = (id: string, value: string, extra = '', params: unknown[] = []) =>
        client.query(`UPDATE ${table} SET status = $2${extra} WHERE appointment_id = $1`, [id, value, ...params]);
      switch (event.type) {
        case 'AppointmentBooked': {
          const d = event.data;
          await client.query(
            `INSERT INTO ${table} (appointment_id, stream_id, provider_id, patient_id, starts_at, ends_at, modality, status, additional_provider_ids, triage)
             VALUES ($1, $2, $3, $4, $5, $6, $7, 'booked', $8, $9)
             ON CONFLICT (appointment_id) DO UPDATE
               SET stream_id = EXCLUDED.stream_id, starts_at = EXCLUDED.starts_at, ends_at = EXCLUDED.ends_at, status = 'booked'`,
            [d.appointmentId, recorded.streamId, d.providerId, d.patientId, d.start, d.end, d.modality, d.additionalProviderIds ?? [], d.triage === undefined ? null : JSON.stringify(d.triage)],
          );
          break;
        }
        case 'AppointmentRescheduled':
          await client.query(`UPDATE ${table} SET starts_at = $2, ends_at = $3, reason_code = $4 WHERE appointment_id = $1`, [
            event.data.appointmentId,
            event.data.to.start,
            event.data.to.end,
            event.data.reasonCode,
          ]);
          break;
        case 'AppointmentCancelled':
          await status(event.data.appointmentId, 'cancelled', ', reason_code = $3', [event.data.reasonCode]);
          break;
        case 'PatientCheckedIn':
          await status(event.data.appointmentId, 'checked-in', ', minutes_late = $3', [event.data.minutesLate]);
          break;
        case 'AppointmentNoShow':
          await status(event.data.appointmentId, 'no-show');
          break;
        case 'AppointmentCoverageRecorded':
          await client.query(`UPDATE ${table} SET coverage_outcome = $2, coverage_reason_codes = $3 WHERE appointment_id = $1`, [
            event.data.appointmentId,
            event.data.outcome,
            event.data.reasonCodes,
          ]);
          break;
        case 'TriageReviewed': {
          const { appointmentId, providerId: _p, patientId: _pt, ...review } = event.data;
          const entry = { ...review, reviewedBy: recorded.metadata.actor.id, reviewedAt: recorded.recordedAt.toISOString() };
          await client.query(`UPDATE ${table} SET triage_review = $2 WHERE appointment_id = $1`, [appointmentId, JSON.stringify(entry)]);
          break;
        }
        case 'AppointmentNotificationUndelivered': {
          const d = event.data;
          const entry = { kind: d.kind, ...(d.minutesBefore !== undefined && { minutesBefore: d.minutesBefore }), channels: d.channels, at: recorded.recordedAt.toISOString() };
          await client.query(`UPDATE ${table} SET undelivered_notifications = undelivered_notifications || $2::jsonb WHERE appointment_id = $1`, [
            d.appointmentId,
            JSON.stringify([entry]),
          ]);
          break;
        }
        case 'IntakeRead':
        case 'IntakeAttachmentAdded':
        case 'EmergencyRedirected':
        case 'InPersonRedirected': // nothing was booked
        case 'AppointmentReminderSent':
          break;
        default: {
          const exhaustive: never = event;
          throw new Error(`unhandled event ${JSON.stringify(exhaustive)}`);
        }
      }
    }
  };
}

export interface AppointmentRow {
  readonly appointmentId: string;
  readonly providerId: string;
  /** Further providers of a multi-provider appointment; they see it in their schedule too. */
  readonly additionalProviderIds: readonly string[];
  readonly patientId: string;
  readonly start: string;
  readonly end: string;
  readonly modality: string;
  readonly status: string;
  readonly minutesLate: number | null;
  readonly reasonCode: string | null;
  readonly coverage: { readonly outcome: string; readonly reasonCodes: readonly string[] } | null;
  /** Reminders and no-show invitations that did not reach the patient after the job's last attempt. */
  readonly undeliveredNotifications: readonly UndeliveredNotification[];
  /** What triage read in the intake (absent on bookings made before issue 15). */
  readonly triage: IntakeTriage | null;
  readonly triageReview: TriageReviewEntry | null;
}

export interface TriageReviewEntry {
  readonly decision: TriageReviewDecision;
  readonly note?: string;
  readonly reviewedBy: string;
  readonly reviewedAt: string;
}

export interface UndeliveredNotification {
  readonly kind: 'reminder' | 'no-show';
  readonly minutesBefore?: number;
  readonly channels: readonly ('sms' | 'email')[];
  readonly at: string;
}

interface Row {
  appointment_id: string;
  stream_id: string;
  provider_id: string;
  additional_provider_ids: string[];
  patient_id: string;
  starts_at: Date;
  ends_at: Date;
  modality: string;
  status: string;
  minutes_late: number | null;
  reason_code: string | null;
  coverage_outcome: string | null;
  coverage_reason_codes: string[] | null;
  undelivered_notifications: UndeliveredNotification[];
  triage: IntakeTriage | null;
  triage_review: TriageReviewEntry | null;
}

const toAppointment = (row: Row): AppointmentRow => ({
  appointmentId: row.appointment_id,
  providerId: row.provider_id,
  additionalProviderIds: row.additional_provider_ids,
  patientId: row.patient_id,
  start: row.starts_at.toISOString(),
  end: row.ends_at.toISOString(),
  modality: row.modality,
  status: row.status,
  minutesLate: row.minutes_late,
  reasonCode: row.reason_code,
  coverage: row.coverage_outcome === null ? null : { outcome: row.coverage_outcome, reasonCodes: row.coverage_reason_codes ?? [] },
  undeliveredNotifications: row.undelivered_notifications,
  triage: row.triage,
  triageReview: row.triage_review,
});

/** Queries of the appointments read model. */
export class AppointmentsQuery {
  private readonly table: string;
  private readonly schema: string;
  constructor(
    private readonly db: { query: PoolClient['query'] },
    schema: string,
  ) {
    this.schema = quoteIdent(schema);
    this.table = `${this.schema}.appointments`;
  }

  /**
   * Has this read model seen every event stored so far? Then an appointment missing from it was
   * never booked here (another platform's id, a test's), rather than not projected yet.
   */
  async caughtUp(): Promise<boolean> {
    const { rows } = await this.db.query<{ caught_up: boolean | null }>(
      `SELECT (SELECT position FROM ${this.schema}.projection_checkpoints WHERE projection_name = $1)
                >= (SELECT COALESCE(max(global_position), 0) FROM ${this.schema}.events) AS caught_up`,
      [APPOINTMENTS_PROJECTION],
    );
    return rows[0]?.caught_up === true;
  }

  async byId(appointmentId: string): Promise<AppointmentRow | undefined> {
    const { rows } = await this.db.query<Row>(`SELECT * FROM ${this.table} WHERE appointment_id = $1`, [appointmentId]);
    return rows[0] && toAppointment(rows[0]);
  }

  /** The review queue: booked appointments whose intake needs a nurse's or provider's review, soonest first. */
  async awaitingReview(filter: { providerId?: string; limit: number }): Promise<AppointmentRow[]> {
    const { rows } = await this.db.query<Row>(
      `SELECT * FROM ${this.table}
        WHERE triage->>'disposition' = 'needs-review' AND triage_review IS NULL AND status IN ('booked', 'checked-in')
          AND ($1::text IS NULL OR provider_id = $1)
        ORDER BY starts_at, appointment_id LIMIT $2`,
      [filter.providerId ?? null, filter.limit],
    );
    return rows.map(toAppointment);
  }

  async list(filter: { patientId?: string; providerId?: string; from: string; to: string; limit: number }): Promise<AppointmentRow[]> {
    const { rows } = await this.db.query<Row>(
      `SELECT * FROM ${this.table}
        WHERE ($1::text IS NULL OR patient_id = $1) AND ($2::text IS NULL OR provider_id = $2 OR $2 = ANY (additional_provider_ids))
          AND starts_at >= $3 AND starts_at < $4
        ORDER BY starts_at, appointment_id LIMIT $5`,
      [filter.patientId ?? null, filter.providerId ?? null, filter.from, filter.to, filter.limit],
    );
    return rows.map(toAppointment);
  }
}
