import type { Pool, PoolClient } from 'pg';
import { type RecordedEvent, quoteIdent } from '@carebridge/event-store';
import type { Condition } from '../care-plan/care-plan.rules';
import type { ReadModelProjection } from '../read-models.projection';
import type { MonitoringProgram } from '../rpm/rpm.rules';
import type { PatientMonitoringEvent, RuleAdjustmentData } from './patient-monitoring.events';

/** Question: who is monitored, under which care plan, with which care team and consent? */
export interface MonitoredPatient {
  readonly patientId: string;
  readonly conditions: readonly Condition[];
  readonly careTeam: readonly string[];
  readonly billingPractitionerId: string;
  readonly established: boolean;
  readonly consented: boolean;
  readonly escalateAfterSeconds: number;
  readonly adjustments: readonly RuleAdjustmentData[];
  readonly program: MonitoringProgram;
}

type Handled = Extract<PatientMonitoringEvent, { type: 'PatientEnrolled' | 'MonitoringConsentRecorded' | 'CareRuleAdjusted' }>;

export function monitoredPatientsProjection(schema: string): ReadModelProjection {
  const s = quoteIdent(schema);
  return {
    name: 'monitored-patients',
    canHandle: new Set<Handled['type']>(['PatientEnrolled', 'MonitoringConsentRecorded', 'CareRuleAdjusted']),
    async apply(events: readonly RecordedEvent[], client: PoolClient) {
      for (const recorded of events) {
        const event = { type: recorded.type, data: recorded.data } as Handled;
        switch (event.type) {
          case 'PatientEnrolled': {
            const d = event.data;
            await client.query(
              `INSERT INTO ${s}.monitored_patients (patient_id, conditions, care_team, billing_practitioner_id, established, escalate_after_seconds, program)
               VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (patient_id) DO NOTHING`,
              [d.patientId, d.conditions, d.careTeam, d.billingPractitionerId, d.established, d.escalateAfterSeconds, JSON.stringify(d.program ?? { kind: 'rpm' })],
            );
            break;
          }
          case 'MonitoringConsentRecorded':
            await client.query(`UPDATE ${s}.monitored_patients SET consented = true WHERE patient_id = $1`, [event.data.patientId]);
            break;
          case 'CareRuleAdjusted':
            await client.query(
              `UPDATE ${s}.monitored_patients
                  SET adjustments = (SELECT coalesce(jsonb_agg(a), '[]') FROM jsonb_array_elements(adjustments) a WHERE a->>'ruleId' <> $2) || jsonb_build_array($3::jsonb)
                WHERE patient_id = $1`,
              [event.data.patientId, event.data.adjustment.ruleId, JSON.stringify(event.data.adjustment)],
            );
            break;
          default: {
            const _exhaustive: never = event;
            void _exhaustive;
          }
        }
      }
    },
  };
}

export class MonitoredPatients {
  private readonly s: string;

  constructor(
    private readonly pool: Pool,
    schema: string,
  ) {
    this.s = quoteIdent(schema);
  }

  async patient(patientId: string): Promise<MonitoredPatient | undefined> {
    return (await this.patients([patientId])).get(patientId);
  }

  /** `db`: a caller's transaction client (a consumer handler must not use a second connection). */
  async patients(patientIds: readonly string[], db: Pick<Pool, 'query'> = this.pool): Promise<Map<string, MonitoredPatient>> {
    const { rows } = await db.query(`SELECT * FROM ${this.s}.monitored_patients WHERE patient_id = ANY($1)`, [patientIds]);
    return new Map(
      rows.map((r) => [
        r.patient_id as string,
        {
          patientId: r.patient_id,
          conditions: r.conditions,
          careTeam: r.care_team,
          billingPractitionerId: r.billing_practitioner_id,
          established: r.established,
          consented: r.consented,
          escalateAfterSeconds: r.escalate_after_seconds,
          adjustments: r.adjustments,
          program: r.program ?? { kind: 'rpm' },
        } satisfies MonitoredPatient,
      ]),
    );
  }
}
