import { defineIntegrationEvent, z } from '@carebridge/contracts';
import type { RecordedEvent } from '@carebridge/event-store';
import { publish } from '@carebridge/messaging';

/** A throwaway contract for the messaging library's own tests. */
export function testContract(topic: string) {
  const TickRecorded = defineIntegrationEvent({
    context: 'testing',
    name: 'TickRecorded',
    version: 1,
    topic,
    schema: z.object({ streamId: z.string(), version: z.number().int(), poison: z.boolean().optional() }),
    partitionKey: (d) => d.streamId,
  });
  const publisher = (event: RecordedEvent) =>
    event.type === 'Private'
      ? []
      : [publish(TickRecorded, { streamId: event.streamId, version: event.streamVersion, ...(event.data as object) }, event)];
  return { TickRecorded, publisher };
}
