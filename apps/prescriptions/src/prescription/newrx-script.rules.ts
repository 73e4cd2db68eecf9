import type { DeaSchedule, MedicationPrescribed, PrescriptionDraftedData, ScriptDelivery, ScriptVersion } from './prescription.events';
import { el, message, renderPatient, renderPharmacy, renderPrescriber, text } from './script-xml.rules';

export type { ScriptVersion } from './prescription.events';

/**
 * NCPDP SCRIPT NewRx as XML, for the two versions in force. Which versions a prescriber may send
 * on a date is a dated rule: both 2017071 and 2023011 until 2027-12-31, only 2023011 from
 * 2028-01-01 (dates from Carebridge issue 5; a public summary of the CMS rule says the same:
 * 2017071 retired for Part D on 2028-01-01, mcp.waymark.network route 1e8ad85b; VERIFY against
 * the CMS final rule text before use).
 *
 * Element names and order follow public 2017071 messages (sources [S1], [S2] in
 * script-xml.rules.ts; MedicationPrescribed order from VistA PSOERXOG, "2017 outbound"). No
 * public 2023011 sample or schema was found, so the 2023011 rendering differs only in its
 * version stamps; the README lists what stays unverified.
 */

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

// NCI thesaurus codes SCRIPT uses. Seen in [S1]: C48677 (schedule IV), C48542 (tablet), C28253 (mg).
// VERIFY against the NCPDP terminology (licensed): the others, taken from the NCI thesaurus.
const DEA_SCHEDULE_NCI: Readonly<Record<DeaSchedule, string>> = { II: 'C48675', III: 'C48676', IV: 'C48677', V: 'C48679' };
const QUANTITY_UNIT_NCI: Readonly<Record<string, string>> = { capsule: 'C48480', tablet: 'C48542' };
/** NCI "Unspecified" unit, for a quantity unit we cannot code. */
const UNSPECIFIED_UNIT_NCI = 'C38046';
const STRENGTH_UNIT_NCI: Readonly<Record<string, string>> = { mg: 'C28253', mcg: 'C48152', g: 'C48155', ml: 'C28254', 'mg/ml': 'C42576' };
/** FDA SPL dosage forms (NCI thesaurus): the StrengthForm code. */
const DOSE_FORM_NCI: Readonly<Record<string, string>> = { tablet: 'C42998', capsule: 'C25158' };

/** Numeric strength and its NCI unit, from our text form ("500 mg"); a combination or an unknown unit stays uncoded. */
export function codedStrength(strength: string): { readonly value: string; readonly unitCode: string } | null {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([a-zA-Z/]+)\s*$/.exec(strength);
  const unitCode = match ? STRENGTH_UNIT_NCI[match[2]!.toLowerCase()] : undefined;
  return match && unitCode ? { value: match[1]!, unitCode } : null;
}

/**
 * SCD or SBD: the recorded term type, else RxNorm's naming convention (a branded drug's name
 * ends with the brand in brackets, "... [Brand]"; RxNorm Technical Documentation, term types).
 */
export function rxnormTermType(m: MedicationPrescribed): 'SCD' | 'SBD' {
  return m.rxnormTermType ?? (/\[[^\]]+\]\s*$/.test(m.name) ? 'SBD' : 'SCD');
}

/** MedicationPrescribed as every pharmacy-bound message repeats it (VistA PSOERXOG order). */
export function renderMedicationPrescribed(rx: PrescriptionDraftedData, writtenDate: string): string {
  const m = rx.medication;
  const strength = codedStrength(m.strength);
  const form = DOSE_FORM_NCI[m.doseForm.toLowerCase()];
  const drugCoded = el(
    'DrugCoded',
    m.ndc ? el('ProductCode', text('Code', m.ndc), text('Qualifier', 'ND')) : '',
    strength ? el('Strength', text('StrengthValue', strength.value), form ? el('StrengthForm', text('Code', form)) : '', el('StrengthUnitOfMeasure', text('Code', strength.unitCode))) : '',
    el('DrugDBCode', text('Code', m.rxnormCode), text('Qualifier', rxnormTermType(m))),
    m.deaSchedule ? el('DEASchedule', text('Code', DEA_SCHEDULE_NCI[m.deaSchedule])) : '',
  );
  return el(
    'MedicationPrescribed',
    text('DrugDescription', m.name),
    drugCoded,
    el(
      'Quantity',
      text('Value', String(rx.quantity.value)),
      text('CodeListQualifier', '38'),
      el('QuantityUnitOfMeasure', text('Code', QUANTITY_UNIT_NCI[rx.quantity.unit.toLowerCase()] ?? UNSPECIFIED_UNIT_NCI)),
    ),
    text('DaysSupply', String(rx.daysSupply)),
    el('WrittenDate', text('Date', writtenDate.slice(0, 10))),
    text('Substitutions', rx.substitutionAllowed ? '0' : '1'),
    text('NumberOfRefills', String(rx.refills)),
    text('Note', rx.noteToPharmacist),
    el('Sig', text('SigText', rx.sig)),
  );
}

/** What a message needs besides the prescription: ids, time, the pharmacy and the parties. */
export interface ScriptEnvelope {
  readonly messageId: string;
  readonly sentAt: string;
  readonly pharmacyNcpdpId: string;
  readonly delivery: ScriptDelivery;
  /** EPCS: the prescription was signed with two factors and the record signature. */
  readonly digitallySigned?: boolean;
}

/** The parties in NewRx order ([S1]: Patient, Pharmacy, Prescriber, then MedicationPrescribed). */
export function renderParties(rx: PrescriptionDraftedData, envelope: ScriptEnvelope): string {
  const { delivery } = envelope;
  return (
    renderPatient(delivery.patient) +
    renderPharmacy(envelope.pharmacyNcpdpId, delivery.pharmacy) +
    renderPrescriber({ npi: rx.prescriber.npi, deaNumber: rx.prescriber.deaNumber }, delivery.prescriber)
  );
}

export function renderNewRx(rx: PrescriptionDraftedData, envelope: ScriptEnvelope): string {
  return message(
    envelope.delivery.version,
    {
      toNcpdpId: envelope.pharmacyNcpdpId,
      fromNpi: rx.prescriber.npi,
      messageId: envelope.messageId,
      sentAt: envelope.sentAt,
      prescriberOrderNumber: rx.prescriptionId,
      digitallySigned: envelope.digitallySigned === true,
    },
    el('NewRx', renderParties(rx, envelope), renderMedicationPrescribed(rx, envelope.sentAt)),
  );
}

export { ScriptXmlError } from './script-xml.rules';
