import type { RecordedEvent } from '@carebridge/event-store';
import { schedulingPublisher } from './scheduling.publisher';

const ids = {
  appointmentId: '5d9f2b7e-1c3a-5b4d-8e6f-000000000001',
  patientId: '5d9f2b7e-1c3a-4b4d-8e6f-000000000002',
  providerId: '5d9f2b7e-1c3a-4b4d-8e6f-000000000003',
};

const recorded = (type: string, data: unknown, streamId = `appointment-${ids.appointmentId}`): RecordedEvent => ({
  eventId: '5d9f2b7e-1c3a-4b4d-8e6f-0000000000aa',
  streamId,
  streamVersion: 1,
  globalPosition: 1,
  type,
  schemaVersion: 1,
  data,
  metadata: { actor: { id: 'u1', role: 'patient' }, correlationId: 'c1', occurredAt: '2026-03-01T12:00:00.000Z' },
  recordedAt: new Date('2026-03-01T12:00:00Z'),
  hash: 'h',
});

describe('scheduling publisher', () => {
  it('publishes a booking keyed by appointment id, without reason or intake', () => {
    const [record] = schedulingPublisher(
      recorded('AppointmentBooked', {
        ...ids,
        start: '2026-03-09T13:00:00.000Z',
        end: '2026-03-09T13:30:00.000Z',
        modality: 'video',
        patientState: 'NY',
        reason: 'private words',
        intake: { symptoms: ['skin-rash'], description: 'more private words' },
      }),
    );
    expect(record!.topic).toBe('carebridge.scheduling.appointment.v1');
    expect(record!.key).toBe(ids.appointmentId);
    expect(record!.value).not.toMatch(/private|skin-rash/);
    expect(JSON.parse(record!.value).data).toEqual({
      ...ids,
      startsAt: '2026-03-09T13:00:00.000Z',
      endsAt: '2026-03-09T13:30:00.000Z',
      modality: 'video',
      patientState: 'NY',
    });
  });

  it('keeps provider events and the calendar (holds, reservations, participants) private', () => {
    const day = `provider-day-${ids.providerId}-2026-03-09`;
    const time = { start: '2026-03-09T13:00:00.000Z', end: '2026-03-09T13:30:00.000Z' };
    expect(schedulingPublisher(recorded('ProviderRegistered', { providerId: ids.providerId }, `provider-${ids.providerId}`))).toEqual([]);
    expect(schedulingPublisher(recorded('SlotHeld', { holdId: 'h' }, day))).toEqual([]);
    expect(schedulingPublisher(recorded('AppointmentTimeReserved', { ...ids, ...time }, day))).toEqual([]);
    expect(schedulingPublisher(recorded('AppointmentTimeReleased', { ...ids, ...time, reasonCode: 'patient-request' }, day))).toEqual([]);
    expect(schedulingPublisher(recorded('AppointmentParticipantBooked', { ...ids, ...time, leadProviderId: 'p0', modality: 'video' }, day))).toEqual([]);
  });

  it('names who cancelled by role only', () => {
    const [record] = schedulingPublisher(
      recorded('AppointmentCancelled', { ...ids, start: '2026-03-09T13:00:00.000Z', end: '2026-03-09T13:30:00.000Z', reasonCode: 'patient-request' }),
    );
    expect(JSON.parse(record!.value).data).toMatchObject({ cancelledBy: 'patient', reasonCode: 'patient-request' });
  });
});

describe('scheduling publisher: billing facts', () => {
  const base = {
    ...ids,
    start: '2026-03-09T13:00:00.000Z',
    end: '2026-03-09T13:30:00.000Z',
    modality: 'video',
    patientState: 'NY',
    reason: 'private words',
    intake: { symptoms: ['skin-rash'] },
  };

  it('publishes service codes, purpose, setting, licences (expiry when known) and further providers', () => {
    const specialist = '5d9f2b7e-1c3a-4b4d-8e6f-000000000004';
    const [record] = schedulingPublisher(
      recorded('AppointmentBooked', {
        ...base,
        serviceCodes: ['99213', 'G2012'],
        visitPurpose: 'mental-health',
        patientSetting: 'home',
        providerLicences: [{ state: 'NY', expiresOn: '2027-01-31' }, { state: 'NJ' }],
        additionalProviderIds: [specialist],
      }),
    );
    expect(JSON.parse(record!.value).data).toMatchObject({
      serviceCodes: ['99213', 'G2012'],
      visitPurpose: 'mental-health',
      patientSetting: 'home',
      providerLicences: [{ state: 'NY', expiresOn: '2027-01-31' }, { state: 'NJ' }],
      additionalProviderIds: [specialist],
    });
  });

  it('leaves absent facts out (billing answers unknown, never a guess)', () => {
    const data = JSON.parse(schedulingPublisher(recorded('AppointmentBooked', base))[0]!.value).data;
    expect(Object.keys(data)).not.toEqual(expect.arrayContaining(['serviceCodes']));
    expect(data).not.toHaveProperty('visitPurpose');
    expect(data).not.toHaveProperty('providerLicences');
    expect(data).not.toHaveProperty('additionalProviderIds');
  });

  it('keeps a participant day private: the lead booking names the participants', () => {
    const participant = { appointmentId: ids.appointmentId, providerId: ids.providerId, leadProviderId: ids.providerId, patientId: ids.patientId, start: base.start, end: base.end, modality: 'video' };
    const day = `provider-day-${ids.providerId}-2026-03-09`;
    expect(schedulingPublisher(recorded('AppointmentParticipantBooked', participant, day))).toEqual([]);
    expect(schedulingPublisher(recorded('AppointmentParticipantReleased', { ...participant, reasonCode: 'x' }, day))).toEqual([]);
  });
});
