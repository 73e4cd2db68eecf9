import { z } from 'zod';
import type { DefinedIntegrationEvent } from './integration-event';
import { PHARMACY_TOPIC } from './prescriptions/pharmacy-messages';
import { type PharmacyBoundScriptMessage, SCRIPT_MESSAGE_EVENTS, SCRIPT_XML_CONTENT_TYPE, scriptEventType } from './prescriptions/script-messages';

// AsyncAPI 3.1.0 (https://www.asyncapi.com/docs/reference/specification/v3.1.0) with the Kafka
// bindings 0.5.0 (https://github.com/asyncapi/bindings/tree/master/kafka): server, channel (topic,
// partitions) and message (key schema).
const KAFKA_BINDING_VERSION = '0.5.0';
/** Partitions a service creates its topics with: KAFKA_PARTITIONS, default 3 (k8s base and prod: 6). */
export const DEFAULT_PARTITIONS = 3;

/**
 * The field of `data` a definition's partition key reads, found by calling it on a probe: every
 * contract keys by one top-level field (the aggregate id). A key built otherwise cannot be
 * described from its function, so the generator refuses it rather than document a guess.
 */
export function partitionKeyField(definition: DefinedIntegrationEvent<any>): string {
  const read: string[] = [];
  const probe = new Proxy({}, { get: (_, property) => (read.push(String(property)), `<${String(property)}>`) });
  const key = definition.partitionKey(probe);
  const field = read.length === 1 ? read[0]! : undefined;
  if (field === undefined || key !== `<${field}>`) {
    throw new Error(`${definition.type}: its partition key is not one field of data; the AsyncAPI document cannot describe it`);
  }
  return field;
}

/**
 * The Kafka headers of every message (libs/contracts/src/cloud-event.ts toKafkaRecord): the message
 * is a structured-mode CloudEvent, and every attribute but `data` and `datacontenttype` is also a
 * `ce_` header (the Kafka protocol binding's binary-mode names).
 */
const cloudEventsHeaders = {
  type: 'object',
  description:
    'CloudEvents 1.0 over Kafka (https://github.com/cloudevents/spec/blob/main/cloudevents/bindings/kafka-protocol-binding.md). ' +
    'The value is the structured-mode event (content-type application/cloudevents+json); its attributes are repeated as ce_ headers ' +
    'so readers that route on headers, or read binary mode, need not parse the value.',
  required: ['content-type', 'ce_specversion', 'ce_id', 'ce_source', 'ce_type', 'ce_time', 'ce_correlationid', 'ce_actor'],
  properties: {
    'content-type': { type: 'string', const: 'application/cloudevents+json; charset=utf-8', description: 'Structured content mode.' },
    ce_specversion: { type: 'string', const: '1.0' },
    ce_id: { type: 'string', description: 'Event id; the same on redelivery (consumers keep an inbox of processed ids).' },
    ce_source: { type: 'string', description: '/carebridge/<context>' },
    ce_type: { type: 'string', description: 'carebridge.<context>.<EventName>.v<version>' },
    ce_time: { type: 'string', format: 'date-time' },
    ce_subject: { type: 'string', description: 'The aggregate (or appointment, period) the event is about.' },
    ce_correlationid: { type: 'string', description: 'Carebridge extension: the request or flow the event belongs to.' },
    ce_causationid: { type: 'string', description: 'Carebridge extension: the id of the event or command that caused this one.' },
    ce_traceparent: { type: 'string', description: 'Carebridge extension: W3C trace context of the cause.' },
    ce_actor: { type: 'string', description: 'Carebridge extension: <role>:<id> of whoever caused the event.' },
    traceparent: {
      type: 'string',
      pattern: '^00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$',
      description: 'W3C Trace Context (https://www.w3.org/TR/trace-context/), for tracers that read it from headers.',
    },
  },
};

