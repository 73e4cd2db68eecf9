import type { PostalAddress, ScriptDelivery, ScriptVersion } from './prescription.events';

/**
 * The parts every NCPDP SCRIPT message we send shares: the Message element with its version
 * stamps, the Header, and the Patient, Pharmacy and Prescriber blocks.
 *
 * Public sources the element names and order follow (the licensed XSDs were not available):
 * - [S1] a 2017071 NewRx test message of a pharmacy's QA suite (Cypress step sending NewRx to a
 *   pharmacy system; public GitHub code found through the research index, excerpt id 2600557157):
 *   Header To/From/MessageID/SentTime/SenderSoftware/PrescriberOrderNumber/DigitalSignature,
 *   HumanPatient, Pharmacy and NonVeterinarian Prescriber with Identification, Name, Address,
 *   CommunicationNumbers, and MedicationPrescribed with DrugCoded.
 * - [S2] VistA Outpatient Pharmacy eRx routines (WorldVistA/VistA-M, public domain), e.g.
 *   PSOERXO1 (Status/Error/CancelRxResponse) and the SCRIPT 2017071 DrugCoded/Strength builder.
 * What could not be checked without the licensed standard is listed in the service README.
 */

/** The version stamp each schema file carries; [S1] shows 20170715 for 2017071. */
export const VERSION_STAMP: Readonly<Record<ScriptVersion, string>> = {
  '2017071': '20170715',
  // VERIFY: not seen in a public 2023011 sample; the pattern of 2017071 (release + day 15) assumed.
  '2023011': '20230115',
};

/** Who we are on the wire ([S1]: Header/SenderSoftware with these three children). */
export const SENDER_SOFTWARE = { developer: 'Carebridge', product: 'Carebridge Prescriptions', versionRelease: '1.0' } as const;

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
export function escapeXml(value: string): string {
  if (NOT_XML.test(value)) throw new ScriptXmlError();
  return value.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c]!);
}

/** An element with already-rendered content; empty content means the element is left out. */
export const el = (name: string, ...content: string[]): string => {
  const inner = content.join('');
  return inner === '' ? '' : `<${name}>${inner}</${name}>`;
};
/** An element holding escaped text; null or undefined leaves it out. */
export const text = (name: string, value: string | number | null | undefined): string =>
  value === null || value === undefined || value === '' ? '' : `<${name}>${escapeXml(String(value))}</${name}>`;
const coded = (name: string, code: string, qualifier?: string) => el(name, text('Code', code), qualifier ? text('Qualifier', qualifier) : '');

export interface HeaderFields {
  readonly toNcpdpId: string;
  readonly fromNpi: string;
  readonly messageId: string;
  readonly relatesToMessageId?: string;
  readonly sentAt: string;
  readonly prescriberOrderNumber: string;
  /** EPCS: the message carries the prescriber's digital signature ([S1]: DigitalSignature Version="1.1"). */
  readonly digitallySigned?: boolean;
}

/** The whole message: version stamps on Message ([S1]), then Header and Body. */
export function message(version: ScriptVersion, header: HeaderFields, body: string): string {
  const v = VERSION_STAMP[version];
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<Message xmlns="http://www.ncpdp.org/schema/SCRIPT" DatatypesVersion="${v}" TransportVersion="${v}" TransactionDomain="SCRIPT" TransactionVersion="${v}" StructuresVersion="${v}" ECLVersion="${v}">`,
    renderHeader(header),
    el('Body', body),
    '</Message>',
  ].join('');
}

function renderHeader(h: HeaderFields): string {
  return el(
    'Header',
    // [S1]: To Qualifier="P" (pharmacy NCPDP id); From Qualifier="D" is the sample's sender; we send as the prescriber "C" (VERIFY qualifier list).
    `<To Qualifier="P">${escapeXml(h.toNcpdpId)}</To>`,
    `<From Qualifier="C">${escapeXml(h.fromNpi)}</From>`,
    text('MessageID', h.messageId),
    text('RelatesToMessageID', h.relatesToMessageId),
    text('SentTime', h.sentAt),
    el('SenderSoftware', text('SenderSoftwareDeveloper', SENDER_SOFTWARE.developer), text('SenderSoftwareProduct', SENDER_SOFTWARE.product), text('SenderSoftwareVersionRelease', SENDER_SOFTWARE.versionRelease)),
    text('PrescriberOrderNumber', h.prescriberOrderNumber),
    h.digitallySigned ? '<DigitalSignature Version="1.1"><DigitalSignatureIndicator>true</DigitalSignatureIndicator></DigitalSignature>' : '',
  );
}

const address = (a: PostalAddress | null) =>
  a === null
    ? ''
    : el('Address', text('AddressLine1', a.line[0]), text('AddressLine2', a.line[1]), text('City', a.city), text('StateProvince', a.state), text('PostalCode', a.postalCode.replace('-', '')), text('CountryCode', 'US'));

/** [S1]: CommunicationNumbers/PrimaryTelephone/Number then Fax/Number; digits only. */
const communicationNumbers = (phone: string | null, fax: string | null = null) =>
  el('CommunicationNumbers', phone ? el('PrimaryTelephone', text('Number', digits(phone))) : '', fax ? el('Fax', text('Number', digits(fax))) : '');
const digits = (phone: string) => phone.replace(/\D/g, '');

export function renderPatient(p: ScriptDelivery['patient']): string {
  return el(
    'Patient',
    el(
      'HumanPatient',
      el('Name', text('LastName', p.lastName), text('FirstName', p.firstName)),
      text('Gender', p.gender),
      el('DateOfBirth', text('Date', p.dateOfBirth)),
      address(p.address),
      communicationNumbers(p.phone),
    ),
  );
}

export function renderPharmacy(ncpdpId: string, p: ScriptDelivery['pharmacy']): string {
  return el('Pharmacy', el('Identification', text('NCPDPID', ncpdpId), text('NPI', p.npi)), text('BusinessName', p.name), address(p.address), communicationNumbers(p.phone));
}

export interface PrescriberIds {
  readonly npi: string;
  readonly deaNumber: string | null;
}

export function renderPrescriber(ids: PrescriberIds, p: ScriptDelivery['prescriber']): string {
  return el(
    'Prescriber',
    el(
      'NonVeterinarian',
      // [S1] order inside Identification: StateLicenseNumber, DEANumber, NPI.
      el('Identification', text('DEANumber', ids.deaNumber), text('NPI', ids.npi)),
      el('Name', text('LastName', p.lastName), text('FirstName', p.firstName)),
      address(p.address),
      communicationNumbers(p.phone, p.fax),
    ),
  );
}

export { coded };
