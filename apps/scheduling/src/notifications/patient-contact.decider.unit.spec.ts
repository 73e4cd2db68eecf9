import { DeciderSpecification } from '@carebridge/event-store';
import { at } from '../../test/support.fixtures';
import { patientContactDecider } from './patient-contact.decider';

const spec = DeciderSpecification.for(patientContactDecider);
const meta = at('2026-03-01T12:00:00Z', { id: 'pat-1', role: 'patient' });
const changed = { type: 'PatientContactChanged' as const, data: { patientId: 'p1', channels: ['email' as const], hasEmail: true, hasPhone: false } };

describe('patient contact accounting', () => {
  it('records a change by channels and presence of an address, never the address', () => {
    spec.given([]).when({ type: 'RecordContactChange', data: { patientId: 'p1', channels: ['email'], hasEmail: true, hasPhone: false }, metadata: meta }).then([changed]);
  });

  it('records every read with its purpose', () => {
    spec.given([changed]).when({ type: 'RecordContactRead', data: { patientId: 'p1', purpose: 'treatment' }, metadata: meta }).then([
      { type: 'PatientContactRead', data: { patientId: 'p1', purpose: 'treatment' } },
    ]);
  });

  it('records an erasure once; erasing nothing records nothing', () => {
    spec.given([changed]).when({ type: 'RecordContactErasure', data: { patientId: 'p1' }, metadata: meta }).then([{ type: 'PatientContactErased', data: { patientId: 'p1' } }]);
    spec.given([]).when({ type: 'RecordContactErasure', data: { patientId: 'p1' }, metadata: meta }).then([]);
  });
});
