import { DeciderSpecification } from '@carebridge/event-store';
import type { DomainError } from '@carebridge/shared-kernel';
import { IncompleteNewRxError } from './drafting.rules';
import { decide, evolve, initialState, prescriptionDecider, type PrescriptionCommand } from './prescription.decider';
import type { ClinicalFinding } from './prescription.events';
import {
  after2026,
  amoxicillin,
  buprenorphine,
  checked,
  DEA,
  dispensed,
  drafted,
  epcsCredential,
  flexibilityDate,
  ids,
  meta,
  oxycodone,
  pharmacy,
  signatureOf,
  signedAndTransmitted,
} from './prescription.fixtures';
import type { EpcsCredential } from './epcs-signing.rules';
import type { PrescriptionDraftedData } from './prescription.events';

const spec = DeciderSpecification.for(prescriptionDecider);
const code = (expected: string) => (error: Error) => (error as DomainError).code === expected;

const draft = (data = amoxicillin, m = meta()): PrescriptionCommand => ({ type: 'DraftPrescription', data, metadata: m });
const check = (allergies: any[] = [], activeMedications: any[] = [], m = meta()): PrescriptionCommand => ({
  type: 'CheckPrescription',
  data: { allergies, activeMedications },
  metadata: m,
});
const sign = (
  overrides: { findingId: string; reason: string }[] = [],
  secondFactor: { method: 'totp'; verifiedAt: string; enrolledAt: string } | null = null,
  m = meta(),
  pharmacyData = pharmacy,
  rx: PrescriptionDraftedData = amoxicillin,
  credential: EpcsCredential | null = epcsCredential,
): PrescriptionCommand => ({
  type: 'SignPrescription',
  data: { overrides, secondFactor, pharmacy: pharmacyData, epcsCredential: credential, recordSignature: signatureOf(rx, m.now, m.actor.id) },
  metadata: m,
});
const otp = { method: 'totp' as const, verifiedAt: flexibilityDate.toISOString(), enrolledAt: '2026-10-01T09:00:00.000Z' };
const pharmacyMessage = (data: any, m = meta('pharmacy', ids.pharmacy)): PrescriptionCommand => ({ type: 'RecordPharmacyMessage', data, metadata: m });
const cancel = (reason = 'patient reported the symptoms resolved', m = meta()): PrescriptionCommand => ({ type: 'CancelPrescription', data: { reason }, metadata: m });

