import { PrescriptionFillRecorded } from '@carebridge/contracts';
import { handle } from '@carebridge/event-store';
import { type HandlerBinding, on } from '@carebridge/messaging';
import type { PoolClient } from 'pg';
import { patientMonitoringDecider } from '../enrolment/patient-monitoring.decider';
import { patientMonitoringStreamId } from '../enrolment/patient-monitoring.stream';

/**
 * A pharmacy fill for a monitored patient -> recorded on their monitoring stream (adherence context).
 * `isMonitored` reads through the handler's transaction client: a second connection inside the
 * inbox transaction would deadlock the embedded (PGlite) profile.
 */
export function prescriptionHandlers(deps: { readonly topic?: string; readonly isMonitored: (patientId: string, client: PoolClient) => Promise<boolean> }): HandlerBinding<
  typeof PrescriptionFillRecorded.Data
>[] {
  const definition = deps.topic === undefined ? PrescriptionFillRecorded : { ...PrescriptionFillRecorded, topic: deps.topic };
  return [
    on(definition, async (event, { store, client }) => {
      const d = event.data;
      // Most prescriptions are for patients who are not monitored: nothing to record.
      if (d.fillStatus === 'not-dispensed' || !(await deps.isMonitored(d.patientId, client))) return;
      await handle(store!, patientMonitoringStreamId(d.patientId), patientMonitoringDecider, {
        type: 'RecordMedicationFill',
        data: { patientId: d.patientId, prescriptionId: d.prescriptionId, rxnormCode: d.rxnormCode, daysSupply: d.daysSupply, filledAt: d.filledAt },
        metadata: {
          now: new Date(event.time),
          actor: { id: 'prescriptions', role: 'system' },
          correlationId: event.correlationid,
          causationId: event.id,
          commandId: event.id,
          ...(event.traceparent !== undefined && { traceparent: event.traceparent }),
          purpose: 'treatment',
        },
      });
    }),
  ];
}
