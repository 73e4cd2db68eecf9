/** The end of the story: the patient's audit trail from every service's event store, and its hash chains verified. */
import { PostgresEventStore, verifyAuditTrail } from '@carebridge/event-store';
import { database, databaseUrl, eventStoreSchemas, type StoredEvent } from '../tour-client';
import { dim, excerpt, TourFailure } from '../tour-output';
import { type TourStep } from '../tour-runner';

export const auditTrail: TourStep = {
  title: `The patient's audit trail, from every service's event store (${databaseUrl ? 'PostgreSQL wire' : 'no database'})`,
  async run(state, note) {
    const schemas = await eventStoreSchemas();
    const needles = Object.values(state.ids).filter((v) => v !== state.plan.provider.providerId);
    const trail: StoredEvent[] = [];
    for (const schema of schemas) {
      const { rows } = await database().query<StoredEvent>(
        `SELECT $1::text AS schema, global_position, stream_id, event_type, data, metadata, recorded_at
           FROM "${schema}".events
          WHERE stream_id LIKE ANY($2) OR data::text LIKE ANY($2)
          ORDER BY global_position`,
        [schema, needles.map((n) => `%${n}%`)],
      );
      trail.push(...rows);
    }
    trail.sort((a, b) => a.recorded_at.getTime() - b.recorded_at.getTime() || a.schema.localeCompare(b.schema) || Number(a.global_position) - Number(b.global_position));
    if (trail.length === 0) throw new TourFailure(`no events mention patient ${state.patientId}`);
    note(`${trail.length} events in ${new Set(trail.map((e) => e.schema)).size} services mention this patient, their appointment, visit, prescription, device or alert:`);
    for (const e of trail) {
      const who = e.metadata.actor;
      const actor = who ? `${who.role}:${who.id.replace(/([0-9a-f]{8})-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, '$1…')}` : '-';
      note(
        `${e.recorded_at.toISOString().slice(11, 23)}  ${e.schema.padEnd(19)} ${e.event_type.padEnd(28)} ${actor.padEnd(26)} ${dim(e.stream_id.length > 60 ? `${e.stream_id.slice(0, 57)}…` : e.stream_id)}`,
      );
    }
  },
};

export const auditTrailVerifies: TourStep = {
  title: 'The audit trail verifies: every stream\u2019s hash chain recomputed (npm run audit:verify)',
  async run(_state, note) {
    let failed = false;
    for (const schema of await eventStoreSchemas()) {
      const client = await database().connect();
      try {
        await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
        const report = await verifyAuditTrail(new PostgresEventStore(database(), schema).withClient(client));
        await client.query('COMMIT');
        if (report.ok) note(`${schema}: OK, ${report.eventsChecked} events in ${report.streamsChecked} streams`);
        else {
          failed = true;
          note(`${schema}: ${report.findings.length} problem(s): ${excerpt(report.findings.slice(0, 3))}`);
        }
      } finally {
        client.release();
      }
    }
    if (failed) throw new TourFailure('the audit trail does not verify');
  },
};
