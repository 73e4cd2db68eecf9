import type { RecordedEvent } from '@carebridge/event-store';
import { visitsPublisher } from './visits.publisher';

const visitId = '0d6c3f4e-8a38-4c1f-9a7e-1f2d3c4b5a01';
const intent = {
  intentId: '0d6c3f4e-8a38-4c1f-9a7e-1f2d3c4b5a02',
  patientId: '0d6c3f4e-8a38-4c1f-9a7e-1f2d3c4b5a03',
  prescriberId: '0d6c3f4e-8a38-4c1f-9a7e-1f2d3c4b5a04',
  rxnormCode: '308191',
  name: 'amoxicillin 500 MG Oral Capsule',
  sig: 'Take 1 capsule by mouth three times daily for 10 days',
  quantity: { value: 30, unit: 'capsule' },
  daysSupply: 10,
  refills: 0,
  modality: 'video',
};
const recorded = (data: unknown): RecordedEvent => ({
  eventId: '6f1c1c1e-4a43-4a3a-9a53-2f1f1a1b1c1d',
  streamId: `visit-${visitId}`,
  streamVersion: 1,
  globalPosition: 1,
  type: 'PrescriptionIntended',
  schemaVersion: 1,
  data,
  metadata: { actor: { id: 'x', role: 'provider' }, correlationId: 'c', occurredAt: '2026-03-01T00:00:00.000Z' },
  recordedAt: new Date('2026-03-01T00:00:00.000Z'),
  hash: 'h',
});
const published = (data: unknown) => {
  const [record] = visitsPublisher(recorded(data));
  return { record: record!, data: JSON.parse(record!.value).data };
};

describe('visits publisher: PrescriptionIntended', () => {
  it('carries the medication name (not the free-text sig) so the prescriptions service drafts a readable prescription', () => {
    const { record, data } = published(intent);
    expect(record).toMatchObject({ topic: 'carebridge.visits.visit.v1', key: visitId });
    expect(data).toEqual({
      intentId: intent.intentId,
      visitId,
      patientId: intent.patientId,
      prescriberId: intent.prescriberId,
      rxnormCode: '308191',
      medicationName: intent.name,
      quantity: { value: 30, unit: 'capsule' },
      daysSupply: 10,
      refills: 0,
      encounterModality: 'audio-video',
    });
  });

  it('leaves out a name longer than the contract allows (the prescriber completes it) instead of cutting it', () => {
    const { data } = published({ ...intent, name: 'x'.repeat(250), modality: 'phone' });
    expect(data).not.toHaveProperty('medicationName');
    expect(data).toMatchObject({ rxnormCode: '308191', encounterModality: 'audio-only' });
  });

  it('carries where the patient was during the visit (a controlled substance needs a DEA registration there)', () => {
    expect(published({ ...intent, patientLocationState: 'NJ' }).data).toMatchObject({ patientLocationState: 'NJ' });
  });
});
