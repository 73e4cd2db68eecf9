import { randomUUID } from 'node:crypto';
import type { Consumer, Kafka } from 'kafkajs';
import {
  CancelRxSent,
  NewRxTransmitted,
  RxRenewalResponseSent,
  PRESCRIPTION_TOPIC,
  PharmacyMessageReceived,
  PrescriptionFillRecorded,
  toKafkaRecord,
  type CloudEvent,
} from '@carebridge/contracts';
import { createKafka, ensureTopics } from '@carebridge/messaging';
import { prescriptionsService } from '../src/prescriptions.service';
import { eventually, sendRecords, testInfrastructure } from '@carebridge/testing';
import { runPharmacyConsumer } from '../src/integration/pharmacy-consumer.example';
import { amoxicillinDraft, cast, client, pharmacyListing, randomNcpdpId, relate, startService, type TestService } from './prescriptions-app';

describe('prescriptions over Kafka (real PostgreSQL and Kafka)', () => {
  let kafka: Kafka;
  let service: TestService;
  let pharmacy: { stop(): Promise<void> };
  let monitoring: Consumer;
  const received: { event: CloudEvent<unknown>; key: string }[] = [];
  const adherence: CloudEvent<typeof PrescriptionFillRecorded.Data>[] = [];
  const ncpdpId = randomNcpdpId();
  // Prescriptions whose NewRx the example pharmacy only acknowledges (no fill), to test CancelRx.
  const holdBack = new Set<string>();

  beforeAll(async () => {
    kafka = createKafka({ brokers: testInfrastructure.kafkaBrokers, clientId: 'prescriptions-int' });
    const admin = kafka.admin();
    await admin.connect();
    // Every topic the service's consumer subscribes to (a fresh broker has none of them).
    await ensureTopics(admin, prescriptionsService.topics.map((topic) => ({ topic, partitions: 3 })));
    await admin.disconnect();
    service = await startService({ kafka });
    pharmacy = await runPharmacyConsumer({
      kafka,
      ncpdpId,
      groupId: `pharmacy-${ncpdpId}-${randomUUID()}`,
      onMessage: (event, key) => received.push({ event, key }),
      answerNewRx: (data) =>
        holdBack.has(data.prescriptionId)
          ? [{ kind: 'Status', messageId: randomUUID() }]
          : [
              { kind: 'Status', messageId: randomUUID() },
              { kind: 'RxFill', messageId: randomUUID(), fillStatus: 'dispensed', quantityDispensed: data.quantity.value, reason: null },
            ],
    });
    // What a monitoring service would read: the fills and their timing.
    monitoring = kafka.consumer({ groupId: `monitoring-${randomUUID()}` });
    await monitoring.connect();
    await monitoring.subscribe({ topics: [PRESCRIPTION_TOPIC], fromBeginning: true });
    await monitoring.run({
      eachMessage: async ({ message }) => {
        const event = JSON.parse(message.value!.toString()) as CloudEvent<typeof PrescriptionFillRecorded.Data>;
        if (event.type === PrescriptionFillRecorded.type) adherence.push(event);
      },
    });
  });

  afterAll(async () => {
    await monitoring?.disconnect();
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
    await relate(service, who.ids.provider, draft.patientId);
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

  it('publishes the fill as the adherence signal, keyed by prescription', async () => {
    const http = client(service.app);
    const who = await cast(service.tokens);
    const draft = amoxicillinDraft(who.ids.patient);
    await http.post('/v1/prescriptions', who.provider, draft);
    await relate(service, who.ids.provider, draft.patientId);
    await http.post(`/v1/prescriptions/${draft.prescriptionId}/check`, who.provider);
    await http.post(`/v1/prescriptions/${draft.prescriptionId}/sign`, who.provider, { pharmacyNcpdpId: ncpdpId });
    const fill = await eventually(() => adherence.find((e) => e.data.prescriptionId === draft.prescriptionId), {
      timeoutMs: 60_000,
      what: 'PrescriptionFillRecorded',
    });
    expect(fill.data).toMatchObject({ patientId: who.ids.patient, rxnormCode: '308191', fillStatus: 'dispensed', quantityDispensed: 30, daysSupply: 10 });
  });

  it('sends a CancelRx to the pharmacy and cancels when the pharmacy approves', async () => {
    const http = client(service.app);
    const who = await cast(service.tokens);
    const draft = amoxicillinDraft(who.ids.patient);
    holdBack.add(draft.prescriptionId);
    await http.post('/v1/prescriptions', who.provider, draft);
    await relate(service, who.ids.provider, draft.patientId);
    await http.post(`/v1/prescriptions/${draft.prescriptionId}/check`, who.provider);
    await http.post(`/v1/prescriptions/${draft.prescriptionId}/sign`, who.provider, { pharmacyNcpdpId: ncpdpId });
    await eventually(() => received.find((r) => r.event.type === NewRxTransmitted.type && r.event.subject === draft.prescriptionId), {
      timeoutMs: 60_000,
      what: 'NewRx',
    });
    const cancel = await http.post(`/v1/prescriptions/${draft.prescriptionId}/cancel`, who.provider, { reason: 'wrong medication' });
    expect(cancel.body.status).toBe('cancel-requested');
    const cancelRx = await eventually(() => received.find((r) => r.event.type === CancelRxSent.type && r.event.subject === draft.prescriptionId), {
      timeoutMs: 60_000,
      what: 'CancelRx on the pharmacy topic',
    });
    expect(cancelRx.key).toBe(ncpdpId);
    const view = await eventually(
      async () => {
        const res = await http.get(`/v1/prescriptions/${draft.prescriptionId}`, who.provider);
        return res.body.status === 'cancelled' ? res.body : undefined;
      },
      { timeoutMs: 60_000, what: 'the CancelRxResponse recorded' },
    );
    expect(view.cancel).toEqual({ reason: 'wrong medication', decision: 'approved' });
  });

  it('sends the RxRenewalResponse of an approved and of a denied renewal to the pharmacy', async () => {
    const http = client(service.app);
    const who = await cast(service.tokens);
    const draft = amoxicillinDraft(who.ids.patient);
    await http.post('/v1/prescriptions', who.provider, draft);
    await relate(service, who.ids.provider, draft.patientId);
    await http.post(`/v1/prescriptions/${draft.prescriptionId}/check`, who.provider);
    await http.post(`/v1/prescriptions/${draft.prescriptionId}/sign`, who.provider, { pharmacyNcpdpId: ncpdpId });
    const decisions: Record<string, string> = {};
    for (const [decision, body] of [
      ['approved', { decision: 'approved', refillsAuthorized: 2 }],
      ['denied', { decision: 'denied', reason: 'needs a follow-up visit' }],
    ] as const) {
      const requested = await http.post(`/v1/prescriptions/${draft.prescriptionId}/renewal-requests`, who.patient, {});
      const answered = await http.post(`/v1/prescriptions/${draft.prescriptionId}/renewal-requests/${requested.body.renewalRequestId}/response`, who.provider, body);
      expect(answered.status).toBe(200);
      decisions[requested.body.renewalRequestId] = decision;
    }
    const responses = await eventually(
      () => {
        const found = received.filter((r) => r.event.type === RxRenewalResponseSent.type && r.event.subject === draft.prescriptionId);
        return found.length === 2 ? found : undefined;
      },
      { timeoutMs: 60_000, what: 'two RxRenewalResponse messages' },
    );
    expect(responses.map((r) => r.key)).toEqual([ncpdpId, ncpdpId]);
    const data = responses.map((r) => r.event.data as typeof RxRenewalResponseSent.Data);
    expect(data.map((d) => [decisions[d.renewalRequestId], d.decision, d.refillsAuthorized])).toEqual([
      ['approved', 'approved', 2],
      ['denied', 'denied', 0],
    ]);
  });

  it('refuses an answer from a pharmacy the prescription was not routed to (dead letter, nothing recorded)', async () => {
    const http = client(service.app);
    const who = await cast(service.tokens);
    const draft = amoxicillinDraft(who.ids.patient);
    holdBack.add(draft.prescriptionId);
    await http.post('/v1/prescriptions', who.provider, draft);
    await relate(service, who.ids.provider, draft.patientId);
    await http.post(`/v1/prescriptions/${draft.prescriptionId}/check`, who.provider);
    await http.post(`/v1/prescriptions/${draft.prescriptionId}/sign`, who.provider, { pharmacyNcpdpId: ncpdpId });
    const intruder = ncpdpId === '9999999' ? '9999998' : '9999999';
    const record = toKafkaRecord(
      PharmacyMessageReceived,
      {
        prescriptionId: draft.prescriptionId,
        pharmacyNcpdpId: intruder,
        message: { kind: 'RxFill', messageId: randomUUID(), fillStatus: 'dispensed', quantityDispensed: 30, reason: null },
      },
      { id: randomUUID(), time: new Date(), correlationId: randomUUID(), actor: { id: `ncpdp:${intruder}`, role: 'pharmacy' } },
    );
    await sendRecords(kafka, [record]);
    const eventId = JSON.parse(record.value).id as string;
    const outcome = await eventually(
      async () => {
        const { rows } = await service.db.pool.query(`SELECT outcome, error FROM "${service.db.schema}".inbox WHERE event_id = $1`, [eventId]);
        return rows[0];
      },
      { timeoutMs: 60_000, what: 'the inbox outcome' },
    );
    expect(outcome.outcome).toBe('dead-lettered');
    const view = await http.get(`/v1/prescriptions/${draft.prescriptionId}`, who.provider);
    expect(view.body.fills).toEqual([]);
  });
});
