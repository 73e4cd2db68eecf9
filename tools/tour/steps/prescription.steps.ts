/** The prescription: signed and transmitted as a SCRIPT NewRx, received and filled by the pharmacy. */
import { scriptEventType } from '@carebridge/contracts';
import { call, token, waitFor } from '../tour-client';
import { excerpt, seconds, TourFailure } from '../tour-output';
import { type TourStep } from '../tour-runner';
import type { TourState } from '../tour-state';

export const providerSignsPrescription: TourStep = {
  title: 'The provider completes the drafted NewRx, checks, signs and transmits it (prescriptions)',
  async run(state, note) {
    const { provider, providerToken, pharmacy } = state.plan;
    const route = `/prescriptions/v1/prescriptions/${state.prescriptionId}`;
    const drafted = await call('PUT', route, {
      token: providerToken,
      key: state.key('rx-revise'),
      expect: [200],
      body: {
        prescriber: { npi: provider.npi, deaNumber: null },
        medication: { rxnormCode: '314076', name: 'Lisinopril 10 MG Oral Tablet', strength: '10 mg', doseForm: 'tablet', ingredientRxcuis: ['29046'], deaSchedule: null },
        sig: 'Take 1 tablet by mouth once daily',
        quantity: { value: 30, unit: 'tablet' },
        daysSupply: 30,
        refills: 2,
        encounter: { modality: 'audio-video' },
      },
    });
    note(`draft ${drafted.body.prescriptionId}: ${drafted.body.status}`);
    const checked = await call('POST', `${route}/check`, { token: providerToken, key: state.key('rx-check') });
    note(`checks (allergies, duplicate therapy, interactions): ${checked.body.status}, ${checked.body.findings.length} finding(s) ${excerpt(checked.body.findings, 160)}`);
    const overrides = (checked.body.findings as { findingId: string; severity: string }[])
      .filter((f) => f.severity !== 'hard-stop')
      .map((f) => ({ findingId: f.findingId, reason: 'Reviewed with the patient during the visit' }));
    const signed = await call('POST', `${route}/sign`, { token: providerToken, key: state.key('rx-sign'), body: { overrides, ...scriptParties(state) } });
    note(`signed and ${signed.body.status} to NCPDP ${signed.body.pharmacyNcpdpId} (${pharmacy.name}, the patient's preferred pharmacy)`);
  },
};

/** The parties of the SCRIPT NewRx: the patient as the prescriber's chart has them (synthetic) and the practice. */
function scriptParties(state: TourState) {
  const { provider, pharmacy } = state.plan;
  const clinic = provider.clinicAddress ?? { line1: '1 Telehealth Way', city: pharmacy.address.city, state: pharmacy.address.state, postalCode: pharmacy.address.postalCode };
  // Seeded names read "Dr. Amara Okafor (family medicine)".
  const [firstName = 'Provider', lastName = 'Provider'] = provider.name.replace(/^Dr\.\s*/, '').replace(/\s*\(.*\)$/, '').split(' ');
  return {
    patient: { lastName: 'Tour', firstName: 'Patient', gender: 'U', dateOfBirth: '1970-01-01', address: null, phone: null },
    prescriber: { lastName, firstName, address: { line: [clinic.line1], city: clinic.city, state: clinic.state, postalCode: clinic.postalCode }, phone: '212-555-0100', fax: null },
  };
}

const pharmacyToken = (state: TourState) => token('pharmacy', state.plan.pharmacy.pharmacyId, `&pharmacyId=${state.plan.pharmacy.pharmacyId}`);

type InboxMessage = { type: string; subject?: string; xml: string; scriptVersion: string; offset: string; partition: number };

export const pharmacyReceivesNewRx: TourStep = {
  title: (state) => `The pharmacy's consumer receives the NewRx on the pharmacy topic (${state.plan.pharmacy.name})`,
  async run(state, note) {
    const { pharmacy } = state.plan;
    const bearer = await pharmacyToken(state);
    const received = await waitFor(`the SCRIPT NewRx keyed ${pharmacy.ncpdpId} at the demo pharmacy (GET /dev/pharmacies/${pharmacy.ncpdpId}/messages)`, async () => {
      const inbox = await call('GET', `/dev/pharmacies/${pharmacy.ncpdpId}/messages`);
      return (inbox.body.messages as InboxMessage[]).find((m) => m.type === scriptEventType('NewRx') && m.subject === state.prescriptionId);
    });
    const m = received.value;
    note(`received after ${seconds(received.waitedMs)}: ${m.type}, SCRIPT ${m.scriptVersion} XML (partition ${m.partition}, offset ${m.offset})`);
    note(`body: ${m.xml.slice(0, 240)}…`);
    const mine = await call('GET', '/prescriptions/v1/prescriptions', { token: bearer });
    const listed = (mine.body.items as { rx: { prescriptionId: string } }[]).some((v) => v.rx.prescriptionId === state.prescriptionId);
    if (!listed) throw new TourFailure('the prescription is not in the pharmacy\u2019s list (GET /prescriptions/v1/prescriptions as the pharmacy)');
    const full = await call('GET', `/prescriptions/v1/prescriptions/${state.prescriptionId}`, { token: bearer });
    note(`the pharmacy reads the sig from the API (read audited): "${full.body.rx.sig}", status ${full.body.status}`);
  },
};

export const pharmacyFills: TourStep = {
  title: 'The pharmacy fills it (NCPDP RxFill through the prescriptions REST API)',
  async run(state, note) {
    const { prescriptionId } = state;
    const filled = await call('POST', `/prescriptions/v1/prescriptions/${prescriptionId}/pharmacy-messages`, {
      token: await pharmacyToken(state),
      key: state.key('rx-fill'),
      expect: [202],
      body: { kind: 'RxFill', messageId: `fill-${state.runKey}`, fillStatus: 'dispensed', quantityDispensed: 30 },
    });
    note(`RxFill dispensed: prescription ${filled.body.status}`);
    const seen = await call('GET', `/prescriptions/v1/prescriptions/${prescriptionId}`, { token: await token('patient', state.patientId) });
    note(`the patient sees it ${seen.body.status}`);
    if (state.services.has('monitoring')) {
      const fill = await waitFor('monitoring to record the fill (PrescriptionFillRecorded on the bus)', async () => {
        const adherence = await call('GET', `/monitoring/v1/patients/${state.patientId}/adherence`, { token: state.plan.providerToken });
        return (adherence.body.activeFills as { prescriptionId: string }[]).find((f) => f.prescriptionId === prescriptionId);
      });
      note(`monitoring's adherence view shows the fill after ${seconds(fill.waitedMs)}: ${excerpt(fill.value)}`);
    }
  },
};
