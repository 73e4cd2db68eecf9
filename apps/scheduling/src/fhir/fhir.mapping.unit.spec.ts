import { dateRange, fhirAppointment } from './fhir.mapping';

describe('FHIR date search values', () => {
  it('ge and lt bound a half-open range', () => {
    expect(dateRange(['ge2026-03-01', 'lt2026-03-08'])).toEqual({ from: new Date('2026-03-01T00:00:00Z'), to: new Date('2026-03-08T00:00:00Z') });
  });

  it('a bare date means that whole day; le includes the day', () => {
    expect(dateRange(['2026-03-01'])).toEqual({ from: new Date('2026-03-01T00:00:00Z'), to: new Date('2026-03-02T00:00:00Z') });
    expect(dateRange(['le2026-03-01'])).toEqual({ to: new Date('2026-03-02T00:00:00Z') });
  });

  it('accepts date-times with an offset and refuses anything else', () => {
    expect(dateRange(['ge2026-03-01T09:00:00-05:00'])).toEqual({ from: new Date('2026-03-01T14:00:00Z') });
    expect(dateRange(['yesterday'])).toBeUndefined();
  });
});

describe('FHIR Appointment', () => {
  it('lists every provider of a multi-provider appointment as a participant', () => {
    const appointment = fhirAppointment({
      appointmentId: 'a1',
      providerId: 'lead',
      additionalProviderIds: ['specialist'],
      patientId: 'p1',
      start: '2026-03-09T13:00:00.000Z',
      end: '2026-03-09T13:30:00.000Z',
      modality: 'video',
      status: 'booked',
      minutesLate: null,
      reasonCode: null,
      coverage: null,
      undeliveredNotifications: [],
      triage: null,
      triageReview: null,
    });
    expect(appointment.participant.map((p) => p.actor.reference)).toEqual(['Patient/p1', 'Practitioner/lead', 'Practitioner/specialist']);
  });
});