describe('prescription decider', () => {
  describe('when nothing exists', () => {
    it('drafts a complete NewRx', () => {
      spec.given([]).when(draft()).then([drafted({ ...amoxicillin, origin: 'prescriber' })]);
    });

    it('refuses a draft by someone other than the named prescriber', () => {
      spec.given([]).when(draft(amoxicillin, meta('provider', ids.otherProvider))).thenThrows(code('PRESCRIPTION.NOT_PRESCRIBER'));
    });

    it('names every missing NewRx element', () => {
      const incomplete = { ...amoxicillin, sig: ' ', quantity: { value: 0, unit: '' }, medication: { ...amoxicillin.medication, strength: '' } };
      spec.given([]).when(draft(incomplete)).thenThrows(IncompleteNewRxError, (error) => {
        expect(error.fields.map((f) => f.field)).toEqual(['medication.strength', 'sig', 'quantity.value', 'quantity.unit']);
      });
    });

    it('refuses an NPI with a wrong check digit', () => {
      spec
        .given([])
        .when(draft({ ...amoxicillin, prescriber: { ...amoxicillin.prescriber, npi: '1234567890' } }))
        .thenThrows(IncompleteNewRxError, (error) => expect(error.fields[0]!.field).toBe('prescriber.npi'));
    });

    it('requires a DEA number for a controlled medication (21 CFR 1306.05(a))', () => {
      spec
        .given([])
        .when(draft({ ...oxycodone, prescriber: { ...oxycodone.prescriber, deaNumber: null } }))
        .thenThrows(IncompleteNewRxError, (error) => expect(error.fields.map((f) => f.field)).toEqual(['prescriber.deaNumber']));
    });

    it('refuses a DEA number with a wrong check digit', () => {
      spec
        .given([])
        .when(draft({ ...oxycodone, prescriber: { ...oxycodone.prescriber, deaNumber: 'AB1234567' } }))
        .thenThrows(IncompleteNewRxError, (error) => expect(error.fields[0]!.message).toMatch(/not a valid DEA/));
    });

    it('refuses refills on a schedule II medication (21 CFR 1306.12(a))', () => {
      spec
        .given([])
        .when(draft({ ...oxycodone, refills: 1 }))
        .thenThrows(IncompleteNewRxError, (error) => expect(error.fields[0]!.field).toBe('refills'));
    });

    it('refuses more than five refills on schedule III (21 CFR 1306.22(a))', () => {
      spec
        .given([])
        .when(draft({ ...buprenorphine, refills: 6 }))
        .thenThrows(IncompleteNewRxError, (error) => expect(error.fields[0]!.field).toBe('refills'));
    });

    it('has nothing to check', () => {
      spec.given([]).when(check()).thenThrows(code('PRESCRIPTION.NOT_FOUND'));
    });
  });

  describe('when drafted', () => {
    it('records no findings for a patient with no allergies or active medications', () => {
      spec.given([drafted()]).when(check()).then([checked([])]);
    });

    it('records a high-criticality allergy as a hard stop', () => {
      spec
        .given([drafted()])
        .when(check([{ rxcui: '723', display: 'amoxicillin', criticality: 'high' }]))
        .then([
          checked([
            {
              findingId: 'allergy:723',
              kind: 'allergy',
              severity: 'hard-stop',
              detail: 'recorded allergy to amoxicillin (criticality high)',
              source: 'patient allergy list',
            },
          ]),
        ]);
    });

    it('records a low-criticality allergy as overridable', () => {
      spec
        .given([drafted()])
        .when(check([{ rxcui: '723', display: 'amoxicillin', criticality: 'low' }]))
        .then([
          checked([
            { findingId: 'allergy:723', kind: 'allergy', severity: 'overridable', detail: 'recorded allergy to amoxicillin (criticality low)', source: 'patient allergy list' },
          ]),
        ]);
    });

    it('records duplicate therapy against an active prescription with the same ingredient', () => {
      spec
        .given([drafted()])
        .when(check([], [{ prescriptionId: ids.activeRx, name: 'amoxicillin 250 MG', ingredientRxcuis: ['723'] }]))
        .then([
          checked([
            {
              findingId: `duplicate:${ids.activeRx}`,
              kind: 'duplicate-therapy',
              severity: 'overridable',
              detail: 'same ingredient as active prescription amoxicillin 250 MG',
              source: `active prescription ${ids.activeRx}`,
            },
          ]),
        ]);
    });

    it('records an opioid with an active benzodiazepine as an overridable interaction citing the FDA', () => {
      const result = decide(
        check([], [{ prescriptionId: ids.activeRx, name: 'alprazolam 0.5 MG', ingredientRxcuis: ['596'] }]),
        prescriptionDecider.evolve(prescriptionDecider.initialState(), drafted(oxycodone)),
      );
      const findings = (result as any)[0].data.findings as ClinicalFinding[];
      expect(findings).toHaveLength(1);
      expect(findings[0]).toMatchObject({ kind: 'interaction', severity: 'overridable', source: expect.stringMatching(/FDA Drug Safety Communication, 2016-08-31/) });
    });

    it('refuses to sign before the checks ran', () => {
      spec.given([drafted()]).when(sign()).thenThrows(code('PRESCRIPTION.NOT_CHECKED'));
    });

    it('lets only the prescriber run the checks', () => {
      spec.given([drafted()]).when(check([], [], meta('provider', ids.otherProvider))).thenThrows(code('PRESCRIPTION.NOT_PRESCRIBER'));
    });

    it('cancels without asking a pharmacy', () => {
      spec
        .given([drafted()])
        .when(cancel())
        .then([{ type: 'PrescriptionCancelled', data: { prescriptionId: ids.prescription, reason: 'patient reported the symptoms resolved', pharmacyConfirmed: false } }]);
    });
  });

  describe('when checked', () => {
    const hardStop: ClinicalFinding = { findingId: 'allergy:723', kind: 'allergy', severity: 'hard-stop', detail: 'recorded allergy to amoxicillin', source: 'x' };
    const duplicate: ClinicalFinding = { findingId: 'duplicate:x', kind: 'duplicate-therapy', severity: 'overridable', detail: 'dup', source: 'x' };

    it('signs and transmits to the chosen pharmacy', () => {
      spec.given([drafted(), checked()]).when(sign()).then(signedAndTransmitted());
    });

    it('refuses to sign over a hard stop', () => {
      spec.given([drafted(), checked([hardStop])]).when(sign([{ findingId: 'allergy:723', reason: 'I know' }])).thenThrows(code('PRESCRIPTION.HARD_STOP'));
    });

    it('refuses to sign over an overridable finding without a reason', () => {
      spec.given([drafted(), checked([duplicate])]).when(sign()).thenThrows(code('PRESCRIPTION.OVERRIDE_REASON_REQUIRED'));
    });

    it('records the override reason when signing over an overridable finding', () => {
      const [signed] = decide(sign([{ findingId: 'duplicate:x', reason: 'switching strength' }]) as any, {
        status: 'checked',
        rx: amoxicillin,
        findings: [duplicate],
      });
      expect((signed as any).data.overrides).toEqual([{ findingId: 'duplicate:x', reason: 'switching strength' }]);
    });

    it('lets only the prescriber sign', () => {
      spec.given([drafted(), checked()]).when(sign([], null, meta('provider', ids.otherProvider))).thenThrows(code('PRESCRIPTION.NOT_PRESCRIBER'));
    });

    it('refuses a pharmacy that does not accept e-prescriptions', () => {
      spec.given([drafted(), checked()]).when(sign([], null, meta(), { ...pharmacy, acceptsEPrescribing: false })).thenThrows(code('PRESCRIPTION.PHARMACY_NOT_E_PRESCRIBING'));
    });

    it('refuses a controlled prescription without the second factor (21 CFR 1311.140(a)(5))', () => {
      spec.given([drafted(oxycodone), checked()]).when(sign([], null, meta(), pharmacy, oxycodone)).thenThrows((e: DomainError) => e.code === 'PRESCRIPTION.SECOND_FACTOR_REQUIRED' && e.kind === 'forbidden');
    });

    it('records the second factor, DEA number and policy rule for a controlled prescription', () => {
      const [signed] = decide(sign([], otp, meta(), pharmacy, oxycodone) as any, { status: 'checked', rx: oxycodone, findings: [] });
      expect((signed as any).data.controlledSubstance).toEqual({
        deaSchedule: 'II',
        deaNumber: DEA,
        secondFactor: otp,
        telemedicinePolicy: { ruleSetId: 'dea-hhs-telemedicine-flexibilities-through-2026', ruleId: 'audio-video-schedule-ii-v' },
        epcs: {
          identityProofing: { credentialServiceProvider: 'Example CSP', assuranceLevel: 'IAL2', reference: 'csp-proof-1', proofedOn: '2026-10-01' },
          accessApprovedBy: ['ops-1', ids.otherProvider],
          accessGrantedAt: '2026-10-02T11:00:00.000Z',
          deaRegistration: { deaNumber: DEA, state: 'IL', expiresOn: '2027-12-31', schedules: ['II', 'III', 'IV', 'V'] },
        },
      });
    });

    it('allows schedule III for opioid use disorder by audio-only under the flexibilities', () => {
      const [signed] = decide(sign([], otp, meta(), pharmacy, buprenorphine) as any, { status: 'checked', rx: buprenorphine, findings: [] });
      expect((signed as any).data.controlledSubstance.telemedicinePolicy.ruleId).toBe('audio-only-oud-schedule-iii-v');
    });

    it('refuses schedule II by audio-only under the flexibilities', () => {
      spec
        .given([drafted({ ...oxycodone, encounter: { modality: 'audio-only', priorInPersonEvaluation: false, indication: null, patientLocationState: 'IL' } }), checked()])
        .when(sign([], otp, meta(), pharmacy, { ...oxycodone, encounter: { modality: 'audio-only', priorInPersonEvaluation: false, indication: null, patientLocationState: 'IL' } }))
        .thenThrows(code('PRESCRIPTION.TELEMEDICINE_POLICY'));
    });

    it('refuses schedule II by audio-video without a prior in-person evaluation after 2026-12-31', () => {
      spec.given([drafted(oxycodone), checked()]).when(sign([], otp, meta('provider', ids.prescriber, after2026), pharmacy, oxycodone)).thenThrows(code('PRESCRIPTION.TELEMEDICINE_POLICY'));
    });

    it('allows schedule II by audio-video after a prior in-person evaluation after 2026-12-31', () => {
      const rx = { ...oxycodone, encounter: { modality: 'audio-video' as const, priorInPersonEvaluation: true, indication: null, patientLocationState: 'IL' } };
      const [signed] = decide(sign([], otp, meta('provider', ids.prescriber, after2026), pharmacy, rx) as any, { status: 'checked', rx, findings: [] });
      expect((signed as any).data.controlledSubstance.telemedicinePolicy).toEqual({
        ruleSetId: 'ryan-haight-baseline-from-2027',
        ruleId: 'telemedicine-after-in-person-evaluation',
      });
    });

    it('does not require a second factor for a medication that is not controlled', () => {
      spec.given([drafted(), checked()]).when(sign([], null)).then(signedAndTransmitted());
    });
  });

  describe('when transmitted', () => {
    const given = () => [drafted(), checked(), ...signedAndTransmitted()];

    it('records a pharmacy Status acknowledgement', () => {
      spec
        .given(given())
        .when(pharmacyMessage({ kind: 'Status', messageId: 'm-1' }))
        .then([{ type: 'PharmacyAcknowledged', data: { prescriptionId: ids.prescription, messageId: 'm-1', acknowledgement: 'Status' } }]);
    });

    it('records a fill once even when the pharmacy sends it twice', () => {
      spec
        .given([...given(), dispensed])
        .when(pharmacyMessage({ kind: 'RxFill', messageId: 'fill-1', fillStatus: 'dispensed', quantityDispensed: 30, reason: null }))
        .thenNothingHappens();
    });

    it('records a fill reported by the pharmacy', () => {
      spec
        .given(given())
        .when(pharmacyMessage({ kind: 'RxFill', messageId: 'fill-1', fillStatus: 'dispensed', quantityDispensed: 30, reason: null }))
        .then([dispensed]);
    });

    it('records a change request from the pharmacy', () => {
      spec
        .given(given())
        .when(pharmacyMessage({ kind: 'RxChangeRequest', messageId: 'chg-1', changeType: 'prior-authorization', detail: 'PA required by plan' }))
        .then([
          {
            type: 'ChangeRequested',
            data: { prescriptionId: ids.prescription, messageId: 'chg-1', changeRequestId: 'chg-1', changeType: 'prior-authorization', detail: 'PA required by plan' },
          },
        ]);
    });

    it('sends a CancelRx rather than cancelling at once', () => {
      spec.given(given()).when(cancel()).then([{ type: 'CancelRequested', data: { prescriptionId: ids.prescription, pharmacyNcpdpId: '1234567', reason: 'patient reported the symptoms resolved' } }]);
    });

    it('cancels when the pharmacy approves the CancelRx', () => {
      spec
        .given([...given(), { type: 'CancelRequested', data: { prescriptionId: ids.prescription, pharmacyNcpdpId: '1234567', reason: 'r' } }])
        .when(pharmacyMessage({ kind: 'CancelRxResponse', messageId: 'cx-1', approved: true, reason: null }))
        .then([
          { type: 'CancelResponded', data: { prescriptionId: ids.prescription, messageId: 'cx-1', decision: 'approved', reason: null } },
          { type: 'PrescriptionCancelled', data: { prescriptionId: ids.prescription, reason: 'r', pharmacyConfirmed: true } },
        ]);
    });

    it('stays active when the pharmacy denies the CancelRx', () => {
      spec
        .given([
          ...given(),
          { type: 'CancelRequested', data: { prescriptionId: ids.prescription, pharmacyNcpdpId: '1234567', reason: 'r' } },
          { type: 'CancelResponded', data: { prescriptionId: ids.prescription, messageId: 'cx-1', decision: 'denied', reason: 'already picked up' } },
        ])
        .when(pharmacyMessage({ kind: 'Status', messageId: 'm-2' }))
        .then([{ type: 'PharmacyAcknowledged', data: { prescriptionId: ids.prescription, messageId: 'm-2', acknowledgement: 'Status' } }]);
    });

    it('records a renewal request from the patient', () => {
      spec
        .given(given())
        .when({ type: 'RequestRenewal', data: { renewalRequestId: 'r-1', note: null }, metadata: meta('patient', ids.patient) })
        .then([{ type: 'RenewalRequested', data: { prescriptionId: ids.prescription, renewalRequestId: 'r-1', requestedBy: 'patient', note: null } }]);
    });

    it('takes a renewal request from the patient of patient_id, whoever signed in (sub), and not from sub alone (issue 14)', () => {
      const caregiver = { ...meta('patient', 'caregiver-account'), actor: { id: 'caregiver-account', role: 'patient' as const, patientId: ids.patient } };
      spec
        .given(given())
        .when({ type: 'RequestRenewal', data: { renewalRequestId: 'r-1', note: null }, metadata: caregiver })
        .then([{ type: 'RenewalRequested', data: { prescriptionId: ids.prescription, renewalRequestId: 'r-1', requestedBy: 'patient', note: null } }]);
      const subOnly = { ...meta('patient', ids.patient), actor: { id: ids.patient, role: 'patient' as const } };
      spec
        .given(given())
        .when({ type: 'RequestRenewal', data: { renewalRequestId: 'r-1', note: null }, metadata: subOnly })
        .thenThrows(code('PRESCRIPTION.NOT_PATIENT'));
    });

    it('refuses a renewal request from another patient', () => {
      spec
        .given(given())
        .when({ type: 'RequestRenewal', data: { renewalRequestId: 'r-1', note: null }, metadata: meta('patient', ids.otherProvider) })
        .thenThrows(code('PRESCRIPTION.NOT_PATIENT'));
    });

    it('records an RxRenewalRequest from the pharmacy', () => {
      spec
        .given(given())
        .when(pharmacyMessage({ kind: 'RxRenewalRequest', messageId: 'rr-1', note: null }))
        .then([{ type: 'RenewalRequested', data: { prescriptionId: ids.prescription, renewalRequestId: 'rr-1', requestedBy: 'pharmacy', note: null } }]);
    });
  });

  describe('when a renewal is pending', () => {
    const given = () => [
      drafted(),
      checked(),
      ...signedAndTransmitted(),
      dispensed,
      { type: 'RenewalRequested' as const, data: { prescriptionId: ids.prescription, renewalRequestId: 'r-1', requestedBy: 'patient' as const, note: null } },
    ];
    const respond = (data: any, m = meta()): PrescriptionCommand => ({ type: 'RespondToRenewal', data, metadata: m });

    it('approves with refills', () => {
      spec
        .given(given())
        .when(respond({ renewalRequestId: 'r-1', decision: 'approved', refillsAuthorized: 2 }))
        .then([
          {
            type: 'RenewalResponded',
            data: { prescriptionId: ids.prescription, renewalRequestId: 'r-1', pharmacyNcpdpId: '1234567', decision: 'approved', refillsAuthorized: 2, replacementPrescriptionId: null, reason: null },
          },
        ]);
    });

    it('denies with a reason', () => {
      spec
        .given(given())
        .when(respond({ renewalRequestId: 'r-1', decision: 'denied', reason: 'needs a follow-up visit' }))
        .then([
          {
            type: 'RenewalResponded',
            data: { prescriptionId: ids.prescription, renewalRequestId: 'r-1', pharmacyNcpdpId: '1234567', decision: 'denied', refillsAuthorized: 0, replacementPrescriptionId: null, reason: 'needs a follow-up visit' },
          },
        ]);
    });

    it('refuses a denial without a reason', () => {
      spec.given(given()).when(respond({ renewalRequestId: 'r-1', decision: 'denied', reason: ' ' })).thenThrows(code('PRESCRIPTION.DENIAL_REASON_REQUIRED'));
    });

    it('refuses an answer from another provider', () => {
      spec
        .given(given())
        .when(respond({ renewalRequestId: 'r-1', decision: 'approved', refillsAuthorized: 1 }, meta('provider', ids.otherProvider)))
        .thenThrows(code('PRESCRIPTION.NOT_PRESCRIBER'));
    });

    it('refuses an answer to an unknown request', () => {
      spec.given(given()).when(respond({ renewalRequestId: 'r-9', decision: 'approved', refillsAuthorized: 1 })).thenThrows(code('PRESCRIPTION.RENEWAL_NOT_FOUND'));
    });
  });

  describe('when controlled schedule II and transmitted', () => {
    it('refuses a renewal request (21 CFR 1306.12(a))', () => {
      spec
        .given([drafted(oxycodone), checked(), ...signedAndTransmitted(flexibilityDate, oxycodone)])
        .when({ type: 'RequestRenewal', data: { renewalRequestId: 'r-1', note: null }, metadata: meta('patient', ids.patient) })
        .thenThrows(code('PRESCRIPTION.RENEWAL_NOT_PERMITTED'));
    });
  });

  describe('when dispensed', () => {
    it('refuses a cancel', () => {
      spec.given([drafted(), checked(), ...signedAndTransmitted(), dispensed]).when(cancel()).thenThrows((e: DomainError) => e.code === 'PRESCRIPTION.ALREADY_DISPENSED' && e.kind === 'conflict');
    });
  });

  describe('when cancelled', () => {
    it('refuses to sign', () => {
      spec
        .given([drafted(), { type: 'PrescriptionCancelled', data: { prescriptionId: ids.prescription, reason: 'r', pharmacyConfirmed: false } }])
        .when(sign())
        .thenThrows(code('PRESCRIPTION.INVALID_TRANSITION'));
    });

    it('refuses a pharmacy message', () => {
      spec
        .given([drafted(), { type: 'PrescriptionCancelled', data: { prescriptionId: ids.prescription, reason: 'r', pharmacyConfirmed: false } }])
        .when(pharmacyMessage({ kind: 'Status', messageId: 'm' }))
        .thenThrows(code('PRESCRIPTION.INVALID_TRANSITION'));
    });
  });

  describe('when controlled schedule III and dispensed, with a renewal pending', () => {
    const given = (refills = 0) => [
      drafted({ ...buprenorphine, refills }),
      checked(),
      ...signedAndTransmitted(flexibilityDate, { ...buprenorphine, refills }),
      dispensed,
      { type: 'RenewalRequested' as const, data: { prescriptionId: ids.prescription, renewalRequestId: 'r-1', requestedBy: 'patient' as const, note: null } },
    ];
    const approve = (refillsAuthorized: number, now = flexibilityDate): PrescriptionCommand => ({
      type: 'RespondToRenewal',
      data: { renewalRequestId: 'r-1', decision: 'approved', refillsAuthorized },
      metadata: meta('provider', ids.prescriber, now),
    });

    it('refuses refills beyond five in total (21 CFR 1306.22(a))', () => {
      spec.given(given(4)).when(approve(2)).thenThrows(code('PRESCRIPTION.REFILLS_EXCEED_SCHEDULE_LIMIT'));
    });

    it('refuses refills more than six months after issue (21 CFR 1306.22(a))', () => {
      spec.given(given()).when(approve(1, new Date('2027-05-23T15:00:00Z'))).thenThrows(code('PRESCRIPTION.REFILL_WINDOW_CLOSED'));
    });

    it('approves refills within five in total and six months', () => {
      spec
        .given(given(4))
        .when(approve(1, new Date('2027-05-22T15:00:00Z')))
        .then([
          {
            type: 'RenewalResponded',
            data: { prescriptionId: ids.prescription, renewalRequestId: 'r-1', pharmacyNcpdpId: '1234567', decision: 'approved', refillsAuthorized: 1, replacementPrescriptionId: null, reason: null },
          },
        ]);
    });
  });
});

