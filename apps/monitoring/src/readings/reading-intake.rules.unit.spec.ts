import { type Assignment, decideIntake } from './reading-intake.rules';

const now = new Date('2026-03-01T12:00:00Z');
const assignment: Assignment = { deviceId: 'dev-1', patientId: 'pat-1', from: '2026-02-01T00:00:00.000Z', to: '2026-03-01T10:00:00.000Z', consented: true };
const hr = (at: string, value = 70, deviceId = 'dev-1') => ({ raw: { deviceId, type: 'heart-rate' as const, measuredAt: at, value }, readingId: `${deviceId}-${at}` });

describe('reading intake', () => {
  it('accepts readings of an assigned device, for its patient, in measurement order', () => {
    const decision = decideIntake({ readings: [hr('2026-02-20T09:00:00Z'), hr('2026-02-20T08:00:00Z')], assignments: [assignment], stored: new Set(), now });
    expect(decision.outcomes.map((o) => o.status)).toEqual(['accepted', 'accepted']);
    expect(decision.events.map((e) => [e.data.patientId, e.data.measuredAt])).toEqual([
      ['pat-1', '2026-02-20T08:00:00.000Z'],
      ['pat-1', '2026-02-20T09:00:00.000Z'],
    ]);
  });

  it('rejects readings measured when the device was not assigned, never guessing a patient', () => {
    const decision = decideIntake({ readings: [hr('2026-03-01T11:00:00Z'), hr('2026-02-20T08:00:00Z', 70, 'dev-2')], assignments: [assignment], stored: new Set(), now });
    expect(decision.outcomes).toEqual([
      { index: 0, status: 'rejected', reason: expect.stringContaining('UNASSIGNED_DEVICE') },
      { index: 1, status: 'rejected', reason: expect.stringContaining('UNASSIGNED_DEVICE') },
    ]);
    expect(decision.events).toEqual([]);
  });

  it('keeps the good readings of a mixed batch', () => {
    const decision = decideIntake({ readings: [hr('2026-02-20T08:00:00Z'), hr('2026-02-20T09:00:00Z', 400)], assignments: [assignment], stored: new Set(), now });
    expect(decision.outcomes.map((o) => o.status)).toEqual(['accepted', 'rejected']);
  });

  it('marks stored and repeated readings as duplicates', () => {
    const a = hr('2026-02-20T08:00:00Z');
    const decision = decideIntake({ readings: [a, hr('2026-02-20T09:00:00Z'), hr('2026-02-20T09:00:00Z')], assignments: [assignment], stored: new Set([a.readingId]), now });
    expect(decision.outcomes.map((o) => o.status)).toEqual(['duplicate', 'accepted', 'duplicate']);
  });

  it('a device credential posts only its own readings, a patient only for their devices', () => {
    expect(decideIntake({ readings: [hr('2026-02-20T08:00:00Z')], assignments: [assignment], stored: new Set(), now, onlyDevice: 'dev-9' }).outcomes[0]).toMatchObject({ status: 'rejected' });
    expect(decideIntake({ readings: [hr('2026-02-20T08:00:00Z')], assignments: [assignment], stored: new Set(), now, onlyPatient: 'pat-2' }).outcomes[0]).toMatchObject({ status: 'rejected' });
  });

  it('refuses readings of a patient who has not consented', () => {
    const decision = decideIntake({ readings: [hr('2026-02-20T08:00:00Z')], assignments: [{ ...assignment, consented: false }], stored: new Set(), now });
    expect(decision.outcomes[0]).toMatchObject({ status: 'rejected', reason: expect.stringContaining('NO_CONSENT') });
  });
});
