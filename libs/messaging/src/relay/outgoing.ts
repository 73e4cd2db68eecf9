import { toKafkaRecord, type DefinedIntegrationEvent, type EnvelopeContext, type KafkaRecord } from '@carebridge/contracts';
import type { RecordedEvent } from '@carebridge/event-store';
import { nameBasedUuid } from '@carebridge/shared-kernel';

/**
 * The envelope of the `index`-th integration event published for a stored event. Ids are
 * derived from the stored event id, so a relay that publishes again after a crash sends the
 * same ids and consumers' inboxes recognise them. The causation id is what caused the command
 * that stored the event: the event a consumer reacted to, else the command's own id (a
 * request's Idempotency-Key, a job id); absent when neither is known, never the event itself.
 */
export function envelopeFor(event: RecordedEvent, index = 0): EnvelopeContext {
  const m = event.metadata;
  const cause = m.causationId ?? m.commandId;
  return {
    id: index === 0 ? event.eventId : nameBasedUuid(`${event.eventId}:${index}`),
    time: m.occurredAt,
    correlationId: m.correlationId,
    ...(cause !== undefined && { causationId: cause }),
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