describe('prescription decider: EPCS credential when signing schedule II-V (21 CFR 1311.105, 1311.125)', () => {
  const signOxycodone = (credential: EpcsCredential | null, m = meta()) => sign([], otp, m, pharmacy, oxycodone, credential);
  const refuses = (credential: EpcsCredential | null, expected: string) =>
    spec.given([drafted(oxycodone), checked()]).when(signOxycodone(credential)).thenThrows((e: DomainError) => e.code === expected && e.kind === 'forbidden');

  it('refuses a prescriber with no credential on record, naming identity proofing first and listing every gap', () => {
    spec
      .given([drafted(oxycodone), checked()])
      .when(signOxycodone(null))
      .thenThrows((e: DomainError) => {
        expect(e.code).toBe('PRESCRIPTION.EPCS_IDENTITY_NOT_PROOFED');
        expect(e.details.missing).toEqual(['PRESCRIPTION.EPCS_IDENTITY_NOT_PROOFED', 'PRESCRIPTION.EPCS_ACCESS_NOT_GRANTED', 'PRESCRIPTION.DEA_REGISTRATION_NOT_FOUND']);
        return true;
      });
  });

  it('refuses without identity proofing', () => {
    refuses({ ...epcsCredential, identityProofing: null }, 'PRESCRIPTION.EPCS_IDENTITY_NOT_PROOFED');
  });

  it('refuses without an active two-person access grant', () => {
    refuses({ ...epcsCredential, accessGrant: null }, 'PRESCRIPTION.EPCS_ACCESS_NOT_GRANTED');
  });

  it('refuses when the DEA number on the prescription is not a registration of the prescriber', () => {
    refuses({ ...epcsCredential, deaRegistrations: [{ ...epcsCredential.deaRegistrations[0]!, deaNumber: 'BC2345672' }] }, 'PRESCRIPTION.DEA_REGISTRATION_NOT_FOUND');
  });

  it('refuses a DEA registration expired before the signing date', () => {
    refuses({ ...epcsCredential, deaRegistrations: [{ ...epcsCredential.deaRegistrations[0]!, expiresOn: '2026-11-21' }] }, 'PRESCRIPTION.DEA_REGISTRATION_EXPIRED');
  });

  describe('where the patient is (a DEA registration is per state)', () => {
    const signWith = (encounter: PrescriptionDraftedData['encounter']) => {
      const rx = { ...oxycodone, encounter };
      return spec.given([drafted(rx), checked()]).when(sign([], otp, meta(), pharmacy, rx, epcsCredential));
    };

    it('refuses by telemedicine when the patient is in a state without the registration', () => {
      signWith({ ...oxycodone.encounter, patientLocationState: 'WI' }).thenThrows((e: DomainError) => {
        expect(e.code).toBe('PRESCRIPTION.DEA_REGISTRATION_STATE_MISMATCH');
        expect(e.message).toContain('is for IL; the patient is in WI');
        return true;
      });
    });

    it('refuses by telemedicine when where the patient is was not recorded', () => {
      const { patientLocationState: _unknown, ...encounter } = oxycodone.encounter;
      signWith(encounter).thenThrows((e: DomainError) => e.code === 'PRESCRIPTION.PATIENT_LOCATION_UNKNOWN' && e.kind === 'forbidden');
    });

    it('does not ask in person (the prescriber is where they practise), but checks a recorded state', () => {
      const inPerson = { modality: 'in-person' as const, priorInPersonEvaluation: true, indication: null };
      const rx = { ...oxycodone, encounter: inPerson };
      const [signed] = decide(sign([], otp, meta(), pharmacy, rx, epcsCredential) as any, { status: 'checked', rx, findings: [] });
      expect(signed!.type).toBe('PrescriptionSigned');
      signWith({ ...inPerson, patientLocationState: 'IN' }).thenThrows((e: DomainError) => e.code === 'PRESCRIPTION.DEA_REGISTRATION_STATE_MISMATCH');
    });
  });

  it('accepts a DEA registration expiring on the signing date', () => {
    const credential = { ...epcsCredential, deaRegistrations: [{ ...epcsCredential.deaRegistrations[0]!, expiresOn: '2026-11-22' }] };
    const [signed] = decide(signOxycodone(credential) as any, { status: 'checked', rx: oxycodone, findings: [] });
    expect(signed!.type).toBe('PrescriptionSigned');
  });

  it('refuses a DEA registration that does not authorise the schedule', () => {
    refuses({ ...epcsCredential, deaRegistrations: [{ ...epcsCredential.deaRegistrations[0]!, schedules: ['III', 'IV', 'V'] }] }, 'PRESCRIPTION.DEA_SCHEDULE_NOT_AUTHORISED');
  });

  it('refuses an authenticator enrolled after the access grant (a new grant is needed)', () => {
    spec
      .given([drafted(oxycodone), checked()])
      .when(sign([], { ...otp, enrolledAt: '2026-11-01T00:00:00.000Z' }, meta(), pharmacy, oxycodone))
      .thenThrows(code('PRESCRIPTION.EPCS_TOKEN_ENROLLED_AFTER_GRANT'));
  });

  it('checks the credential before the second factor', () => {
    spec
      .given([drafted(oxycodone), checked()])
      .when(sign([], null, meta(), pharmacy, oxycodone, { ...epcsCredential, accessGrant: null }))
      .thenThrows(code('PRESCRIPTION.EPCS_ACCESS_NOT_GRANTED'));
  });

  it('signs a medication that is not controlled without any credential', () => {
    spec.given([drafted(), checked()]).when(sign([], null, meta(), pharmacy, amoxicillin, null)).then(signedAndTransmitted());
  });
});