function message(definition: DefinedIntegrationEvent<any>) {
  const data = z.toJSONSchema(definition.schema, { io: 'input', unrepresentable: 'any' }) as { properties?: Record<string, object> };
  const keyField = partitionKeyField(definition);
  const keySchema = data.properties?.[keyField] ?? { type: 'string' };
  const source = `/carebridge/${definition.context}`;
  return {
    name: definition.type,
    title: definition.name,
    summary: definition.description ?? definition.name,
    contentType: 'application/cloudevents+json',
    correlationId: { description: 'The flow this event belongs to.', location: '$message.header#/ce_correlationid' },
    headers: {
      allOf: [
        { $ref: '#/components/schemas/CloudEventsKafkaHeaders' },
        { type: 'object', properties: { ce_source: { type: 'string', const: source }, ce_type: { type: 'string', const: definition.type } } },
      ],
    },
    payload: {
      type: 'object',
      required: ['specversion', 'id', 'source', 'type', 'time', 'datacontenttype', 'data', 'correlationid', 'actor'],
      properties: {
        specversion: { const: '1.0' },
        id: { type: 'string' },
        source: { const: source },
        type: { const: definition.type },
        time: { type: 'string', format: 'date-time' },
        subject: { type: 'string' },
        datacontenttype: { const: 'application/json' },
        correlationid: { type: 'string' },
        causationid: { type: 'string', description: 'The id of the event or command that caused this one, never this event.' },
        traceparent: { type: 'string' },
        actor: { type: 'string', description: '<role>:<id>' },
        data,
      },
    },
    bindings: {
      kafka: {
        key: { ...keySchema, description: `data.${keyField}: the key keeps this ${definition.context} aggregate's events in order (one partition).` },
        bindingVersion: KAFKA_BINDING_VERSION,
      },
    },
  };
}

/**
 * A pharmacy-bound NCPDP SCRIPT message (libs/contracts/src/prescriptions/script-messages.ts): a
 * binary-mode CloudEvent whose value is the XML itself and whose attributes are all headers.
 */
function scriptMessage(script: PharmacyBoundScriptMessage) {
  const type = scriptEventType(script);
  return {
    name: type,
    title: SCRIPT_MESSAGE_EVENTS[script],
    summary: `NCPDP SCRIPT ${script} for the pharmacy, as XML (CloudEvents binary content mode)`,
    contentType: SCRIPT_XML_CONTENT_TYPE,
    correlationId: { description: 'The flow this message belongs to.', location: '$message.header#/ce_correlationid' },
    headers: {
      type: 'object',
      description: 'CloudEvents 1.0 Kafka binding, binary content mode: datacontenttype is content-type; every other attribute a ce_ header.',
      required: ['content-type', 'ce_specversion', 'ce_id', 'ce_source', 'ce_type', 'ce_time', 'ce_subject', 'ce_correlationid', 'ce_actor', 'ce_scriptversion'],
      properties: {
        'content-type': { type: 'string', const: SCRIPT_XML_CONTENT_TYPE },
        ce_specversion: { type: 'string', const: '1.0' },
        ce_id: { type: 'string', description: 'Event id, also the SCRIPT MessageID.' },
        ce_source: { type: 'string', const: '/carebridge/prescriptions' },
        ce_type: { type: 'string', const: type },
        ce_time: { type: 'string', format: 'date-time' },
        ce_subject: { type: 'string', description: 'The prescription id.' },
        ce_correlationid: { type: 'string' },
        ce_causationid: { type: 'string', description: 'The id of the event or command that caused this one.' },
        ce_traceparent: { type: 'string' },
        ce_actor: { type: 'string', description: '<role>:<id>' },
        ce_scriptversion: { type: 'string', enum: ['2017071', '2023011'], description: 'The SCRIPT version of the XML: one the pharmacy accepts.' },
        traceparent: { type: 'string' },
      },
    },
    payload: { type: 'string', description: `The SCRIPT ${script} XML document (Message root element, ${script} body).` },
    bindings: {
      kafka: {
        key: { type: 'string', pattern: '^\\d{7}$', description: "The pharmacy's NCPDP id: one pharmacy's messages stay in order (one partition)." },
        bindingVersion: KAFKA_BINDING_VERSION,
      },
    },
  };
}

