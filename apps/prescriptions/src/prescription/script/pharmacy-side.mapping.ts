import type { PharmacyMessage } from '../pharmacy-messages.rules';
import type { ScriptVersion } from '../prescription.events';
import { el, escapeXml, SENDER_SOFTWARE, text, VERSION_STAMP } from '../script-xml.rules';

/**
 * The pharmacy's side of the conversation as SCRIPT XML: what the demo pharmacy and the example
 * pharmacy consumer send back (Status, Verify, Error, RxFill, CancelRxResponse, RxChangeRequest,
 * RxRenewalRequest). It mirrors inbound-script.rules.ts, which reads these; the same VERIFY
 * items apply (README).
 */
export interface PharmacyReplyHeader {
  readonly version: ScriptVersion;
  readonly fromNcpdpId: string;
  readonly toNpi: string;
  readonly relatesToMessageId: string;
  readonly prescriberOrderNumber: string;
  readonly sentAt: string;
}

const FILL_ELEMENT = { dispensed: 'Dispensed', 'partially-dispensed': 'PartiallyDispensed', 'not-dispensed': 'NotDispensed', transferred: 'Transferred' } as const;
const CHANGE_CODE = { 'generic-substitution': 'G', 'prior-authorization': 'P', clarification: 'S' } as const;

function body(m: PharmacyMessage): string {
  switch (m.kind) {
    case 'Status':
      return el('Status', text('Code', '000'));
    case 'Verify':
      return el('Verify', el('VerifyStatus', text('Code', '010')));
    case 'Error':
      return el('Error', text('Code', m.code), text('Description', m.description));
    case 'RxFill':
      return el(
        'RxFill',
        el('FillStatus', `<${FILL_ELEMENT[m.fillStatus]}>${text('Note', m.reason)}</${FILL_ELEMENT[m.fillStatus]}>`),
        m.quantityDispensed === null ? '' : el('MedicationDispensed', el('Quantity', text('Value', m.quantityDispensed))),
      );
    case 'CancelRxResponse':
      return el('CancelRxResponse', el('Response', m.approved ? `<Approved>${text('Note', m.reason)}</Approved>` : el('Denied', text('DenialReason', m.reason ?? 'denied'))));
    case 'RxChangeRequest':
      return el('RxChangeRequest', text('MessageRequestCode', CHANGE_CODE[m.changeType]), text('Note', m.detail));
    case 'RxRenewalRequest':
      return `<RxRenewalRequest>${text('Note', m.note)}</RxRenewalRequest>`;
    default: {
      const _exhaustive: never = m;
      return _exhaustive;
    }
  }
}

export function renderPharmacyReply(header: PharmacyReplyHeader, m: PharmacyMessage): string {
  const v = VERSION_STAMP[header.version];
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<Message xmlns="http://www.ncpdp.org/schema/SCRIPT" DatatypesVersion="${v}" TransportVersion="${v}" TransactionDomain="SCRIPT" TransactionVersion="${v}" StructuresVersion="${v}" ECLVersion="${v}">`,
    el(
      'Header',
      `<To Qualifier="C">${escapeXml(header.toNpi)}</To>`,
      `<From Qualifier="P">${escapeXml(header.fromNcpdpId)}</From>`,
      text('MessageID', m.messageId),
      text('RelatesToMessageID', header.relatesToMessageId),
      text('SentTime', header.sentAt),
      el('SenderSoftware', text('SenderSoftwareDeveloper', SENDER_SOFTWARE.developer), text('SenderSoftwareProduct', 'Carebridge demo pharmacy'), text('SenderSoftwareVersionRelease', SENDER_SOFTWARE.versionRelease)),
      text('PrescriberOrderNumber', header.prescriberOrderNumber),
    ),
    el('Body', body(m)),
    '</Message>',
  ].join('');
}
