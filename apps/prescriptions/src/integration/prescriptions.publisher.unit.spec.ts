import type { RecordedEvent } from '@carebridge/event-store';
import { CloudEvent, Kafka, type KafkaMessage } from 'cloudevents';
import { PHARMACY_TOPIC, readScriptKafkaRecord } from '@carebridge/contracts';
import { amoxicillin, dispensed, ids, scriptDelivery, signedAndTransmitted } from '../prescription/prescription.fixtures';
import { parseScriptXml } from '../prescription/script/script-parse.mapping';
import { checkStructure, PHARMACY_BOUND_SCHEMA } from '../prescription/script/script-structure.schemas';
import type { PrescriptionEvent } from '../prescription/prescription.events';
import { prescriptionsPublisher } from './prescriptions.publisher';

const recorded = (event: PrescriptionEvent): RecordedEvent => ({
  eventId: '0f6c5a3e-1b1e-4c55-9a8e-3c1b7a2f0001',
  streamId: `prescription-${ids.prescription}`,
  streamVersion: 4,
  globalPosition: 10,
  type: event.type,
  schemaVersion: 1,
  data: event.data,
  metadata: { actor: { id: ids.prescriber, role: 'provider' }, correlationId: 'c', commandId: 'sign-request-1', occurredAt: '2026-11-22T15:00:00.000Z' },
  recordedAt: new Date('2026-11-22T15:00:00.000Z'),
  hash: 'h',
});

describe('prescriptions publisher', () => {
  it('publishes a transmission as NewRx on the pharmacy topic keyed by NCPDP id', () => {
    const [record] = prescriptionsPublisher(recorded(signedAndTransmitted()[1]!));
    expect([record!.topic, record!.key]).toEqual([PHARMACY_TOPIC, '1234567']);
  });

  describe('a transmission with its SCRIPT parties', () => {
    const [, legacy] = signedAndTransmitted();
    const transmitted = { ...legacy!, data: { ...(legacy!.data as object), script: { ...scriptDelivery, version: '2017071' as const } } } as PrescriptionEvent;
    const [record] = prescriptionsPublisher(recorded(transmitted));

    it('publishes the NewRx XML as the record value, keyed by NCPDP id, in the version recorded', () => {
      expect([record!.topic, record!.key]).toEqual([PHARMACY_TOPIC, '1234567']);
      expect(checkStructure(parseScriptXml(record!.value), PHARMACY_BOUND_SCHEMA.NewRx!)).toEqual([]);
      expect(record!.value).toContain('TransactionVersion="20170715"');
      expect(record!.value).toContain('<MessageID>0f6c5a3e-1b1e-4c55-9a8e-3c1b7a2f0001</MessageID>');
    });

    it('is a binary-mode CloudEvent with datacontenttype application/xml and our ids (read with the CloudEvents SDK)', () => {
      const message: KafkaMessage<string> = { key: record!.key, value: record!.value, headers: record!.headers, body: record!.value };
      const event = Kafka.toEvent(message);
      const single = (Array.isArray(event) ? event[0] : event) as CloudEvent<string>;
      expect(single.validate()).toBe(true);
      expect([single.datacontenttype, single.type, single.id, single.subject, single['correlationid'], single['causationid'], single['scriptversion']]).toEqual([
        'application/xml',
        'carebridge.prescriptions.NewRxTransmitted.v2',
        '0f6c5a3e-1b1e-4c55-9a8e-3c1b7a2f0001',
        ids.prescription,
        'c',
        // What caused the event (here the sign request's command id), not the event itself.
        'sign-request-1',
        '2017071',
      ]);
      expect(single.data).toBe(record!.value);
      expect(readScriptKafkaRecord(record!.headers, record!.value)).toMatchObject({ message: 'NewRx', subject: ids.prescription, scriptversion: '2017071' });
    });
  });

  it('leaves the sig and the note out of a JSON NewRx recorded before SCRIPT XML (ids and codes only)', () => {
    const transmitted = signedAndTransmitted(undefined, { ...amoxicillin, noteToPharmacist: 'call the patient first' })[1]!;
    const [record] = prescriptionsPublisher(recorded(transmitted));
    expect(record!.value).not.toContain(amoxicillin.sig);
    expect(record!.value).not.toContain('call the patient first');
  });

  it('publishes a fill as the adherence signal keyed by prescription id', () => {
    const [record] = prescriptionsPublisher(recorded(dispensed));
    expect([record!.topic, record!.key]).toEqual(['carebridge.prescriptions.prescription.v1', ids.prescription]);
  });

  it('publishes nothing for a draft', () => {
    expect(prescriptionsPublisher(recorded({ type: 'PrescriptionDrafted', data: amoxicillin }))).toEqual([]);
  });
});
