import { DomainError } from '@carebridge/shared-kernel';
import type { PharmacyMessage } from '../pharmacy-messages.rules';
import type { ChangeRequestType, FillStatus } from '../prescription.events';
import { child, parseScriptXml, textAt, type XmlNode } from './script-parse.mapping';

/**
 * The SCRIPT messages a pharmacy sends us, read into the PharmacyMessage the decider records.
 * Element names: Status/Error/Verify with Code and Description and CancelRxResponse with
 * Response/Approved|Denied(DenialReason) as VistA reads and writes them ([S2]: PSOERXO1);
 * RxFill/FillStatus/Dispensed|PartiallyDispensed|NotDispensed|Transferred,
 * RxChangeRequest/MessageRequestCode and RxRenewalRequest as we understand 2017071 (VERIFY,
 * README: no public sample of these three was found).
 */
export interface InboundScript {
  readonly fromNcpdpId: string | undefined;
  readonly relatesToMessageId: string | undefined;
  readonly prescriberOrderNumber: string | undefined;
  readonly message: PharmacyMessage;
}

export class InvalidScriptMessageError extends DomainError {
  readonly code = 'SCRIPT.INVALID_MESSAGE';
  override readonly kind = 'invalid';
}

export class UnsupportedScriptMessageError extends DomainError {
  readonly code = 'SCRIPT.UNSUPPORTED_MESSAGE';
  override readonly kind = 'invalid';
}

const FILL_STATUS: Readonly<Record<string, FillStatus>> = {
  Dispensed: 'dispensed',
  PartiallyDispensed: 'partially-dispensed',
  NotDispensed: 'not-dispensed',
  Transferred: 'transferred',
};
// VERIFY: MessageRequestCode values (G generic substitution, P prior authorization, S script clarification).
const CHANGE_TYPE: Readonly<Record<string, ChangeRequestType>> = { G: 'generic-substitution', P: 'prior-authorization', S: 'clarification' };

const required = (node: XmlNode | undefined, path: string): string => {
  const value = node?.text.trim();
  if (!value) throw new InvalidScriptMessageError(`${path} is required`, { field: path });
  return value;
};
/** Free text up to `max` characters; longer is refused, never cut. */
const limited = (value: string | undefined, max: number, path: string): string | null => {
  if (value === undefined || value === '') return null;
  if (value.length > max) throw new InvalidScriptMessageError(`${path} is longer than ${max} characters`, { field: path });
  return value;
};

/** Parses and reads one inbound SCRIPT message; throws ScriptParseError (XML) or a DomainError (content). */
export function readInboundScript(xml: string): InboundScript {
  const root = parseScriptXml(xml);
  if (root.name !== 'Message') throw new InvalidScriptMessageError('The root element must be Message', { field: 'Message' });
  const header = child(root, 'Header');
  const messageId = required(child(header, 'MessageID'), 'Message.Header.MessageID');
  if (messageId.length > 100) throw new InvalidScriptMessageError('Message.Header.MessageID is longer than 100 characters', { field: 'Message.Header.MessageID' });
  const body = child(root, 'Body')?.children[0];
  if (!body) throw new InvalidScriptMessageError('Message.Body holds no message', { field: 'Message.Body' });
  return {
    fromNcpdpId: textAt(header, 'From'),
    relatesToMessageId: textAt(header, 'RelatesToMessageID'),
    prescriberOrderNumber: textAt(header, 'PrescriberOrderNumber'),
    message: readBody(body, messageId),
  };
}

function readBody(body: XmlNode, messageId: string): PharmacyMessage {
  const at = `Message.Body.${body.name}`;
  switch (body.name) {
    case 'Status':
    case 'Verify':
      return { kind: body.name, messageId };
    case 'Error':
      return {
        kind: 'Error',
        messageId,
        code: limited(required(child(body, 'Code'), `${at}.Code`), 10, `${at}.Code`)!,
        description: limited(textAt(body, 'Description'), 500, `${at}.Description`) ?? '',
      };
    case 'RxFill': {
      const status = child(body, 'FillStatus')?.children[0];
      const fillStatus = status ? FILL_STATUS[status.name] : undefined;
      if (!status || !fillStatus) throw new InvalidScriptMessageError(`${at}.FillStatus must hold Dispensed, PartiallyDispensed, NotDispensed or Transferred`, { field: `${at}.FillStatus` });
      const quantity = textAt(body, 'MedicationDispensed', 'Quantity', 'Value');
      const dispensed = quantity === undefined ? null : Number(quantity);
      if (dispensed !== null && !(Number.isFinite(dispensed) && dispensed >= 0)) {
        throw new InvalidScriptMessageError(`${at}.MedicationDispensed.Quantity.Value must be a non-negative number`, { field: `${at}.MedicationDispensed.Quantity.Value` });
      }
      return { kind: 'RxFill', messageId, fillStatus, quantityDispensed: dispensed, reason: limited(textAt(status, 'Note') ?? textAt(status, 'ReasonCode'), 500, `${at}.FillStatus.${status.name}.Note`) };
    }
    case 'CancelRxResponse': {
      const response = child(body, 'Response')?.children[0];
      if (response?.name === 'Approved') return { kind: 'CancelRxResponse', messageId, approved: true, reason: limited(textAt(response, 'Note'), 500, `${at}.Response.Approved.Note`) };
      if (response?.name === 'Denied') return { kind: 'CancelRxResponse', messageId, approved: false, reason: limited(textAt(response, 'DenialReason'), 500, `${at}.Response.Denied.DenialReason`) };
      throw new InvalidScriptMessageError(`${at}.Response must hold Approved or Denied`, { field: `${at}.Response` });
    }
    case 'RxChangeRequest': {
      const code = required(child(body, 'MessageRequestCode'), `${at}.MessageRequestCode`);
      const changeType = CHANGE_TYPE[code];
      if (!changeType) throw new InvalidScriptMessageError(`${at}.MessageRequestCode ${code} is not one we handle (G, P, S)`, { field: `${at}.MessageRequestCode` });
      return { kind: 'RxChangeRequest', messageId, changeType, detail: limited(textAt(body, 'Note'), 500, `${at}.Note`) ?? '' };
    }
    case 'RxRenewalRequest':
      return { kind: 'RxRenewalRequest', messageId, note: limited(textAt(body, 'Note'), 500, `${at}.Note`) };
    default:
      throw new UnsupportedScriptMessageError(`${body.name} is not a message a pharmacy sends us`, { field: 'Message.Body' });
  }
}
