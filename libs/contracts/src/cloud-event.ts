import {
  ContractViolationError,
  integrationEventType,
  validateData,
  type DefinedIntegrationEvent,
} from './integration-event';

/**
 * CloudEvents 1.0 structured-mode envelope, plus Carebridge's extension attributes
 * (lower-case alphanumerics, as the spec requires): correlationid, causationid, traceparent, actor.
 */
export interface CloudEvent<Data = unknown> {
  readonly specversion: '1.0';
  readonly id: string;
  readonly source: string;
  readonly type: string;
  readonly time: string;
  readonly subject?: string;
  readonly datacontenttype: 'application/json';
  readonly data: Data;
  readonly correlationid: string;
  readonly causationid?: string;
  readonly traceparent?: string;
  /** `<role>:<id>` of whoever caused the event. */
  readonly actor: string;
}

export interface EnvelopeContext {
  /** Unique per event; reuse the stored event's id so redelivery is recognisable. */
  readonly id: string;
  readonly time: Date | string;
  readonly correlationId: string;
  readonly causationId?: string;
  readonly traceparent?: string;
  readonly actor: { readonly id: string; readonly role: string };
}

/** What goes to Kafka for one integration event. */
export interface KafkaRecord {
  readonly topic: string;
  readonly key: string;
  readonly value: string;
  readonly headers: Record<string, string>;
}

/**
 * Validates `data` against the contract (a ContractViolationError names each bad field) and
 * wraps it in the envelope.
 */
export function toCloudEvent<Data>(
  definition: DefinedIntegrationEvent<Data>,
  data: Data,
  context: EnvelopeContext,
): CloudEvent<Data> {
  const valid = validateData(definition, data);
  return {
    specversion: '1.0',
    id: context.id,
    source: `/carebridge/${definition.context}`,
    type: definition.type,
    time: typeof context.time === 'string' ? context.time : context.time.toISOString(),
    subject: (definition.subject ?? definition.partitionKey)(valid),
    datacontenttype: 'application/json',
    data: valid,
    correlationid: context.correlationId,
    ...(context.causationId !== undefined && { causationid: context.causationId }),
    ...(context.traceparent !== undefined && { traceparent: context.traceparent }),
    actor: `${context.actor.role}:${context.actor.id}`,
  };
}

export function toKafkaRecord<Data>(
  definition: DefinedIntegrationEvent<Data>,
  data: Data,
  context: EnvelopeContext,
): KafkaRecord {
  const event = toCloudEvent(definition, data, context);
  return {
    topic: definition.topic,
    key: definition.partitionKey(event.data),
    value: JSON.stringify(event),
    headers: {
      'content-type': 'application/cloudevents+json; charset=utf-8',
      ...cloudEventHeaders(event),
      ...(event.traceparent !== undefined && { traceparent: event.traceparent }),
    },
  };
}

/**
 * Every attribute of the envelope but `data` as a `ce_<name>` header, as the Kafka protocol
 * binding maps them in binary mode (§3.2.3, https://github.com/cloudevents/spec/blob/main/cloudevents/bindings/kafka-protocol-binding.md):
 * readers that route or filter on headers, or read binary mode only, get them without parsing the
 * value. The message stays structured mode (its content-type says so, §3.3), so `datacontenttype`
 * (the media type of `data`, not of the value) is in the envelope only.
 */
export function cloudEventHeaders(event: CloudEvent<unknown>): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(event)) {
    if (name === 'data' || name === 'datacontenttype' || typeof value !== 'string') continue;
    headers[`ce_${name}`] = value;
  }
  return headers;
}

/** Knows every event a consumer understands; decodes, upcasts and validates what arrives. */
export class ContractRegistry {
  private readonly latest = new Map<string, DefinedIntegrationEvent<unknown>>();

  constructor(definitions: readonly DefinedIntegrationEvent<any>[] = []) {
    definitions.forEach((d) => this.register(d));
  }

  register(definition: DefinedIntegrationEvent<any>): this {
    const key = `${definition.context}.${definition.name}`;
    const current = this.latest.get(key);
    if (!current || current.version < definition.version) this.latest.set(key, definition);
    return this;
  }

  definitions(): DefinedIntegrationEvent<unknown>[] {
    return [...this.latest.values()];
  }

  /**
   * Parses a structured CloudEvent. An older version of a known event is upcast to the latest
   * version this registry knows. Throws UnknownEventTypeError or ContractViolationError.
   */
  decode(value: string | Buffer): CloudEvent<unknown> & { readonly definition: DefinedIntegrationEvent<unknown> } {
    let raw: Record<string, unknown>;
    try {
      raw = JSON.parse(value.toString()) as Record<string, unknown>;
    } catch {
      throw new ContractViolationError('(unparseable)', [{ field: '(root)', message: 'not JSON' }]);
    }
    const missing = ['specversion', 'id', 'source', 'type', 'time', 'correlationid', 'actor'].filter(
      (attribute) => typeof raw[attribute] !== 'string',
    );
    if (missing.length > 0 || raw.specversion !== '1.0') {
      throw new ContractViolationError(String(raw.type ?? '(unknown)'), [
        ...missing.map((field) => ({ field, message: 'required CloudEvents attribute missing' })),
        ...(raw.specversion !== undefined && raw.specversion !== '1.0'
          ? [{ field: 'specversion', message: 'must be 1.0' }]
          : []),
      ]);
    }
    const match = /^carebridge\.([a-z0-9-]+)\.([A-Za-z0-9]+)\.v(\d+)$/.exec(raw.type as string);
    const definition = match ? this.latest.get(`${match[1]}.${match[2]}`) : undefined;
    if (!match || !definition) {
      throw new UnknownEventTypeError(raw.type as string);
    }
    const version = Number(match[3]);
    let data = raw.data;
    if (version !== definition.version) {
      const upcast = definition.upcasters?.[version];
      if (version > definition.version || !upcast) {
        throw new UnknownEventTypeError(raw.type as string);
      }
      data = upcast(data);
    }
    return {
      ...(raw as unknown as CloudEvent<unknown>),
      type: integrationEventType(definition.context, definition.name, definition.version),
      data: validateData(definition, data),
      definition,
    };
  }
}

export class UnknownEventTypeError extends Error {
  readonly code = 'CONTRACTS.UNKNOWN_EVENT_TYPE';
  constructor(readonly eventType: string) {
    super(`No contract registered for event type ${eventType}`);
    this.name = 'UnknownEventTypeError';
  }
}
