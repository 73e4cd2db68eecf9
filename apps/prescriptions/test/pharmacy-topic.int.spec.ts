import { randomUUID } from 'node:crypto';
import type { Kafka } from 'kafkajs';
import { NewRxTransmitted, PHARMACY_RESPONSE_TOPIC, PHARMACY_TOPIC, PRESCRIPTION_TOPIC, type CloudEvent } from '@carebridge/contracts';
import { createKafka, ensureTopics } from '@carebridge/messaging';
import { eventually, testInfrastructure } from '@carebridge/testing';
import { runPharmacyConsumer } from '../src/integration/pharmacy-consumer.example';
import { amoxicillinDraft, cast, client, pharmacyListing, randomNcpdpId, startService, type TestService } from './prescriptions-app';

describe('prescriptions over Kafka (real PostgreSQL and Kafka)', () => {
  let kafka: Kafka;
  let service: TestService;
  let pharmacy: { stop(): Promise<void> };
  const received: { event: CloudEvent<unknown>; key: string }[] = [];
  const ncpdpId = randomNcpdpId();

  beforeAll(async () => {
    kafka = createKafka({ brokers: testInfrastructure.kafkaBrokers, clientId: 'prescriptions-int' });
    const admin = kafka.admin();
    await admin.connect();
    await ensureTopics(admin, [PHARMACY_TOPIC, PHARMACY_RESPONSE_TOPIC, PRESCRIPTION_TOPIC].map((topic) => ({ topic, partitions: 3 })));
    await admin.disconnect();
    service = await startService({ kafka });
    pharmacy = await runPharmacyConsumer({
      kafka,
      ncpdpId,
      groupId: `pharmacy-${ncpdpId}-${randomUUID()}`,
      onMessage: (event, key) => received.push({ event, key }),
    });
  });

  afterAll(async () => {
    await pharmacy?.stop();
    await service?.close();
  });

  it('routes a signed prescription to its pharmacy by NCPDP id, and the fill comes back into the stream', async () => {
    const http = client(service.app);
    const who = await cast(service.tokens);
    await http.post('/v1/pharmacies', who.ops, pharmacyListing(who.ids.pharmacy, ncpdpId));
    await http.put(`/v1/patients/${who.ids.patient}/preferred-pharmacy`, who.patient, { ncpdpId });
    const draft = amoxicillinDraft(who.ids.patient);
    await http.post('/v1/prescriptions', who.provider, draft);
    await http.post(`/v1/prescriptions/${draft.prescriptionId}/check`, who.provider);
    expect((await http.post(`/v1/prescriptions/${draft.prescriptionId}/sign`, who.provider, {})).body.status).toBe('transmitted');

    const newRx = await eventually(() => received.find((r) => r.event.type === NewRxTransmitted.type && r.event.subject === draft.prescriptionId), {
      timeoutMs: 60_000,
      what: 'NewRx on the pharmacy topic',
    });
    expect(newRx.key).toBe(ncpdpId);
    // Ids and codes only: the sig and the note stay behind the scoped REST read.
    expect(JSON.stringify(newRx.event.data)).not.toContain(draft.sig);
    expect(newRx.event.data).toMatchObject({ drugCoded: { productCode: '308191', productCodeQualifier: 'RxNorm' }, numberOfRefills: 1, substitutions: '0' });

    const seen = await eventually(
      async () => {
        const res = await http.get(`/v1/prescriptions/${draft.prescriptionId}`, who.patient);
        return res.body.status === 'dispensed' ? res.body : undefined;
      },
      { timeoutMs: 60_000, what: 'the pharmacy fill recorded in the stream' },
    );
    expect(seen.fills).toEqual([expect.objectContaining({ fillStatus: 'dispensed', quantityDispensed: 30 })]);
    const { rows } = await service.db.pool.query(`SELECT event_type, metadata FROM "${service.db.schema}".events WHERE stream_id = $1 ORDER BY stream_version`, [
      `prescription-${draft.prescriptionId}`,
    ]);
    expect(rows.map((r) => r.event_type)).toEqual([
      'PrescriptionDrafted',
      'PrescriptionChecked',
      'PrescriptionSigned',
      'PrescriptionTransmitted',
      'PharmacyAcknowledged',
      'PrescriptionFillReported',
    ]);
    expect(rows.at(-1).metadata.actor).toEqual({ id: `ncpdp:${ncpdpId}`, role: 'pharmacy' });
  });
});
