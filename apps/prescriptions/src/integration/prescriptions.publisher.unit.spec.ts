import type { RecordedEvent } from '@carebridge/event-store';
import { PHARMACY_TOPIC } from '@carebridge/contracts';
import { amoxicillin, dispensed, ids, signedAndTransmitted } from '../prescription/prescription.fixtures';
import type { PrescriptionEvent } from '../prescription/prescription.events';
import { prescriptionsPublisher } from './prescriptions.publisher';

const recorded = (event: PrescriptionEvent): RecordedEvent => ({
  eventId: '0f6c5a3e-1b1e-4c55-9a8e-3c1b7a2f0001',
  streamId: `prescription-${ids.prescription}`,
  streamVersion: 4,
  globalPosition: 10,
  type: event.type,
  schemaVersion: 1,
  data: event.data,
  metadata: { actor: { id: ids.prescriber, role: 'provider' }, correlationId: 'c', occurredAt: '2026-11-22T15:00:00.000Z' },
  recordedAt: new Date('2026-11-22T15:00:00.000Z'),
  hash: 'h',
});

describe('prescriptions publisher', () => {
  it('publishes a transmission as NewRx on the pharmacy topic keyed by NCPDP id', () => {
    const [record] = prescriptionsPublisher(recorded(signedAndTransmitted()[1]!));
    expect([record!.topic, record!.key]).toEqual([PHARMACY_TOPIC, '1234567']);
  });

  it('leaves the sig and the note out of the NewRx message (ids and codes only)', () => {
    const transmitted = signedAndTransmitted(undefined, { ...amoxicillin, noteToPharmacist: 'call the patient first' })[1]!;
    const [record] = prescriptionsPublisher(recorded(transmitted));
    expect(record!.value).not.toContain(amoxicillin.sig);
    expect(record!.value).not.toContain('call the patient first');
  });

  it('publishes a fill as the adherence signal keyed by prescription id', () => {
    const [record] = prescriptionsPublisher(recorded(dispensed));
    expect([record!.topic, record!.key]).toEqual(['carebridge.prescriptions.prescription.v1', ids.prescription]);
  });

  it('publishes nothing for a draft', () => {
    expect(prescriptionsPublisher(recorded({ type: 'PrescriptionDrafted', data: amoxicillin }))).toEqual([]);
  });
});
