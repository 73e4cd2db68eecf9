import { randomUUID } from 'node:crypto';
import type { Consumer, Kafka } from 'kafkajs';
import { PRESCRIPTION_TOPIC, PharmacyMessageReceived, PharmacyScriptReceived, PrescriptionFillRecorded, scriptEventType, toKafkaRecord, type CloudEvent } from '@carebridge/contracts';
import { createKafka, ensureTopics } from '@carebridge/messaging';
import { eventually, sendRecords, testInfrastructure } from '@carebridge/testing';
import { DemoPharmacy } from '../../../tools/embedded/demo-pharmacy';
import { defaultAnswer } from '../src/integration/pharmacy-consumer.example';
import { prescriptionsService } from '../src/prescriptions.service';
import { renderPharmacyReply } from '../src/prescription/script/pharmacy-side.mapping';
import { parseScriptXml } from '../src/prescription/script/script-parse.mapping';
import { checkStructure, PHARMACY_BOUND_SCHEMA } from '../src/prescription/script/script-structure.schemas';
import { accessEvents, amoxicillinDraft, cast, client, pharmacyListing, randomNcpdpId, relate, SIGN_PARTIES, startService, type TestService } from './prescriptions-app.fixtures';

/**
 * The pharmacy channel on the real broker: the demo pharmacy (tools/embedded/demo-pharmacy.ts)
 * reads the SCRIPT XML of each pharmacy-bound message from the pharmacy topic and answers in
 * SCRIPT XML on the inbound topic. Its consumer group is unique per run; it answers only the
 * NCPDP id of this run (the topic is shared with earlier runs).
 */
