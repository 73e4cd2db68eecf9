import { quoteIdent } from '@carebridge/event-store';
import type { Pool } from 'pg';
import type { PatientContact, PatientContacts } from './patient-contact.port';

interface Row {
  patient_id: string;
  email: string | null;
  phone: string | null;
  channels: string[];
  time_zone: string | null;
}

/**
 * Contacts in a plain, mutable table of the service's schema (not an event stream: a correction
 * or an erasure must leave no copy behind). Who changed a contact last is kept with it.
 */
export class PostgresPatientContacts implements PatientContacts {
  private readonly table: string;

  constructor(
    private readonly pool: Pick<Pool, 'query'>,
    schema: string,
  ) {
    this.table = `${quoteIdent(schema)}.patient_contacts`;
  }

  async contactOf(patientId: string): Promise<PatientContact | undefined> {
    const { rows } = await this.pool.query<Row>(`SELECT patient_id, email, phone, channels, time_zone FROM ${this.table} WHERE patient_id = $1`, [patientId]);
    const row = rows[0];
    if (row === undefined) return undefined;
    return {
      patientId: row.patient_id,
      ...(row.email !== null && { email: row.email }),
      ...(row.phone !== null && { phone: row.phone }),
      channels: row.channels as PatientContact['channels'],
      ...(row.time_zone !== null && { timeZone: row.time_zone }),
    };
  }

  async save(contact: PatientContact, actorId: string): Promise<void> {
    await this.pool.query(
      `INSERT INTO ${this.table} (patient_id, email, phone, channels, time_zone, updated_by, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, now())
       ON CONFLICT (patient_id) DO UPDATE SET email = EXCLUDED.email, phone = EXCLUDED.phone, channels = EXCLUDED.channels,
         time_zone = EXCLUDED.time_zone, updated_by = EXCLUDED.updated_by, updated_at = EXCLUDED.updated_at`,
      [contact.patientId, contact.email ?? null, contact.phone ?? null, contact.channels, contact.timeZone ?? null, actorId],
    );
  }

  async erase(patientId: string): Promise<void> {
    await this.pool.query(`DELETE FROM ${this.table} WHERE patient_id = $1`, [patientId]);
  }
}
