import { createHash } from 'node:crypto';
import { toKafkaRecord, type DefinedIntegrationEvent, type EnvelopeContext, type KafkaRecord } from '@carebridge/contracts';
import type { RecordedEvent } from '@carebridge/event-store';

/**
 * The envelope of the `index`-th integration event published for a stored event. Ids are
 * derived from the stored event id, so a relay that publishes again after a crash sends the
 * same ids and consumers' inboxes recognise them.
 */
export function envelopeFor(event: RecordedEvent, index = 0): EnvelopeContext {
  const m = event.metadata;
  return {
    id: index === 0 ? event.eventId : derivedId(event.eventId, index),
    time: m.occurredAt,
    correlationId: m.correlationId,
    causationId: event.eventId,
    ...(m.traceparent !== undefined && { traceparent: m.traceparent }),
    actor: m.actor,
  };
}

/** Maps a stored event to an integration event record (validated against its contract). */
export function publish<Data>(
  definition: DefinedIntegrationEvent<Data>,
  data: Data,
  event: RecordedEvent,
  index = 0,
): KafkaRecord {
  return toKafkaRecord(definition, data, envelopeFor(event, index));
}

/** What the relay publishes for one stored event: none (private events), one or more records. */
export type EventPublisher = (event: RecordedEvent) => readonly KafkaRecord[];

function derivedId(eventId: string, index: number): string {
  const bytes = createHash('sha1').update(`${eventId}:${index}`).digest().subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x50;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const h = bytes.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
