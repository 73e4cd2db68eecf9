import { DeciderSpecification } from '@carebridge/event-store';
import type { PharmacyMessage } from '../pharmacy-messages.rules';
import { prescriptionDecider, type PrescriptionCommand } from '../prescription.decider';
import type { PrescriptionEvent, ScriptVersion } from '../prescription.events';
import { amoxicillin, flexibilityDate, ids, meta, oxycodone, recordSignature, scriptDelivery, signatureOf } from '../prescription.fixtures';
import { readInboundScript } from './inbound-script.mapping';
import { pharmacyBoundMessage, type PharmacyBoundMessage } from '../pharmacy-bound.rules';
import { renderPharmacyReply } from './pharmacy-side.mapping';
import { parseScriptXml } from './script-parse.mapping';
import { checkStructure, PHARMACY_BOUND_SCHEMA, PHARMACY_SENT_SCHEMA } from './script-structure.schemas';

const stored = (n: number) => ({ eventId: `0f6c5a3e-1b1e-4c55-9a8e-3c1b7a2f000${n}`, occurredAt: '2026-11-22T15:00:00.000Z' });
const checked = { type: 'PrescriptionChecked' as const, data: { prescriptionId: ids.prescription, findings: [], interactionTableVersion: 't' } };

/** The events of one prescription sent in `version`: transmission, renewal and change answers, cancel. */
function conversation(version: ScriptVersion, rx = amoxicillin): PrescriptionEvent[] {
  const { version: _v, ...parties } = scriptDelivery;
  const sign: PrescriptionCommand = {
    type: 'SignPrescription',
    data: {
      overrides: [],
      secondFactor: null,
      pharmacy: { pharmacyId: ids.pharmacy, ncpdpId: '1234567', acceptsEPrescribing: true },
      epcsCredential: null,
      recordSignature: signatureOf(rx),
      script: { parties, pharmacyAccepts: [version] },
    },
    metadata: meta(),
  };
  const history: PrescriptionEvent[] = [{ type: 'PrescriptionDrafted', data: rx }, checked];
  const step = (command: PrescriptionCommand) => {
    const state = history.reduce(prescriptionDecider.evolve, prescriptionDecider.initialState());
    history.push(...[prescriptionDecider.decide(command, state)].flat());
  };
  step(sign);
  const pharmacy = meta('pharmacy', 'ncpdp:1234567');
  step({ type: 'RecordPharmacyMessage', data: { kind: 'RxRenewalRequest', messageId: 'renew-1', note: null }, metadata: pharmacy });
  step({ type: 'RespondToRenewal', data: { renewalRequestId: 'renew-1', decision: 'approved', refillsAuthorized: 2 }, metadata: meta() } as PrescriptionCommand);
  step({ type: 'RecordPharmacyMessage', data: { kind: 'RxChangeRequest', messageId: 'change-1', changeType: 'generic-substitution', detail: 'generic available' }, metadata: pharmacy });
  step({ type: 'RespondToChangeRequest', data: { changeRequestId: 'change-1', decision: 'denied', reason: 'brand medically necessary' }, metadata: meta() });
  step({ type: 'CancelPrescription', data: { reason: 'wrong dose' }, metadata: meta() });
  return history;
}

const rendered = (events: PrescriptionEvent[]): PharmacyBoundMessage[] =>
  events.map((e, i) => pharmacyBoundMessage(e, stored(i))).filter((m): m is PharmacyBoundMessage => m !== null);

