import { randomUUID } from 'node:crypto';
import type { Kafka } from 'kafkajs';
import { PrescriptionIntended, toKafkaRecord, type KafkaRecord } from '@carebridge/contracts';
import { createKafka, ensureTopics } from '@carebridge/messaging';
import { eventually, sendRecords, testInfrastructure } from '@carebridge/testing';
import { prescriptionsService } from '../src/prescriptions.service';
import { amoxicillinDraft, cast, client, CMS_EXAMPLE_NPI, oxycodoneDraft, startService, type TestService } from './prescriptions-app.fixtures';

/** Issue 5: "drafted (from a visit's prescription intent ...)": visits -> Kafka -> the prescriber's draft. */
describe("a visit's prescription intent becomes the prescriber's draft (real PostgreSQL and Kafka)", () => {
  let kafka: Kafka;
  let service: TestService;

  const send = (record: KafkaRecord) => sendRecords(kafka, [record]);
  const inboxOutcome = (eventId: string) =>
    eventually(
      async () => {
        const { rows } = await service.db.pool.query(`SELECT outcome FROM "${service.db.schema}".inbox WHERE event_id = $1`, [eventId]);
        return rows[0]?.outcome as string | undefined;
      },
      { timeoutMs: 60_000, what: `inbox entry for ${eventId}` },
    );

  beforeAll(async () => {
    kafka = createKafka({ brokers: testInfrastructure.kafkaBrokers, clientId: 'prescriptions-visit-intent-int' });
    const admin = kafka.admin();
    await admin.connect();
    // Every topic the service's consumer subscribes to (a fresh broker has none of them).
    await ensureTopics(admin, prescriptionsService.topics.map((topic) => ({ topic, partitions: 3 })));
    await admin.disconnect();
    service = await startService({ kafka });
  });

  afterAll(async () => {
    await service?.close();
  });

  it('drafts it once for the named prescriber, who reads it, completes it and checks it', async () => {
    const http = client(service.app);
    const who = await cast(service.tokens);
    const intentId = randomUUID();
    const visitId = randomUUID();
    const intent = {
      intentId,
      visitId,
      patientId: who.ids.patient,
      prescriberId: who.ids.provider,
      rxnormCode: '308191',
      medicationName: 'amoxicillin 500 MG Oral Capsule',
      quantity: { value: 30, unit: 'capsule' },
      daysSupply: 10,
      refills: 0,
      encounterModality: 'audio-video' as const,
      patientLocationState: 'IL',
    };
    const context = () => ({ id: randomUUID(), time: new Date(), correlationId: randomUUID(), actor: { id: who.ids.provider, role: 'provider' } });
    const record = toKafkaRecord(PrescriptionIntended, intent, context());
    await send(record);

    const draft = await eventually(
      async () => {
        const res = await http.get(`/v1/prescriptions/${intentId}`, who.provider);
        return res.status === 200 ? res.body : undefined;
      },
      { timeoutMs: 60_000, what: 'the draft from the intent' },
    );
    expect(draft).toMatchObject({
      prescriptionId: intentId,
      status: 'drafted',
      rx: {
        patientId: who.ids.patient,
        visitId,
        prescriber: { providerId: who.ids.provider, npi: '', deaNumber: null },
        medication: { rxnormCode: '308191', name: intent.medicationName },
        sig: '', // the visit keeps the sig's free text off Kafka: the prescriber writes it here
        quantity: { value: 30, unit: 'capsule' },
        daysSupply: 10,
        refills: 0,
        // Where the patient was during the visit: what a controlled substance's DEA registration is checked against.
        encounter: { modality: 'audio-video', patientLocationState: 'IL' },
      },
    });
    expect((await http.get('/v1/prescriptions', who.provider)).body.items.map((p: { prescriptionId: string }) => p.prescriptionId)).toContain(intentId);
    // A draft belongs to its prescriber: another provider cannot see it.
    expect((await http.get(`/v1/prescriptions/${intentId}`, who.otherProvider)).status).toBe(404);

    // Delivered twice (same CloudEvent id: the inbox), and republished (new id: the commandId).
    await send(record);
    const republished = toKafkaRecord(PrescriptionIntended, intent, context());
    await send(republished);
    // Same key, same partition, in order: once the republished one is processed, so was the duplicate.
    expect(await inboxOutcome(JSON.parse(republished.value).id)).toBe('processed');
    const { rows } = await service.db.pool.query(`SELECT event_type, metadata FROM "${service.db.schema}".events WHERE stream_id = $1`, [
      `prescription-${intentId}`,
    ]);
    expect(rows.map((r) => r.event_type)).toEqual(['PrescriptionDrafted']);
    expect(rows[0].metadata).toMatchObject({ actor: { id: 'visits', role: 'system' }, commandId: `visit-intent:${intentId}` });

    // Incomplete (no NPI, strength, dose form, ingredients, sig): the checks refuse it, naming each.
    const early = await http.post(`/v1/prescriptions/${intentId}/check`, who.provider);
    expect(early.status).toBe(422);
    expect(JSON.stringify(early.body)).toContain('prescriber.npi');

    // The prescriber completes it through the API; only they may.
    const { prescriptionId: _id, patientId: _patient, ...completion } = amoxicillinDraft(who.ids.patient);
    expect((await http.put(`/v1/prescriptions/${intentId}`, who.otherProvider, completion)).status).toBe(404);
    const revised = await http.put(`/v1/prescriptions/${intentId}`, who.provider, completion);
    expect(revised.status).toBe(200);
    expect(revised.body).toEqual({ prescriptionId: intentId, status: 'drafted' });
    expect((await http.post(`/v1/prescriptions/${intentId}/check`, who.provider)).body.status).toBe('checked');
    const completed = await eventually(
      async () => {
        const res = await http.get(`/v1/prescriptions/${intentId}`, who.provider);
        return res.body.status === 'checked' ? res.body : undefined;
      },
      { timeoutMs: 30_000, what: 'the completed draft in the read view' },
    );
    expect(completed.rx).toMatchObject({
      visitId,
      prescriber: { providerId: who.ids.provider, npi: CMS_EXAMPLE_NPI },
      medication: { strength: '500 mg' },
      sig: completion.sig,
    });
  });
  it("treats an intent for a drug in the controlled-substance table as controlled at once (schedule set; the DEA number then required)", async () => {
    const http = client(service.app);
    const who = await cast(service.tokens);
    const intentId = randomUUID();
    const intent = {
      intentId,
      visitId: randomUUID(),
      patientId: who.ids.patient,
      prescriberId: who.ids.provider,
      rxnormCode: '1049621',
      medicationName: 'oxycodone hydrochloride 5 MG Oral Tablet',
      quantity: { value: 12, unit: 'tablet' },
      daysSupply: 3,
      refills: 0,
      encounterModality: 'audio-video' as const,
    };
    await send(toKafkaRecord(PrescriptionIntended, intent, { id: randomUUID(), time: new Date(), correlationId: randomUUID(), actor: { id: who.ids.provider, role: 'provider' } }));
    const draft = await eventually(
      async () => {
        const res = await http.get(`/v1/prescriptions/${intentId}`, who.provider);
        return res.status === 200 ? res.body : undefined;
      },
      { timeoutMs: 60_000, what: 'the controlled draft from the intent' },
    );
    expect(draft.rx.medication.deaSchedule).toBe('II');
    expect(draft.rx.controlledSubstanceTable).toMatchObject({ matchedRxcui: '1049621', tableSchedule: 'II', loweredReason: null });

    // Completed without a DEA number (and with the schedule left empty): still controlled, so 422.
    const { prescriptionId: _id, patientId: _patient, ...completion } = oxycodoneDraft(who.ids.patient);
    const withoutDea = { ...completion, prescriber: { npi: CMS_EXAMPLE_NPI }, medication: { ...completion.medication, deaSchedule: null } };
    const refused = await http.put(`/v1/prescriptions/${intentId}`, who.provider, withoutDea);
    expect([refused.status, refused.body.code]).toEqual([422, 'PRESCRIPTION.INCOMPLETE_NEWRX']);
    expect(refused.body.detail).toContain('prescriber.deaNumber');
  });
});
