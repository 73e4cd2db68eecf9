import type { XmlNode } from './script-parse.mapping';

/**
 * A structural schema of the SCRIPT messages we write and read: element order and cardinality,
 * written from the public samples cited in ../script-xml.rules.ts ([S1] NewRx 2017071, [S2] VistA
 * builders). It describes what we emit, not the whole standard (the licensed XSDs would); the
 * tests check every rendered message against it.
 */
export interface ElementRule {
  readonly name: string;
  readonly min: number;
  readonly max: number;
  readonly children?: readonly ElementRule[];
  /** The text must match (a leaf). */
  readonly pattern?: RegExp;
  /** Required attributes and their allowed values. */
  readonly attributes?: Readonly<Record<string, RegExp>>;
}

const rule = (min: number, max: number) => (name: string, children?: readonly ElementRule[] | RegExp, attributes?: ElementRule['attributes']): ElementRule => ({
  name,
  min,
  max,
  ...(children instanceof RegExp ? { pattern: children } : children ? { children } : {}),
  ...(attributes ? { attributes } : {}),
});
const one = rule(1, 1);
const opt = rule(0, 1);

const ANY = /^[\s\S]+$/;
const DIGITS = (n: number) => new RegExp(`^\\d{${n}}$`);
const NCI = /^C\d{4,6}$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const code = (pattern: RegExp) => [one('Code', pattern)];

const address = opt('Address', [one('AddressLine1', ANY), opt('AddressLine2', ANY), one('City', ANY), one('StateProvince', /^[A-Z]{2}$/), one('PostalCode', /^\d{5}(\d{4})?$/), one('CountryCode', /^US$/)]);
const communication = (required: boolean) =>
  (required ? one : opt)('CommunicationNumbers', [opt('PrimaryTelephone', [one('Number', /^\d{10}$/)]), opt('Fax', [one('Number', /^\d{10}$/)])]);

export const HEADER = one('Header', [
  one('To', DIGITS(7), { Qualifier: /^P$/ }),
  one('From', DIGITS(10), { Qualifier: /^C$/ }),
  one('MessageID', ANY),
  opt('RelatesToMessageID', ANY),
  one('SentTime', /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/),
  one('SenderSoftware', [one('SenderSoftwareDeveloper', ANY), one('SenderSoftwareProduct', ANY), one('SenderSoftwareVersionRelease', ANY)]),
  one('PrescriberOrderNumber', ANY),
  opt('DigitalSignature', [one('DigitalSignatureIndicator', /^true$/)], { Version: /^1\.1$/ }),
]);

const PATIENT = one('Patient', [
  one('HumanPatient', [one('Name', [one('LastName', ANY), one('FirstName', ANY)]), one('Gender', /^[MFU]$/), one('DateOfBirth', [one('Date', DATE)]), address, communication(false)]),
]);
const PHARMACY = one('Pharmacy', [one('Identification', [one('NCPDPID', DIGITS(7)), one('NPI', DIGITS(10))]), one('BusinessName', ANY), { ...address, min: 1 }, communication(false)]);
const PRESCRIBER = one('Prescriber', [
  one('NonVeterinarian', [
    one('Identification', [opt('DEANumber', /^[A-Z]{2}\d{7}$/), one('NPI', DIGITS(10))]),
    one('Name', [one('LastName', ANY), one('FirstName', ANY)]),
    { ...address, min: 1 },
    communication(true),
  ]),
]);
const MEDICATION_PRESCRIBED = one('MedicationPrescribed', [
  one('DrugDescription', ANY),
  one('DrugCoded', [
    opt('ProductCode', [one('Code', DIGITS(11)), one('Qualifier', /^ND$/)]),
    opt('Strength', [one('StrengthValue', /^\d+(\.\d+)?$/), opt('StrengthForm', code(NCI)), one('StrengthUnitOfMeasure', code(NCI))]),
    one('DrugDBCode', [one('Code', /^\d{1,10}$/), one('Qualifier', /^(SCD|SBD)$/)]),
    opt('DEASchedule', code(/^C4867[5-9]$/)),
  ]),
  one('Quantity', [one('Value', /^\d+(\.\d+)?$/), one('CodeListQualifier', /^38$/), one('QuantityUnitOfMeasure', code(NCI))]),
  one('DaysSupply', /^\d+$/),
  one('WrittenDate', [one('Date', DATE)]),
  one('Substitutions', /^[01]$/),
  one('NumberOfRefills', /^\d+$/),
  opt('Note', ANY),
  one('Sig', [one('SigText', ANY)]),
]);
const PARTIES = [PATIENT, PHARMACY, PRESCRIBER, MEDICATION_PRESCRIBED];
const RESPONSE = (approvals: readonly string[]) =>
  one('Response', [...approvals.map((a) => ({ ...opt(a, [opt('Note', ANY)]) })), opt('Denied', [one('DenialReason', ANY)])]);

