import type { Pool, PoolClient } from 'pg';
import { type RecordedEvent, quoteIdent } from '@carebridge/event-store';
import type { ReadModelProjection } from '../read-models.projection';
import type { Assignment } from '../readings/reading-intake.rules';
import type { DeviceEvent } from './device.events';

/** Question: what is this device, and to which patient (and key) was it assigned when? */
export function deviceAssignmentsProjection(schema: string): ReadModelProjection {
  const s = quoteIdent(schema);
  return {
    name: 'device-assignments',
    canHandle: new Set<DeviceEvent['type']>(['DeviceRegistered', 'DeviceAssigned', 'DeviceAssignmentEnded', 'DeviceKeyRotated']),
    async apply(events: readonly RecordedEvent[], client: PoolClient) {
      for (const recorded of events) {
        const event = { type: recorded.type, data: recorded.data } as DeviceEvent;
        switch (event.type) {
          case 'DeviceRegistered': {
            const d = event.data;
            await client.query(
              `INSERT INTO ${s}.devices (device_id, serial, kind, manufacturer, model) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`,
              [d.deviceId, d.serial, d.kind, d.manufacturer, d.model],
            );
            break;
          }
          case 'DeviceAssigned': {
            const d = event.data;
            await client.query(
              `INSERT INTO ${s}.device_assignments (assignment_id, device_id, patient_id, valid_from, valid_to, key_hash) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING`,
              [d.assignmentId, d.deviceId, d.patientId, d.from, d.to ?? null, d.keyHash],
            );
            break;
          }
          case 'DeviceAssignmentEnded':
            await client.query(`UPDATE ${s}.device_assignments SET valid_to = $2 WHERE assignment_id = $1`, [event.data.assignmentId, event.data.endedAt]);
            break;
          case 'DeviceKeyRotated':
            await client.query(`UPDATE ${s}.device_assignments SET key_hash = $2 WHERE assignment_id = $1`, [event.data.assignmentId, event.data.keyHash]);
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

export class DeviceAssignments {
  private readonly s: string;

  constructor(
    private readonly pool: Pool,
    schema: string,
  ) {
    this.s = quoteIdent(schema);
  }

  /** Assignments of these devices (any period), with the patient's consent. */
  async assignments(deviceIds: readonly string[]): Promise<Assignment[]> {
    const { rows } = await this.pool.query(
      `SELECT a.device_id, a.patient_id, a.valid_from, a.valid_to, coalesce(p.consented, false) AS consented
         FROM ${this.s}.device_assignments a LEFT JOIN ${this.s}.monitored_patients p USING (patient_id)
        WHERE a.device_id = ANY($1)`,
      [deviceIds],
    );
    return rows.map((r) => ({
      deviceId: r.device_id,
      patientId: r.patient_id,
      from: r.valid_from,
      ...(r.valid_to !== null && { to: r.valid_to }),
      consented: r.consented,
    }));
  }

  /** The assignment a device API key belongs to (by its hash), if still in force at some time. */
  async assignmentByKeyHash(keyHash: string): Promise<{ deviceId: string; patientId: string } | undefined> {
    const { rows } = await this.pool.query(`SELECT device_id, patient_id FROM ${this.s}.device_assignments WHERE key_hash = $1`, [keyHash]);
    return rows[0] ? { deviceId: rows[0].device_id, patientId: rows[0].patient_id } : undefined;
  }

  async device(deviceId: string) {
    const { rows } = await this.pool.query(`SELECT * FROM ${this.s}.devices WHERE device_id = $1`, [deviceId]);
    if (!rows[0]) return undefined;
    const assignments = await this.pool.query(
      `SELECT assignment_id, patient_id, valid_from, valid_to FROM ${this.s}.device_assignments WHERE device_id = $1 ORDER BY valid_from`,
      [deviceId],
    );
    return {
      deviceId: rows[0].device_id as string,
      serial: rows[0].serial as string,
      kind: rows[0].kind as string,
      manufacturer: rows[0].manufacturer as string,
      model: rows[0].model as string,
      assignments: assignments.rows.map((a) => ({ assignmentId: a.assignment_id, patientId: a.patient_id, from: a.valid_from, to: a.valid_to ?? undefined })),
    };
  }
}
