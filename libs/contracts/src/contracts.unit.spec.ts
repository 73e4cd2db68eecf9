import { z } from 'zod';
import {
  asyncApiDocument,
  ContractRegistry,
  ContractViolationError,
  defineIntegrationEvent,
  toKafkaRecord,
  UnknownEventTypeError,
} from './index';

const PrescriptionSignedV1 = defineIntegrationEvent({
  context: 'prescriptions',
  name: 'PrescriptionSigned',
  version: 1,
  topic: 'carebridge.prescriptions.prescription.v1',
  schema: z.object({ prescriptionId: z.uuid(), pharmacyId: z.string() }),
  partitionKey: (d) => d.prescriptionId,
});

const PrescriptionSignedV2 = defineIntegrationEvent({
  context: 'prescriptions',
  name: 'PrescriptionSigned',
  version: 2,
  topic: 'carebridge.prescriptions.prescription.v1',
  schema: z.object({
    prescriptionId: z.uuid(),
    pharmacy: z.object({ id: z.string(), ncpdpId: z.string().optional() }),
    medications: z.array(z.object({ rxnormCode: z.string().regex(/^\d+$/) })).min(1),
  }),
  partitionKey: (d) => d.prescriptionId,
  upcasters: {
    1: (old) => {
      const v1 = old as { prescriptionId: string; pharmacyId: string };
      return { prescriptionId: v1.prescriptionId, pharmacy: { id: v1.pharmacyId }, medications: [{ rxnormCode: '0' }] };
    },
  },
});

const context = {
  id: '0b7c1a5e-1c5b-4a53-9f55-1e0f1e2c3d4e',
  time: new Date('2026-11-22T10:00:00Z'),
  correlationId: 'corr-1',
  causationId: 'cause-1',
  traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
  actor: { id: 'prov-1', role: 'provider' },
};
const rxId = '6f1c1d1e-8a8b-4c4d-9e9f-0a1b2c3d4e5f';

describe('defining an integration event', () => {
  it('derives the CloudEvents type from context, name and version', () => {
    expect(PrescriptionSignedV2.type).toBe('carebridge.prescriptions.PrescriptionSigned.v2');
  });

  it('refuses a topic outside the naming scheme', () => {
    expect(() =>
      defineIntegrationEvent({
        context: 'prescriptions',
        name: 'PrescriptionSigned',
        version: 1,
        topic: 'prescriptions',
        schema: z.object({}),
        partitionKey: () => 'k',
      }),
    ).toThrow(/carebridge\.<context>\.<aggregate>\.v<N>/);
  });
});

describe('encoding', () => {
  it('wraps valid data in a CloudEvents 1.0 envelope keyed by the aggregate id', () => {
    const record = toKafkaRecord(PrescriptionSignedV1, { prescriptionId: rxId, pharmacyId: 'ph-1' }, context);
    expect(record.topic).toBe('carebridge.prescriptions.prescription.v1');
    expect(record.key).toBe(rxId);
    expect(record.headers).toMatchObject({ ce_type: PrescriptionSignedV1.type, traceparent: context.traceparent });
    expect(JSON.parse(record.value)).toEqual({
      specversion: '1.0',
      id: context.id,
      source: '/carebridge/prescriptions',
      type: 'carebridge.prescriptions.PrescriptionSigned.v1',
      time: '2026-11-22T10:00:00.000Z',
      subject: rxId,
      datacontenttype: 'application/json',
      data: { prescriptionId: rxId, pharmacyId: 'ph-1' },
      correlationid: 'corr-1',
      causationid: 'cause-1',
      traceparent: context.traceparent,
      actor: 'provider:prov-1',
    });
  });

  it('throws an error naming each field that breaks the contract', () => {
    const bad = { prescriptionId: rxId, pharmacy: { id: 7 }, medications: [{ rxnormCode: 'abc' }] };
    let error: ContractViolationError | undefined;
    try {
      toKafkaRecord(PrescriptionSignedV2, bad as never, context);
    } catch (e) {
      error = e as ContractViolationError;
    }
    expect(error).toBeInstanceOf(ContractViolationError);
    expect(error!.issues.map((i) => i.field)).toEqual(['pharmacy.id', 'medications[0].rxnormCode']);
    expect(error!.message).toMatch(/pharmacy\.id/);
  });
});