const VERSION = /^(20170715|20230115)$/;
const messageRule = (body: ElementRule): ElementRule =>
  one('Message', [HEADER, one('Body', [body])], {
    xmlns: /^http:\/\/www\.ncpdp\.org\/schema\/SCRIPT$/,
    DatatypesVersion: VERSION,
    TransportVersion: VERSION,
    TransactionDomain: /^SCRIPT$/,
    TransactionVersion: VERSION,
    StructuresVersion: VERSION,
    ECLVersion: VERSION,
  });

/** The pharmacy-bound messages, by body element. */
export const PHARMACY_BOUND_SCHEMA: Readonly<Record<string, ElementRule>> = {
  NewRx: messageRule(one('NewRx', PARTIES)),
  CancelRx: messageRule(one('CancelRx', PARTIES)),
  RxRenewalResponse: messageRule(one('RxRenewalResponse', [RESPONSE(['Approved', 'ApprovedWithChanges']), ...PARTIES])),
  RxChangeResponse: messageRule(one('RxChangeResponse', [RESPONSE(['Approved']), ...PARTIES])),
};

export interface StructureViolation {
  readonly path: string;
  readonly problem: string;
}

/** Every place the element tree departs from the rule: order, cardinality, unknown elements, text, attributes. */
export function checkStructure(node: XmlNode, expected: ElementRule, path = expected.name): StructureViolation[] {
  const problems: StructureViolation[] = [];
  if (node.name !== expected.name) return [{ path, problem: `expected ${expected.name}, found ${node.name}` }];
  for (const [attribute, pattern] of Object.entries(expected.attributes ?? {})) {
    const value = node.attributes[attribute];
    if (value === undefined || !pattern.test(value)) problems.push({ path: `${path}@${attribute}`, problem: `attribute ${value === undefined ? 'missing' : `"${value}" does not match ${pattern}`}` });
  }
  if (expected.pattern) {
    if (node.children.length > 0) problems.push({ path, problem: 'a leaf element holds elements' });
    else if (!expected.pattern.test(node.text)) problems.push({ path, problem: `text "${node.text}" does not match ${expected.pattern}` });
    return problems;
  }
  const rules = expected.children ?? [];
  let i = 0;
  for (const r of rules) {
    let count = 0;
    while (i < node.children.length && node.children[i]!.name === r.name) {
      problems.push(...checkStructure(node.children[i]!, r, `${path}.${r.name}`));
      count += 1;
      i += 1;
    }
    if (count < r.min) problems.push({ path: `${path}.${r.name}`, problem: `required, missing (or out of order)` });
    if (count > r.max) problems.push({ path: `${path}.${r.name}`, problem: `at most ${r.max}, found ${count}` });
  }
  for (const extra of node.children.slice(i)) problems.push({ path: `${path}.${extra.name}`, problem: 'not allowed here (unknown or out of order)' });
  return problems;
}

const REPLY_HEADER = one('Header', [
  one('To', DIGITS(10), { Qualifier: /^C$/ }),
  one('From', DIGITS(7), { Qualifier: /^P$/ }),
  one('MessageID', ANY),
  one('RelatesToMessageID', ANY),
  one('SentTime', ANY),
  one('SenderSoftware', [one('SenderSoftwareDeveloper', ANY), one('SenderSoftwareProduct', ANY), one('SenderSoftwareVersionRelease', ANY)]),
  one('PrescriberOrderNumber', ANY),
]);
const reply = (body: ElementRule): ElementRule => ({ ...messageRule(body), children: [REPLY_HEADER, one('Body', [body])] });
const fill = (name: string) => opt(name, [opt('Note', ANY)]);

/** The pharmacy's messages as pharmacy-side.mapping.ts writes them, by body element. */
export const PHARMACY_SENT_SCHEMA: Readonly<Record<string, ElementRule>> = {
  Status: reply(one('Status', [one('Code', /^\d{3}$/)])),
  Verify: reply(one('Verify', [one('VerifyStatus', code(/^\d{3}$/))])),
  Error: reply(one('Error', [one('Code', /^\d{3}$/), opt('Description', ANY)])),
  RxFill: reply(
    one('RxFill', [one('FillStatus', [fill('Dispensed'), fill('PartiallyDispensed'), fill('NotDispensed'), fill('Transferred')]), opt('MedicationDispensed', [one('Quantity', [one('Value', /^\d+(\.\d+)?$/)])])]),
  ),
  CancelRxResponse: reply(one('CancelRxResponse', [RESPONSE(['Approved'])])),
  RxChangeRequest: reply(one('RxChangeRequest', [one('MessageRequestCode', /^[GPS]$/), opt('Note', ANY)])),
  RxRenewalRequest: reply(one('RxRenewalRequest', [opt('Note', ANY)])),
};
