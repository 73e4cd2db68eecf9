import { z } from 'zod';
import type { DefinedIntegrationEvent } from './integration-event';

/** An AsyncAPI 3.0 document describing every topic and message, generated from the contracts. */
export function asyncApiDocument(definitions: readonly DefinedIntegrationEvent<any>[], version = '0.1.0'): object {
  const channels: Record<string, object> = {};
  const messages: Record<string, object> = {};
  const operations: Record<string, object> = {};
  for (const definition of [...definitions].sort((a, b) => a.type.localeCompare(b.type))) {
    const messageId = `${definition.context}.${definition.name}.v${definition.version}`;
    messages[messageId] = {
      name: definition.type,
      title: definition.name,
      summary: definition.description ?? definition.name,
      contentType: 'application/cloudevents+json',
      payload: {
        type: 'object',
        required: ['specversion', 'id', 'source', 'type', 'time', 'datacontenttype', 'data', 'correlationid', 'actor'],
        properties: {
          specversion: { const: '1.0' },
          id: { type: 'string' },
          source: { const: `/carebridge/${definition.context}` },
          type: { const: definition.type },
          time: { type: 'string', format: 'date-time' },
          subject: { type: 'string' },
          datacontenttype: { const: 'application/json' },
          correlationid: { type: 'string' },
          causationid: { type: 'string' },
          traceparent: { type: 'string' },
          actor: { type: 'string', description: '<role>:<id>' },
          data: z.toJSONSchema(definition.schema, { io: 'input', unrepresentable: 'any' }),
        },
      },
    };
    const channel = (channels[definition.topic] ??= {
      address: definition.topic,
      description: 'Kafka topic; key = aggregate id (order kept per key). Dead letters go to <topic>.dlq.',
      messages: {},
    }) as { messages: Record<string, object> };
    channel.messages[messageId] = { $ref: `#/components/messages/${messageId}` };
    operations[`publish.${messageId}`] = {
      action: 'send',
      channel: { $ref: `#/channels/${definition.topic}` },
      messages: [{ $ref: `#/channels/${definition.topic}/messages/${messageId}` }],
    };
  }
  return {
    asyncapi: '3.0.0',
    info: { title: 'Carebridge integration events', version },
    defaultContentType: 'application/cloudevents+json',
    channels,
    operations,
    components: { messages },
  };
}
