import { z } from 'zod';
import type { EnvelopeContext, KafkaRecord } from '../cloud-event';
import { ContractViolationError, defineIntegrationEvent, integrationEventType } from '../integration-event';
import { PHARMACY_RESPONSE_TOPIC, PHARMACY_TOPIC } from './pharmacy-messages';

/**
 * NCPDP SCRIPT XML on the pharmacy topic. Each pharmacy-bound message (NewRx, CancelRx,
 * RxRenewalResponse, RxChangeResponse) is one Kafka record in CloudEvents binary content mode
 * (CloudEvents Kafka protocol binding 1.0, section 3.2): the record value is the SCRIPT XML
 * itself, the `content-type` header is its datacontenttype `application/xml`, and every other
 * attribute is a `ce_` header. Key: the pharmacy's NCPDP id, as for the JSON events before them.
 *
 * The CloudEvent type names the message and version 2 of its event (version 1 was JSON with ids
 * and codes only): `carebridge.prescriptions.NewRxTransmitted.v2` and so on.
 */
export const SCRIPT_XML_CONTENT_TYPE = 'application/xml';

export const SCRIPT_MESSAGE_EVENTS = {
  NewRx: 'NewRxTransmitted',
  CancelRx: 'CancelRxSent',
  RxRenewalResponse: 'RxRenewalResponseSent',
  RxChangeResponse: 'RxChangeResponseSent',
} as const;
export type PharmacyBoundScriptMessage = keyof typeof SCRIPT_MESSAGE_EVENTS;

export const scriptEventType = (message: PharmacyBoundScriptMessage): string => integrationEventType('prescriptions', SCRIPT_MESSAGE_EVENTS[message], 2);

export interface ScriptRecordData {
  readonly message: PharmacyBoundScriptMessage;
  readonly pharmacyNcpdpId: string;
  readonly prescriptionId: string;
  /** NCPDP SCRIPT version of the XML (2017071, 2023011): extension attribute `scriptversion`. */
  readonly scriptVersion: string;
  readonly xml: string;
}

/** The binary-mode record of one pharmacy-bound SCRIPT message. */
export function toScriptKafkaRecord(data: ScriptRecordData, context: EnvelopeContext): KafkaRecord {
  if (!/^\d{7}$/.test(data.pharmacyNcpdpId)) throw new ContractViolationError(scriptEventType(data.message), [{ field: 'pharmacyNcpdpId', message: 'must be 7 digits' }]);
  const time = typeof context.time === 'string' ? context.time : context.time.toISOString();
  return {
    topic: PHARMACY_TOPIC,
    key: data.pharmacyNcpdpId,
    value: data.xml,
    headers: {
      // Binary mode maps datacontenttype to the content-type header (Kafka binding 3.2.1), not to a ce_ header.
      'content-type': SCRIPT_XML_CONTENT_TYPE,
      ce_specversion: '1.0',
      ce_id: context.id,
      ce_source: '/carebridge/prescriptions',
      ce_type: scriptEventType(data.message),
      ce_time: time,
      ce_subject: data.prescriptionId,
      ce_correlationid: context.correlationId,
      ...(context.causationId !== undefined && { ce_causationid: context.causationId }),
      ...(context.traceparent !== undefined && { ce_traceparent: context.traceparent, traceparent: context.traceparent }),
      ce_actor: `${context.actor.role}:${context.actor.id}`,
      ce_scriptversion: data.scriptVersion,
    },
  };
}

/** A binary-mode SCRIPT CloudEvent as a consumer reads it. */
export interface ScriptCloudEvent {
  readonly id: string;
  readonly type: string;
  readonly message: PharmacyBoundScriptMessage;
  readonly time: string;
  readonly subject: string;
  readonly correlationid: string;
  readonly causationid?: string;
  readonly scriptversion: string;
  readonly xml: string;
}

type Headers = Readonly<Record<string, Buffer | string | (Buffer | string)[] | undefined>>;

/**
 * Reads a record of the pharmacy topic. Returns null for a record that is not SCRIPT XML (the
 * JSON events recorded before it, on the same topic); throws ContractViolationError for a SCRIPT
 * record missing a required attribute.
 */
export function readScriptKafkaRecord(headers: Headers | undefined, value: Buffer | string | null): ScriptCloudEvent | null {
  const header = (name: string): string | undefined => {
    const raw = headers?.[name];
    const one = Array.isArray(raw) ? raw[0] : raw;
    return one === undefined ? undefined : one.toString();
  };
  if (header('content-type') !== SCRIPT_XML_CONTENT_TYPE) return null;
  const type = header('ce_type') ?? '';
  const message = (Object.keys(SCRIPT_MESSAGE_EVENTS) as PharmacyBoundScriptMessage[]).find((m) => scriptEventType(m) === type);
  const missing = ['ce_specversion', 'ce_id', 'ce_source', 'ce_time', 'ce_subject', 'ce_correlationid', 'ce_actor', 'ce_scriptversion'].filter((h) => !header(h));
  if (!message || missing.length > 0 || value === null) {
    throw new ContractViolationError(type || '(unknown)', [
      ...(message ? [] : [{ field: 'ce_type', message: 'not a SCRIPT message type' }]),
      ...missing.map((field) => ({ field, message: 'required CloudEvents attribute missing' })),
      ...(value === null ? [{ field: '(value)', message: 'no XML' }] : []),
    ]);
  }
  const causation = header('ce_causationid');
  return {
    id: header('ce_id')!,
    type,
    message,
    time: header('ce_time')!,
    subject: header('ce_subject')!,
    correlationid: header('ce_correlationid')!,
    ...(causation !== undefined && { causationid: causation }),
    scriptversion: header('ce_scriptversion')!,
    xml: value.toString(),
  };
}

/**
 * A pharmacy's SCRIPT message (Status, Verify, Error, RxFill, CancelRxResponse, RxChangeRequest,
 * RxRenewalRequest) on the inbound topic. The XML travels as a string inside the structured
 * CloudEvent, keyed by prescription id like PharmacyMessageReceived; the prescriptions service
 * parses it (no DTD, size limit) and checks that it names this prescription and pharmacy.
 */
export const PharmacyScriptReceived = defineIntegrationEvent({
  context: 'prescriptions',
  name: 'PharmacyScriptReceived',
  version: 1,
  topic: PHARMACY_RESPONSE_TOPIC,
  schema: z.object({
    prescriptionId: z.uuid(),
    pharmacyNcpdpId: z.string().regex(/^\d{7}$/),
    scriptVersion: z.enum(['2017071', '2023011']),
    xml: z.string().min(1).max(256 * 1024),
  }),
  partitionKey: (d) => d.prescriptionId,
  description: 'A pharmacy system answers in NCPDP SCRIPT XML about a prescription routed to it.',
});