describe('decoding', () => {
  const registry = new ContractRegistry([PrescriptionSignedV1, PrescriptionSignedV2]);

  it('decodes and validates the latest version', () => {
    const data = { prescriptionId: rxId, pharmacy: { id: 'ph-1' }, medications: [{ rxnormCode: '197361' }] };
    const decoded = registry.decode(toKafkaRecord(PrescriptionSignedV2, data, context).value);
    expect(decoded.data).toEqual(data);
    expect(decoded.definition).toBe(PrescriptionSignedV2);
  });

  it('upcasts an older version to the latest', () => {
    const v1 = toKafkaRecord(PrescriptionSignedV1, { prescriptionId: rxId, pharmacyId: 'ph-9' }, context);
    const decoded = registry.decode(v1.value);
    expect(decoded.type).toBe('carebridge.prescriptions.PrescriptionSigned.v2');
    expect(decoded.data).toEqual({ prescriptionId: rxId, pharmacy: { id: 'ph-9' }, medications: [{ rxnormCode: '0' }] });
  });

  it('rejects an unknown type, a missing attribute and data that breaks the contract', () => {
    const envelope = JSON.parse(toKafkaRecord(PrescriptionSignedV1, { prescriptionId: rxId, pharmacyId: 'x' }, context).value);
    expect(() => registry.decode(JSON.stringify({ ...envelope, type: 'carebridge.visits.VisitEnded.v1' }))).toThrow(
      UnknownEventTypeError,
    );
    expect(() => registry.decode(JSON.stringify({ ...envelope, correlationid: undefined }))).toThrow(/correlationid/);
    expect(() =>
      registry.decode(JSON.stringify({ ...envelope, type: PrescriptionSignedV2.type, data: { prescriptionId: 'no' } })),
    ).toThrow(/prescriptionId/);
    expect(() => registry.decode('not json')).toThrow(ContractViolationError);
  });
});

describe('AsyncAPI document', () => {
  it('lists each topic with its messages and their JSON schema', () => {
    const doc = asyncApiDocument([PrescriptionSignedV2]) as any;
    expect(doc.asyncapi).toBe('3.1.0');
    const channel = doc.channels['carebridge.prescriptions.prescription.v1'];
    expect(Object.keys(channel.messages)).toEqual(['prescriptions.PrescriptionSigned.v2']);
    const payload = doc.components.messages['prescriptions.PrescriptionSigned.v2'].payload;
    expect(payload.properties.data.required).toEqual(['prescriptionId', 'pharmacy', 'medications']);
  });
});

describe('Kafka headers: every CloudEvents attribute as a ce_ header too (binary-mode readers)', () => {
  const record = toKafkaRecord(PrescriptionSignedV1, { prescriptionId: rxId, pharmacyId: 'ph-1' }, context);

  it('carries the required attributes, time, subject and the extensions as ce_ headers', () => {
    expect(record.headers).toEqual({
      'content-type': 'application/cloudevents+json; charset=utf-8',
      ce_specversion: '1.0',
      ce_id: context.id,
      ce_source: '/carebridge/prescriptions',
      ce_type: PrescriptionSignedV1.type,
      ce_time: '2026-11-22T10:00:00.000Z',
      ce_subject: rxId,
      ce_correlationid: 'corr-1',
      ce_causationid: 'cause-1',
      ce_traceparent: context.traceparent,
      ce_actor: 'provider:prov-1',
      traceparent: context.traceparent,
    });
  });

  it('has headers equal to the structured envelope, attribute by attribute', () => {
    const envelope = JSON.parse(record.value) as Record<string, unknown>;
    for (const [name, value] of Object.entries(record.headers)) {
      if (name.startsWith('ce_')) expect([name, value]).toEqual([name, envelope[name.slice(3)]]);
    }
  });
});