/** An AsyncAPI 3.1 document describing the Kafka server, every topic and message, generated from the contracts. */
export function asyncApiDocument(definitions: readonly DefinedIntegrationEvent<any>[], version = '0.1.0'): object {
  const channels: Record<string, object> = {};
  const messages: Record<string, object> = {};
  const operations: Record<string, object> = {};
  for (const definition of [...definitions].sort((a, b) => a.type.localeCompare(b.type))) {
    const messageId = `${definition.context}.${definition.name}.v${definition.version}`;
    messages[messageId] = message(definition);
    const channel = (channels[definition.topic] ??= {
      address: definition.topic,
      description: 'Kafka topic; key = aggregate id (order kept per key). Dead letters go to <topic>.dlq.',
      servers: [{ $ref: '#/servers/kafka' }],
      messages: {},
      bindings: { kafka: { topic: definition.topic, partitions: DEFAULT_PARTITIONS, bindingVersion: KAFKA_BINDING_VERSION } },
    }) as { messages: Record<string, object> };
    channel.messages[messageId] = { $ref: `#/components/messages/${messageId}` };
    operations[`publish.${messageId}`] = {
      action: 'send',
      summary: `${definition.context} publishes ${definition.name} (through its relay, from the event store)`,
      channel: { $ref: `#/channels/${definition.topic}` },
      messages: [{ $ref: `#/channels/${definition.topic}/messages/${messageId}` }],
    };
  }
  // The pharmacy topic also carries the SCRIPT XML records (when the document describes that topic).
  const pharmacy = channels[PHARMACY_TOPIC] as { messages: Record<string, object> } | undefined;
  for (const script of pharmacy ? (Object.keys(SCRIPT_MESSAGE_EVENTS) as PharmacyBoundScriptMessage[]) : []) {
    const messageId = `prescriptions.${SCRIPT_MESSAGE_EVENTS[script]}.v2`;
    messages[messageId] = scriptMessage(script);
    pharmacy!.messages[messageId] = { $ref: `#/components/messages/${messageId}` };
    operations[`publish.${messageId}`] = {
      action: 'send',
      summary: `prescriptions sends ${script} to the pharmacy as SCRIPT XML (through its relay, from the event store)`,
      channel: { $ref: `#/channels/${PHARMACY_TOPIC}` },
      messages: [{ $ref: `#/channels/${PHARMACY_TOPIC}/messages/${messageId}` }],
    };
  }
  return {
    asyncapi: '3.1.0',
    info: {
      title: 'Carebridge integration events',
      version,
      description:
        'The integration events the five services publish, one Kafka topic per aggregate. Generated from libs/contracts by ' +
        '`npm run contracts:asyncapi`; `npm run lint` checks the committed file equals the generated one. ' +
        `Topics are created with KAFKA_PARTITIONS partitions (default ${DEFAULT_PARTITIONS}; k8s base and prod overlays: 6).`,
      license: { name: 'Apache-2.0', url: 'https://www.apache.org/licenses/LICENSE-2.0' },
    },
    defaultContentType: 'application/cloudevents+json',
    servers: {
      kafka: {
        host: '{brokers}',
        protocol: 'kafka',
        title: 'Kafka',
        description: 'The brokers of KAFKA_BROKERS (`npm run infra:up` starts one on 127.0.0.1:9092). The embedded profile uses an in-process bus with the same topics and keys.',
        variables: { brokers: { default: '127.0.0.1:9092', description: 'KAFKA_BROKERS (host:port)' } },
        bindings: { kafka: { bindingVersion: KAFKA_BINDING_VERSION } },
      },
    },
    channels,
    operations,
    components: { schemas: { CloudEventsKafkaHeaders: cloudEventsHeaders }, messages },
  };
}