describe('prescriptions and the demo pharmacy over Kafka, in NCPDP SCRIPT XML (real PostgreSQL and Kafka)', () => {
  let kafka: Kafka;
  let service: TestService;
  let pharmacy: DemoPharmacy;
  let monitoring: Consumer;
  const adherence: CloudEvent<typeof PrescriptionFillRecorded.Data>[] = [];
  const ncpdpId = randomNcpdpId();
  // Prescriptions whose NewRx the pharmacy only acknowledges (no fill), to test CancelRx.
  const holdBack = new Set<string>();
  const received = (message: string, prescriptionId: string) => pharmacy.received(ncpdpId).filter((m) => m.type === scriptEventType(message as 'NewRx') && m.subject === prescriptionId);

  beforeAll(async () => {
    kafka = createKafka({ brokers: testInfrastructure.kafkaBrokers, clientId: 'prescriptions-int' });
    const admin = kafka.admin();
    await admin.connect();
    // Every topic the service's consumer subscribes to (a fresh broker has none of them).
    await ensureTopics(admin, prescriptionsService.topics.map((topic) => ({ topic, partitions: 3 })));
    await admin.disconnect();
    service = await startService({ kafka });
    pharmacy = new DemoPharmacy({
      groupId: `demo-pharmacy-${randomUUID()}`,
      answer: (r) => (r.ncpdpId !== ncpdpId ? [] : holdBack.has(r.event.subject) && r.event.message === 'NewRx' ? [{ kind: 'Status', messageId: randomUUID() }] : defaultAnswer(r)),
    });
    await pharmacy.start(kafka);
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

  async function transmitted(http: ReturnType<typeof client>, who: Awaited<ReturnType<typeof cast>>, options: { holdBack?: boolean } = {}) {
    const draft = amoxicillinDraft(who.ids.patient);
    if (options.holdBack) holdBack.add(draft.prescriptionId);
    await http.post('/v1/prescriptions', who.provider, draft);
    await relate(service, who.ids.provider, draft.patientId);
    await http.post(`/v1/prescriptions/${draft.prescriptionId}/check`, who.provider);
    const signed = await http.post(`/v1/prescriptions/${draft.prescriptionId}/sign`, who.provider, { ...SIGN_PARTIES, pharmacyNcpdpId: ncpdpId });
    expect(signed.body.status).toBe('transmitted');
    return draft;
  }

  it('NewRx -> RxFill: the pharmacy receives the NewRx XML in the version it accepts and its RxFill comes back into the stream', async () => {
    const http = client(service.app);
    const who = await cast(service.tokens);
    // This pharmacy states it accepts 2023011 only (pharmacyListing).
    await http.post('/v1/pharmacies', who.ops, pharmacyListing(who.ids.pharmacy, ncpdpId));
    const draft = await transmitted(http, who);

    const [newRx] = await eventually(() => (received('NewRx', draft.prescriptionId).length ? received('NewRx', draft.prescriptionId) : undefined), {
      timeoutMs: 60_000,
      what: 'the SCRIPT NewRx at the demo pharmacy',
    });
    expect([newRx!.datacontenttype, newRx!.scriptVersion]).toEqual(['application/xml', '2023011']);
    expect(checkStructure(parseScriptXml(newRx!.xml), PHARMACY_BOUND_SCHEMA.NewRx!)).toEqual([]);
    expect(newRx!.xml).toContain(`<SigText>${draft.sig}</SigText>`);
    expect(newRx!.xml).toContain('TransactionVersion="20230115"');

    const seen = await eventually(
      async () => {
        const res = await http.get(`/v1/prescriptions/${draft.prescriptionId}`, who.patient);
        return res.body.status === 'dispensed' ? res.body : undefined;
      },
      { timeoutMs: 60_000, what: 'the pharmacy RxFill recorded in the stream' },
    );
    expect(seen.fills).toEqual([expect.objectContaining({ fillStatus: 'dispensed', quantityDispensed: 30 })]);
    const { rows } = await service.db.pool.query(`SELECT event_type, metadata FROM "${service.db.schema}".events WHERE stream_id = $1 ORDER BY stream_version`, [
      `prescription-${draft.prescriptionId}`,
    ]);
    expect(rows.map((r) => r.event_type)).toEqual(['PrescriptionDrafted', 'PrescriptionChecked', 'PrescriptionSigned', 'PrescriptionTransmitted', 'PharmacyAcknowledged', 'PrescriptionFillReported']);
    expect(rows.at(-1).metadata.actor).toEqual({ id: `ncpdp:${ncpdpId}`, role: 'pharmacy' });

    // A pharmacy that polls reads the same XML (same MessageID) over REST; no one else reads it; the read is audited.
    const before = (await accessEvents(service)).length;
    const polled = await http.get(`/v1/pharmacies/${ncpdpId}/script-messages?after=0`, who.pharmacy);
    expect(polled.status).toBe(200);
    const mine = (polled.body.messages as { prescriptionId: string; message: string; xml: string; contentType: string; position: number }[]).filter((m) => m.prescriptionId === draft.prescriptionId);
    expect(mine.map((m) => [m.message, m.contentType])).toEqual([['NewRx', 'application/xml']]);
    expect(mine[0]!.xml).toBe(newRx!.xml);
    expect((await http.get(`/v1/pharmacies/${ncpdpId}/script-messages?after=${polled.body.next}`, who.pharmacy)).body.messages).toEqual([]);
    expect((await http.get(`/v1/pharmacies/${ncpdpId}/script-messages`, who.otherPharmacy)).status).toBe(404);
    expect((await http.get(`/v1/pharmacies/${ncpdpId}/script-messages`, who.provider)).status).toBe(403);
    const audited = (await accessEvents(service)).slice(before);
    expect(audited.map((e) => [e.operation, e.actor.role, e.outcome])).toEqual(
      expect.arrayContaining([['GET /v1/pharmacies/{ncpdpId}/script-messages', 'pharmacy', 'granted']]),
    );
  });

  it('publishes the fill as the adherence signal, keyed by prescription', async () => {
    const http = client(service.app);
    const who = await cast(service.tokens);
    const draft = await transmitted(http, who);
    const fill = await eventually(() => adherence.find((e) => e.data.prescriptionId === draft.prescriptionId), { timeoutMs: 60_000, what: 'PrescriptionFillRecorded' });
    expect(fill.data).toMatchObject({ patientId: who.ids.patient, rxnormCode: '308191', fillStatus: 'dispensed', quantityDispensed: 30, daysSupply: 10 });
  });

  it('NewRx -> CancelRx -> CancelRxResponse: the pharmacy receives the CancelRx XML and its approval cancels the prescription', async () => {
    const http = client(service.app);
    const who = await cast(service.tokens);
    const draft = await transmitted(http, who, { holdBack: true });
    await eventually(() => (received('NewRx', draft.prescriptionId).length ? true : undefined), { timeoutMs: 60_000, what: 'NewRx' });
    const cancel = await http.post(`/v1/prescriptions/${draft.prescriptionId}/cancel`, who.provider, { reason: 'wrong medication' });
    expect(cancel.body.status).toBe('cancel-requested');
    const [cancelRx] = await eventually(() => (received('CancelRx', draft.prescriptionId).length ? received('CancelRx', draft.prescriptionId) : undefined), {
      timeoutMs: 60_000,
      what: 'the SCRIPT CancelRx at the demo pharmacy',
    });
    expect(checkStructure(parseScriptXml(cancelRx!.xml), PHARMACY_BOUND_SCHEMA.CancelRx!)).toEqual([]);
    const view = await eventually(
      async () => {
        const res = await http.get(`/v1/prescriptions/${draft.prescriptionId}`, who.provider);
        return res.body.status === 'cancelled' ? res.body : undefined;
      },
      { timeoutMs: 60_000, what: 'the CancelRxResponse recorded' },
    );
    expect(view.cancel).toEqual({ reason: 'wrong medication', decision: 'approved' });
  });

  it('sends the RxRenewalResponse XML of an approved and of a denied renewal to the pharmacy', async () => {
    const http = client(service.app);
    const who = await cast(service.tokens);
    const draft = await transmitted(http, who, { holdBack: true });
    for (const body of [
      { decision: 'approved', refillsAuthorized: 2 },
      { decision: 'denied', reason: 'needs a follow-up visit' },
    ]) {
      const requested = await http.post(`/v1/prescriptions/${draft.prescriptionId}/renewal-requests`, who.patient, {});
      const answered = await http.post(`/v1/prescriptions/${draft.prescriptionId}/renewal-requests/${requested.body.renewalRequestId}/response`, who.provider, body);
      expect(answered.status).toBe(200);
    }
    const responses = await eventually(() => (received('RxRenewalResponse', draft.prescriptionId).length === 2 ? received('RxRenewalResponse', draft.prescriptionId) : undefined), {
      timeoutMs: 60_000,
      what: 'two SCRIPT RxRenewalResponse messages',
    });
    for (const r of responses) expect(checkStructure(parseScriptXml(r.xml), PHARMACY_BOUND_SCHEMA.RxRenewalResponse!)).toEqual([]);
    expect(responses[0]!.xml).toContain('<NumberOfRefills>2</NumberOfRefills>');
    expect(responses[1]!.xml).toContain('<Denied><DenialReason>needs a follow-up visit</DenialReason></Denied>');
  });

  it('refuses an answer from a pharmacy the prescription was not routed to (dead letter, nothing recorded)', async () => {
    const http = client(service.app);
    const who = await cast(service.tokens);
    const draft = await transmitted(http, who, { holdBack: true });
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

  it('dead-letters SCRIPT XML that names another sender or carries a DTD, and records nothing', async () => {
    const http = client(service.app);
    const who = await cast(service.tokens);
    const draft = await transmitted(http, who, { holdBack: true });
    const header = { version: '2023011' as const, fromNcpdpId: ncpdpId, toNpi: '1234567893', relatesToMessageId: 'x', prescriberOrderNumber: draft.prescriptionId, sentAt: new Date().toISOString() };
    const fill = { kind: 'RxFill' as const, messageId: randomUUID(), fillStatus: 'dispensed' as const, quantityDispensed: 30, reason: null };
    const otherSender = renderPharmacyReply({ ...header, fromNcpdpId: ncpdpId === '9999999' ? '9999998' : '9999999' }, fill);
    const withDtd = renderPharmacyReply(header, { ...fill, messageId: randomUUID() }).replace('<?xml version="1.0" encoding="UTF-8"?>', '<!DOCTYPE Message [<!ENTITY e SYSTEM "file:///etc/passwd">]>');
    const records = [otherSender, withDtd].map((xml) =>
      toKafkaRecord(
        PharmacyScriptReceived,
        { prescriptionId: draft.prescriptionId, pharmacyNcpdpId: ncpdpId, scriptVersion: '2023011', xml },
        { id: randomUUID(), time: new Date(), correlationId: randomUUID(), actor: { id: `ncpdp:${ncpdpId}`, role: 'pharmacy' } },
      ),
    );
    await sendRecords(kafka, records);
    const outcomes = await eventually(
      async () => {
        const ids = records.map((r) => JSON.parse(r.value).id as string);
        const { rows } = await service.db.pool.query(`SELECT event_id, outcome, error FROM "${service.db.schema}".inbox WHERE event_id = ANY($1)`, [ids]);
        return rows.length === 2 ? ids.map((id) => rows.find((r) => r.event_id === id)) : undefined;
      },
      { timeoutMs: 60_000, what: 'the inbox outcomes' },
    );
    expect(outcomes.map((o) => o.outcome)).toEqual(['dead-lettered', 'dead-lettered']);
    expect(outcomes.map((o) => JSON.stringify(o.error))).toEqual([expect.stringContaining('Header.From'), expect.stringContaining('DTD')]);
    expect((await http.get(`/v1/prescriptions/${draft.prescriptionId}`, who.provider)).body.fills).toEqual([]);
  });
});
