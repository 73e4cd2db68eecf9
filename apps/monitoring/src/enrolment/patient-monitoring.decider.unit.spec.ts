import { DeciderSpecification } from '@carebridge/event-store';
import type { CommandMetadata } from '@carebridge/shared-kernel';
import { AlreadyEnrolledError, NotEnrolledError, RuleAdjustmentRefusedError, patientMonitoringDecider } from './patient-monitoring.decider';
import type { PatientMonitoringEvent } from './patient-monitoring.events';

const spec = DeciderSpecification.for(patientMonitoringDecider);
const meta: CommandMetadata = { now: new Date('2026-03-01T12:00:00Z'), actor: { id: 'doc', role: 'provider' }, correlationId: 'c' };
const enrolled: PatientMonitoringEvent = {
  type: 'PatientEnrolled',
  data: { patientId: 'p', conditions: ['hypertension'], careTeam: ['doc'], billingPractitionerId: 'doc', established: true, escalateAfterSeconds: 900 },
};
const consented: PatientMonitoringEvent = { type: 'MonitoringConsentRecorded', data: { patientId: 'p', consentedAt: '2026-03-01T12:00:00.000Z' } };
const fill = { patientId: 'p', prescriptionId: 'rx', rxnormCode: '197361', daysSupply: 30, filledAt: '2026-03-01T10:00:00.000Z' };

describe('patient monitoring', () => {
  it('enrols once', () => {
    spec.given([]).when({ type: 'EnrolPatient', data: enrolled.data as never, metadata: meta }).then([enrolled]);
    spec.given([enrolled]).when({ type: 'EnrolPatient', data: enrolled.data as never, metadata: meta }).thenThrows(AlreadyEnrolledError);
  });
  it('records consent once', () => {
    spec.given([enrolled]).when({ type: 'RecordConsent', data: { patientId: 'p' }, metadata: meta }).then([consented]);
    spec.given([enrolled, consented]).when({ type: 'RecordConsent', data: { patientId: 'p' }, metadata: meta }).thenNothingHappens();
  });
  it('needs enrolment before consent', () => spec.given([]).when({ type: 'RecordConsent', data: { patientId: 'p' }, metadata: meta }).thenThrows(NotEnrolledError));
  it('refuses an adjustment that does not fit the rule', () =>
    spec
      .given([enrolled])
      .when({ type: 'AdjustCareRule', data: { patientId: 'p', adjustment: { ruleId: 'nope', enabled: false }, fits: false }, metadata: meta })
      .thenThrows(RuleAdjustmentRefusedError));
  it('records a pharmacy fill once', () => {
    spec.given([enrolled]).when({ type: 'RecordMedicationFill', data: fill, metadata: meta }).then([{ type: 'MedicationFillRecorded', data: fill }]);
    spec.given([enrolled, { type: 'MedicationFillRecorded', data: fill }]).when({ type: 'RecordMedicationFill', data: fill, metadata: meta }).thenNothingHappens();
  });
});
