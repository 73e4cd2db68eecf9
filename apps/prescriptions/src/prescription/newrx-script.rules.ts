import type { DeaSchedule, PrescriptionDraftedData } from './prescription.events';

/**
 * NCPDP SCRIPT NewRx as XML, for the two versions in force. Which versions a prescriber may send
 * on a date is a dated rule: both 2017071 and 2023011 until 2027-12-31, only 2023011 from
 * 2028-01-01 (dates from Carebridge issue 5; VERIFY against the CMS Part D e-prescribing
 * standards final rule and the NCPDP SCRIPT Implementation Guide before use).
 *
 * VERIFY before sending to a real network: this renderer was written without the NCPDP XSDs
 * (not available offline). Element names follow the SCRIPT NewRx structure as we know it
 * (Header, Patient, Pharmacy, Prescriber, MedicationPrescribed with DrugCoded, Quantity,
 * DaysSupply, WrittenDate, Substitutions, NumberOfRefills, Sig, Note); the version attribute
 * values, the element differences between 2017071 and 2023011, and the NCI codes below must be
 * checked and the output validated against both schemas.
 */
export type ScriptVersion = '2017071' | '2023011';

/** `from: null`: no start date encoded here (the issue gives none); both are accepted today. */
export const SCRIPT_VERSION_WINDOWS: readonly { readonly version: ScriptVersion; readonly from: string | null; readonly through: string | null }[] = [
  { version: '2017071', from: null, through: '2027-12-31' },
  { version: '2023011', from: null, through: null },
];

export function acceptedScriptVersions(date: Date): ScriptVersion[] {
  const day = date.toISOString().slice(0, 10);
  return SCRIPT_VERSION_WINDOWS.filter((w) => (w.from === null || w.from <= day) && (w.through === null || day <= w.through)).map((w) => w.version);
}

/** The newest version both we and the pharmacy accept on that date, or undefined. */
export function scriptVersionFor(date: Date, pharmacyAccepts: readonly ScriptVersion[]): ScriptVersion | undefined {
  return acceptedScriptVersions(date)
    .filter((v) => pharmacyAccepts.includes(v))
    .sort()
    .at(-1);
}

// VERIFY: NCI thesaurus codes as used by SCRIPT for DEA schedules and units of measure.
const DEA_SCHEDULE_NCI: Readonly<Record<DeaSchedule, string>> = { II: 'C48675', III: 'C48676', IV: 'C48677', V: 'C48679' };
const UNIT_NCI: Readonly<Record<string, string>> = { capsule: 'C48480', tablet: 'C48542' };
const UNSPECIFIED_UNIT_NCI = 'C38046';

export interface NewRxEnvelope {
  readonly version: ScriptVersion;
  readonly messageId: string;
  readonly sentAt: string;
  readonly pharmacy: { readonly ncpdpId: string; readonly npi: string };
  /** Demographics are not held by this service; the caller supplies them from the patient record. */
  readonly patient: { readonly lastName: string; readonly firstName: string; readonly gender: 'M' | 'F' | 'U'; readonly dateOfBirth: string };
  readonly prescriber: { readonly lastName: string; readonly firstName: string };
}

export function renderNewRx(rx: PrescriptionDraftedData, envelope: NewRxEnvelope): string {
  const v = envelope.version === '2017071' ? '20170715' : '20230115';
  const m = rx.medication;
  const el = (name: string, content: string) => `<${name}>${content}</${name}>`;
  const text = (name: string, value: string) => el(name, escapeXml(value));
  const identification = [text('NPI', rx.prescriber.npi), rx.prescriber.deaNumber ? text('DEANumber', rx.prescriber.deaNumber) : ''].join('');
  const drugCoded = [
    el('ProductCode', text('Code', m.rxnormCode) + text('Qualifier', 'RxNorm')),
    el('Strength', text('StrengthValue', m.strength) + el('StrengthForm', text('Code', m.doseForm))),
    m.deaSchedule ? el('DEASchedule', text('Code', DEA_SCHEDULE_NCI[m.deaSchedule])) : '',
  ].join('');
  const medication = [
    text('DrugDescription', `${m.name}`),
    el('DrugCoded', drugCoded),
    el(
      'Quantity',
      text('Value', String(rx.quantity.value)) +
        text('CodeListQualifier', '38') +
        el('QuantityUnitOfMeasure', text('Code', UNIT_NCI[rx.quantity.unit.toLowerCase()] ?? UNSPECIFIED_UNIT_NCI)),
    ),
    text('DaysSupply', String(rx.daysSupply)),
    el('WrittenDate', text('Date', envelope.sentAt.slice(0, 10))),
    text('Substitutions', rx.substitutionAllowed ? '0' : '1'),
    text('NumberOfRefills', String(rx.refills)),
    el('Sig', text('SigText', rx.sig)),
    rx.noteToPharmacist ? text('Note', rx.noteToPharmacist) : '',
  ].join('');
  const p = envelope.patient;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<Message xmlns="http://www.ncpdp.org/schema/SCRIPT" DatatypesVersion="${v}" TransportVersion="${v}" TransactionDomain="SCRIPT" TransactionVersion="${v}" StructuresVersion="${v}" ECLVersion="${v}">`,
    el(
      'Header',
      `<To Qualifier="P">${escapeXml(envelope.pharmacy.ncpdpId)}</To>` +
        `<From Qualifier="C">${escapeXml(rx.prescriber.npi)}</From>` +
        text('MessageID', envelope.messageId) +
        text('SentTime', envelope.sentAt) +
        el('PrescriberOrderNumber', escapeXml(rx.prescriptionId)),
    ),
    el(
      'Body',
      el(
        'NewRx',
        el(
          'Patient',
          el(
            'HumanPatient',
            el('Name', text('LastName', p.lastName) + text('FirstName', p.firstName)) + text('Gender', p.gender) + el('DateOfBirth', text('Date', p.dateOfBirth)),
          ),
        ) +
          el('Pharmacy', el('Identification', text('NCPDPID', envelope.pharmacy.ncpdpId) + text('NPI', envelope.pharmacy.npi))) +
          el(
            'Prescriber',
            el('NonVeterinarian', el('Identification', identification) + el('Name', text('LastName', envelope.prescriber.lastName) + text('FirstName', envelope.prescriber.firstName))),
          ) +
          el('MedicationPrescribed', medication),
      ),
    ),
    '</Message>',
  ].join('');
}

/** A character XML 1.0 cannot carry at all, escaped or not (NUL and most C0 controls, unpaired surrogates, U+FFFE/U+FFFF). */
// eslint-disable-next-line no-control-regex
const NOT_XML = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

export class ScriptXmlError extends Error {
  readonly code = 'SCRIPT.UNREPRESENTABLE_TEXT';
  readonly kind = 'invalid' as const;
  constructor() {
    super('The prescription holds a character NCPDP SCRIPT XML cannot carry (a control character or an unpaired surrogate)');
    this.name = 'ScriptXmlError';
  }
}

/** Every value goes through here: markup characters escaped, characters XML cannot hold refused (never dropped silently). */
function escapeXml(value: string): string {
  if (NOT_XML.test(value)) throw new ScriptXmlError();
  return value.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c]!);
}