describe('pharmacy-bound SCRIPT messages against the structural schema', () => {
  describe.each(['2017071', '2023011'] as const)('in SCRIPT %s', (version) => {
    const messages = rendered(conversation(version));

    it('renders NewRx, RxRenewalResponse, RxChangeResponse and CancelRx, in the version the pharmacy accepts', () => {
      expect(messages.map((m) => [m.name, m.version])).toEqual([
        ['NewRx', version],
        ['RxRenewalResponse', version],
        ['RxChangeResponse', version],
        ['CancelRx', version],
      ]);
    });

    it.each(['NewRx', 'RxRenewalResponse', 'RxChangeResponse', 'CancelRx'])('%s parses and matches the schema: element order and cardinality', (name) => {
      const message = messages.find((m) => m.name === name)!;
      const root = parseScriptXml(message.xml);
      expect(checkStructure(root, PHARMACY_BOUND_SCHEMA[name]!)).toEqual([]);
    });
  });

  it('a controlled substance carries the DEA number, the schedule and the digital-signature structure', () => {
    // Signing a controlled prescription (EPCS) is covered by the signing specs; here the transmission it records.
    const events = conversation('2017071').map((e): PrescriptionEvent =>
      e.type === 'PrescriptionTransmitted' ? { ...e, data: { ...e.data, newRx: oxycodone, digitallySigned: true } } : e,
    );
    const newRx = rendered(events).find((m) => m.name === 'NewRx')!;
    expect(checkStructure(parseScriptXml(newRx.xml), PHARMACY_BOUND_SCHEMA.NewRx!)).toEqual([]);
    expect(newRx.xml).toContain('<DigitalSignature Version="1.1"><DigitalSignatureIndicator>true</DigitalSignatureIndicator></DigitalSignature>');
    expect(newRx.xml).toContain('<DEANumber>AB1234563</DEANumber>');
    expect(newRx.xml).toContain('<DEASchedule><Code>C48675</Code></DEASchedule>');
  });

  it('NDC in ProductCode (ND), RxNorm in DrugDBCode (SCD/SBD), numeric strength with NCI unit and dose form', () => {
    const withNdc = { ...amoxicillin, medication: { ...amoxicillin.medication, ndc: '00093310905' } };
    const xml = rendered(conversation('2023011', withNdc)).find((m) => m.name === 'NewRx')!.xml;
    expect(xml).toContain(
      '<DrugCoded><ProductCode><Code>00093310905</Code><Qualifier>ND</Qualifier></ProductCode>' +
        '<Strength><StrengthValue>500</StrengthValue><StrengthForm><Code>C25158</Code></StrengthForm><StrengthUnitOfMeasure><Code>C28253</Code></StrengthUnitOfMeasure></Strength>' +
        '<DrugDBCode><Code>308191</Code><Qualifier>SCD</Qualifier></DrugDBCode></DrugCoded>',
    );
    const branded = { ...amoxicillin, medication: { ...amoxicillin.medication, name: 'amoxicillin 500 MG Oral Capsule [Amoxil]', rxnormCode: '392151' } };
    expect(rendered(conversation('2023011', branded))[0]!.xml).toContain('<DrugDBCode><Code>392151</Code><Qualifier>SBD</Qualifier></DrugDBCode>');
  });

  it('carries the addresses and communication numbers of patient, pharmacy and prescriber, and the sender software', () => {
    const xml = rendered(conversation('2023011'))[0]!.xml;
    expect(xml).toContain('<SenderSoftware><SenderSoftwareDeveloper>Carebridge</SenderSoftwareDeveloper>');
    expect(xml).toContain('<BusinessName>Main Street Pharmacy</BusinessName><Address><AddressLine1>5 Main St</AddressLine1>');
    expect(xml).toContain('<PostalCode>606011234</PostalCode>');
    expect(xml).toContain('<CommunicationNumbers><PrimaryTelephone><Number>3125550101</Number></PrimaryTelephone><Fax><Number>3125550102</Number></Fax></CommunicationNumbers>');
  });

  it('the two versions differ only in the version stamps (no public source shows an element difference)', () => {
    const [a, b] = (['2017071', '2023011'] as const).map((v) => rendered(conversation(v)).map((m) => m.xml.replace(/2017071|20170715|2023011|20230115/g, 'V')));
    expect(a).toEqual(b);
    expect(rendered(conversation('2017071'))[0]!.xml).toContain('TransactionVersion="20170715"');
  });

  it('answers carry RelatesToMessageID: the pharmacy request they answer', () => {
    const [, renewal, change] = rendered(conversation('2023011'));
    expect(renewal!.xml).toContain('<RelatesToMessageID>renew-1</RelatesToMessageID>');
    expect(renewal!.xml).toContain('<NumberOfRefills>2</NumberOfRefills>');
    expect(change!.xml).toContain('<Denied><DenialReason>brand medically necessary</DenialReason></Denied>');
  });

  it('the checker is not vacuous: a swapped, a missing and an extra element are each reported', () => {
    const xml = rendered(conversation('2023011'))[0]!.xml;
    const swapped = xml.replace(/(<DaysSupply>\d+<\/DaysSupply>)(<WrittenDate>.*?<\/WrittenDate>)/, '$2$1');
    const missing = xml.replace(/<SenderSoftware>.*?<\/SenderSoftware>/, '');
    const extra = xml.replace('</NewRx>', '<Surprise>1</Surprise></NewRx>');
    for (const broken of [swapped, missing, extra]) {
      expect(broken).not.toBe(xml);
      expect(checkStructure(parseScriptXml(broken), PHARMACY_BOUND_SCHEMA.NewRx!)).not.toEqual([]);
    }
  });

  it('a transmission recorded before SCRIPT XML (no parties) renders nothing', () => {
    const legacy: PrescriptionEvent = {
      type: 'PrescriptionTransmitted',
      data: { prescriptionId: ids.prescription, pharmacyId: ids.pharmacy, pharmacyNcpdpId: '1234567', transmittedAt: flexibilityDate.toISOString(), newRx: amoxicillin },
    };
    expect(pharmacyBoundMessage(legacy, stored(1))).toBeNull();
    expect(recordSignature.algorithm).toBe('ES256');
  });
});