describe('prescription decider: record signature (21 CFR 1311.120(b))', () => {
  it('records the signature made over exactly the content signed', () => {
    const [signed] = decide(sign() as any, { status: 'checked', rx: amoxicillin, findings: [] });
    expect((signed as any).data.recordSignature).toEqual(signatureOf(amoxicillin).signature);
  });

  it('refuses a signature over other content (the draft changed between read and append)', () => {
    spec
      .given([drafted({ ...amoxicillin, daysSupply: 7 }), checked()])
      .when(sign())
      .thenThrows(code('PRESCRIPTION.SIGNED_CONTENT_CHANGED'));
  });

  it('refuses a signature made for another signing time', () => {
    const stale = { ...(sign() as any), data: { ...(sign() as any).data, recordSignature: signatureOf(amoxicillin, new Date('2026-11-22T14:59:00Z')) } };
    spec.given([drafted(), checked()]).when(stale).thenThrows(code('PRESCRIPTION.SIGNED_CONTENT_CHANGED'));
  });
});

describe('prescription decider: controlled-substance table', () => {
  // A draft from a visit's intent: no schedule, no DEA number, no strength yet.
  const fromIntent: PrescriptionDraftedData = {
    ...amoxicillin,
    visitId: '6f1c1f64-0d8b-4b7e-9a57-0a3b5f3c0009',
    prescriber: { providerId: ids.prescriber, npi: '', deaNumber: null },
    medication: { rxnormCode: '1049621', name: 'oxycodone hydrochloride 5 MG Oral Tablet', strength: '', doseForm: '', ingredientRxcuis: [], deaSchedule: null },
    sig: '',
  };
  const oxycodoneTable = { tableVersion: 'carebridge-csa-2026-11-22', matchedRxcui: '1049621', tableSchedule: 'II' as const, loweredReason: null };
  const draftedData = (events: unknown[]) => (events[0] as { data: PrescriptionDraftedData }).data;

  it("sets the table's schedule on a draft from a visit's intent", () => {
    spec
      .given([])
      .when(draft(fromIntent, meta('system', 'visits')))
      .then([drafted({ ...fromIntent, medication: { ...fromIntent.medication, deaSchedule: 'II' }, controlledSubstanceTable: oxycodoneTable, origin: 'visit-intent' })]);
  });

  it('then requires a DEA number before the checks, as for any controlled draft', () => {
    const withSchedule = { ...fromIntent, medication: { ...fromIntent.medication, deaSchedule: 'II' as const }, controlledSubstanceTable: oxycodoneTable };
    spec
      .given([drafted(withSchedule)])
      .when(check())
      .thenThrows(IncompleteNewRxError, (error) => expect(error.fields.map((f) => f.field)).toContain('prescriber.deaNumber'));
  });

  it('sets the schedule when the prescriber leaves it empty', () => {
    const events = decide(draft({ ...oxycodone, medication: { ...oxycodone.medication, deaSchedule: null } }), initialState());
    expect(draftedData(events).medication.deaSchedule).toBe('II');
  });

  it('refuses a lower schedule than the table without a reason', () => {
    spec
      .given([])
      .when(draft({ ...oxycodone, medication: { ...oxycodone.medication, deaSchedule: 'IV' } }))
      .thenThrows(code('PRESCRIPTION.SCHEDULE_BELOW_TABLE'));
  });

  it('records a lower schedule with the reason given', () => {
    const command = draft({ ...oxycodone, medication: { ...oxycodone.medication, deaSchedule: 'III' } });
    const events = decide({ ...command, data: { ...(command.data as object), deaScheduleLoweredReason: 'exempted combination product' } } as PrescriptionCommand, initialState());
    expect(draftedData(events).medication.deaSchedule).toBe('III');
    expect(draftedData(events).controlledSubstanceTable).toEqual({ ...oxycodoneTable, loweredReason: 'exempted combination product' });
    expect(draftedData(events)).not.toHaveProperty('deaScheduleLoweredReason');
  });

  it('keeps a stricter schedule than the table (state law may schedule higher)', () => {
    const rx = { ...buprenorphine, medication: { ...buprenorphine.medication, deaSchedule: 'II' as const }, refills: 0 };
    const events = decide(draft(rx), initialState());
    expect(draftedData(events).medication.deaSchedule).toBe('II');
    expect(draftedData(events).controlledSubstanceTable?.tableSchedule).toBe('III');
  });

  it('matches on an ingredient when the product is not listed, the most restrictive winning', () => {
    const rx = { ...oxycodone, medication: { ...oxycodone.medication, rxnormCode: '999999', ingredientRxcuis: ['596', '7804'], deaSchedule: null } };
    const events = decide(draft(rx), initialState());
    expect(draftedData(events).controlledSubstanceTable).toMatchObject({ matchedRxcui: '7804', tableSchedule: 'II' });
  });

  it('leaves a medication the table does not list as drafted', () => {
    spec.given([]).when(draft()).then([drafted({ ...amoxicillin, origin: 'prescriber' })]);
  });

  it('applies the table when the prescriber revises a draft', () => {
    const revise: PrescriptionCommand = {
      type: 'ReviseDraft',
      data: {
        ...oxycodone,
        medication: { ...oxycodone.medication, deaSchedule: null },
        prescriber: { npi: oxycodone.prescriber.npi, deaNumber: DEA },
      },
      metadata: meta(),
    };
    const events = decide(revise, evolve(initialState(), drafted(fromIntent)));
    expect(draftedData(events).medication.deaSchedule).toBe('II');
  });
});

