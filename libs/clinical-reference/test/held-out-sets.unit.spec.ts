import { HELD_OUT } from './held-out-set';
import { runPhrasings, safetySummary } from './phrasing-metrics';
import { SECOND_SET } from './second-set';

/**
 * The two held-out sets are measures (npm run triage:metrics prints every wrong answer), not
 * targets; what is guarded here is the safety floor only: no emergency of theirs is answered
 * virtual-ok (at worst a human reviews it), and no telemedicine phrasing is answered emergency.
 */
describe.each([
  ['held-out', HELD_OUT],
  ['second set', SECOND_SET],
])('%s: the safety floor', (_name, phrasings) => {
  const safety = safetySummary(runPhrasings(phrasings));

  it('no emergency phrasing is answered virtual-ok', () => {
    expect(safety.emergencyToVirtualOk).toBe(0);
  });

  it('no telemedicine phrasing is answered emergency or in person', () => {
    expect([safety.telemedicineToEmergency, safety.telemedicineToInPerson]).toEqual([0, 0]);
  });

  it('no abdominal phrasing is answered virtual-ok', () => {
    expect(safety.abdominalToVirtualOk).toBe(0);
  });
});
