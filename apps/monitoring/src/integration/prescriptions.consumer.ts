import { Controller } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { PrescriptionFillRecorded } from '@carebridge/contracts';
import { handle } from '@carebridge/event-store';
import { IntegrationEventContext, IntegrationEventHandler, type ReceivedEvent } from '@carebridge/messaging';
import { patientMonitoringDecider } from '../enrolment/patient-monitoring.decider';
import { patientMonitoringStreamId } from '../enrolment/patient-monitoring.stream';
import { MonitoredPatients } from '../enrolment/monitored-patients.projection';

/**
 * A pharmacy fill for a monitored patient -> recorded on their monitoring stream (adherence context).
 * The monitored-patients read model is read through `ctx.client`, the inbox's transaction: a
 * second connection inside that transaction would deadlock the embedded (PGlite) profile.
 */
@Controller()
export class PrescriptionEventsConsumer {
  constructor(private readonly patients: MonitoredPatients) {}

  @IntegrationEventHandler(PrescriptionFillRecorded)
  async prescriptionFillRecorded(@Payload() event: ReceivedEvent<typeof PrescriptionFillRecorded.Data>, @Ctx() ctx: IntegrationEventContext): Promise<void> {
    const d = event.data;
    // Most prescriptions are for patients who are not monitored: nothing to record.
    if (d.fillStatus === 'not-dispensed' || !(await this.patients.patients([d.patientId], ctx.client)).has(d.patientId)) return;
    await handle(ctx.store, patientMonitoringStreamId(d.patientId), patientMonitoringDecider, {
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
  }
}
