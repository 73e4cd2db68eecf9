import committed from '../asyncapi.json';
import { DEFAULT_PARTITIONS, asyncApiDocument, partitionKeyField } from './asyncapi';
import { allIntegrationEvents } from './catalog';
import { defineIntegrationEvent } from './integration-event';
import { z } from 'zod';

// The document other teams read is the committed file; `npm run lint` also parses it with @asyncapi/parser.
describe('the committed AsyncAPI document (libs/contracts/asyncapi.json)', () => {
  const generated = JSON.parse(JSON.stringify(asyncApiDocument(allIntegrationEvents))) as typeof committed;

  it('equals the one generated from the contracts (npm run contracts:asyncapi, then commit)', () => {
    expect(committed).toEqual(generated);
  });

  it('names the Kafka server', () => {
    expect(committed.servers.kafka).toMatchObject({ protocol: 'kafka', host: '{brokers}', variables: { brokers: { default: '127.0.0.1:9092' } } });
  });

  it('binds every topic to Kafka with its partitions and every message key to the aggregate id in data', () => {
    const doc = generated as unknown as {
      channels: Record<string, { bindings: { kafka: { topic: string; partitions: number } } }>;
      components: { messages: Record<string, { bindings: { kafka: { key: { type: string; description: string } } }; headers: unknown }> };
    };
    for (const [topic, channel] of Object.entries(doc.channels)) expect(channel.bindings.kafka).toMatchObject({ topic, partitions: DEFAULT_PARTITIONS });
    // Every integration event, plus the four SCRIPT XML records of the pharmacy topic (binary mode).
    expect(Object.keys(doc.components.messages)).toHaveLength(allIntegrationEvents.length + 4);
    const newRx = doc.components.messages['prescriptions.NewRxTransmitted.v2'] as unknown as { contentType: string; payload: { type: string }; headers: { required: string[] } };
    expect(newRx).toMatchObject({ contentType: 'application/xml', payload: { type: 'string' } });
    expect(newRx.headers.required).toEqual(expect.arrayContaining(['content-type', 'ce_id', 'ce_type', 'ce_scriptversion']));
    const eligibility = doc.components.messages['billing-eligibility.EligibilityDetermined.v1']!;
    expect(eligibility.bindings.kafka.key).toMatchObject({ type: 'string', format: 'uuid', description: expect.stringMatching(/^data\.patientId: /) });
  });

  it('describes the CloudEvents headers, with the source and type of each message', () => {
    const doc = generated as unknown as {
      components: { schemas: { CloudEventsKafkaHeaders: { required: string[] } }; messages: Record<string, { headers: { allOf: { properties?: Record<string, { const: string }> }[] } }> };
    };
    expect(doc.components.schemas.CloudEventsKafkaHeaders.required).toEqual(
      expect.arrayContaining(['ce_specversion', 'ce_id', 'ce_source', 'ce_type', 'ce_time', 'content-type']),
    );
    const booked = doc.components.messages['scheduling.AppointmentBooked.v1']!.headers.allOf[1]!.properties!;
    expect([booked.ce_source!.const, booked.ce_type!.const]).toEqual(['/carebridge/scheduling', 'carebridge.scheduling.AppointmentBooked.v1']);
  });
});

describe('the key of a message', () => {
  const event = (partitionKey: (d: { a: string; b: string }) => string) =>
    defineIntegrationEvent({ context: 'testing', name: 'Probe', version: 1, topic: 'carebridge.testing.probe.v1', schema: z.object({ a: z.string(), b: z.string() }), partitionKey });

  it('is the one field of data the partition key reads', () => {
    expect(partitionKeyField(event((d) => d.b))).toBe('b');
  });

  it('cannot be described when it is built from several fields, and the generator says so', () => {
    expect(() => partitionKeyField(event((d) => `${d.a}:${d.b}`))).toThrow(/not one field of data/);
  });
});