describe('signing picks the SCRIPT version', () => {
  const spec = DeciderSpecification.for(prescriptionDecider);
  it('refuses a pharmacy that accepts only 2017071 from 2028 (no version both may use)', () => {
    const at = new Date('2028-02-01T12:00:00Z');
    const { version: _v, ...parties } = scriptDelivery;
    spec
      .given([{ type: 'PrescriptionDrafted', data: amoxicillin }, checked])
      .when({
        type: 'SignPrescription',
        data: {
          overrides: [],
          secondFactor: null,
          pharmacy: { pharmacyId: ids.pharmacy, ncpdpId: '1234567', acceptsEPrescribing: true },
          epcsCredential: null,
          recordSignature: signatureOf(amoxicillin, at),
          script: { parties, pharmacyAccepts: ['2017071'] },
        },
        metadata: meta('provider', ids.prescriber, at),
      })
      .thenThrows((e: Error) => (e as { code?: string }).code === 'PRESCRIPTION.NO_COMMON_SCRIPT_VERSION');
  });
});

describe('pharmacy messages as SCRIPT XML, written by the pharmacy side and read by us', () => {
  const header = { version: '2023011' as const, fromNcpdpId: '1234567', toNpi: '1234567893', relatesToMessageId: 'newrx-1', prescriberOrderNumber: ids.prescription, sentAt: '2026-11-22T15:00:00Z' };
  const messages: PharmacyMessage[] = [
    { kind: 'Status', messageId: 'm-1' },
    { kind: 'Verify', messageId: 'm-2' },
    { kind: 'Error', messageId: 'm-3', code: '900', description: 'Prescriber unknown' },
    { kind: 'RxFill', messageId: 'm-4', fillStatus: 'dispensed', quantityDispensed: 30, reason: null },
    { kind: 'RxFill', messageId: 'm-5', fillStatus: 'not-dispensed', quantityDispensed: null, reason: 'patient did not pick up' },
    { kind: 'CancelRxResponse', messageId: 'm-6', approved: true, reason: null },
    { kind: 'CancelRxResponse', messageId: 'm-7', approved: false, reason: 'already dispensed' },
    { kind: 'RxChangeRequest', messageId: 'm-8', changeType: 'prior-authorization', detail: 'PA required by plan' },
    { kind: 'RxRenewalRequest', messageId: 'm-9', note: 'patient asks for more' },
  ];

  it.each(messages.map((m) => [m.kind, m] as const))('%s matches the schema and reads back as the same message', (kind, m) => {
    const xml = renderPharmacyReply(header, m);
    expect(checkStructure(parseScriptXml(xml), PHARMACY_SENT_SCHEMA[kind]!)).toEqual([]);
    const read = readInboundScript(xml);
    expect(read.message).toEqual(m);
    expect([read.fromNcpdpId, read.relatesToMessageId, read.prescriberOrderNumber]).toEqual(['1234567', 'newrx-1', ids.prescription]);
  });
});