describe('prescription decider: refusals each with its stable code', () => {
  const transmitted = () => [drafted(), checked(), ...signedAndTransmitted()];
  const changeRequested = {
    type: 'ChangeRequested' as const,
    data: { prescriptionId: ids.prescription, messageId: 'chg-1', changeRequestId: 'chg-1', changeType: 'prior-authorization' as const, detail: 'PA required by plan' },
  };
  const respond = (changeRequestId: string, decision: 'approved' | 'denied', reason: string | null): PrescriptionCommand => ({
    type: 'RespondToChangeRequest',
    data: { changeRequestId, decision, reason },
    metadata: meta(),
  });

  it('refuses to draft a prescription that exists', () => {
    spec.given([drafted()]).when(draft()).thenThrows((e: DomainError) => e.code === 'PRESCRIPTION.ALREADY_EXISTS' && e.kind === 'conflict');
  });

  it('refuses a pharmacy message about a prescription not sent to a pharmacy', () => {
    spec
      .given([drafted(), checked()])
      .when(pharmacyMessage({ kind: 'Status', messageId: 'm-1' }))
      .thenThrows((e: DomainError) => e.code === 'PRESCRIPTION.NOT_TRANSMITTED' && e.kind === 'conflict');
  });

  it('refuses a cancellation without a reason', () => {
    spec.given([drafted()]).when(cancel('  ')).thenThrows((e: DomainError) => e.code === 'PRESCRIPTION.CANCEL_REASON_REQUIRED' && e.kind === 'rule');
  });

  describe('when a change request is pending', () => {
    it('sends the prescriber\u2019s answer to the pharmacy', () => {
      spec
        .given([...transmitted(), changeRequested])
        .when(respond('chg-1', 'approved', null))
        .then([
          {
            type: 'ChangeResponded',
            data: { prescriptionId: ids.prescription, pharmacyNcpdpId: pharmacy.ncpdpId, changeRequestId: 'chg-1', decision: 'approved', reason: null },
          },
        ]);
    });

    it('refuses a denial without a reason', () => {
      spec.given([...transmitted(), changeRequested]).when(respond('chg-1', 'denied', ' ')).thenThrows(code('PRESCRIPTION.DENIAL_REASON_REQUIRED'));
    });

    it('refuses an answer to a change request the pharmacy did not send', () => {
      spec
        .given([...transmitted(), changeRequested])
        .when(respond('chg-9', 'approved', null))
        .thenThrows((e: DomainError) => e.code === 'PRESCRIPTION.CHANGE_REQUEST_NOT_FOUND' && e.kind === 'not-found');
    });
  });
});
