import { acceptedScriptVersions, renderNewRx, scriptVersionFor } from './newrx-script.rules';
import { amoxicillin, oxycodone, scriptDelivery } from './prescription.fixtures';

const envelope = { messageId: 'msg-1', sentAt: '2026-11-22T15:00:00.000Z', pharmacyNcpdpId: '1234567', delivery: scriptDelivery };

describe('NCPDP SCRIPT versions', () => {
  it('accepts 2017071 and 2023011 through 2027-12-31', () => {
    expect(acceptedScriptVersions(new Date('2027-12-31T12:00:00Z'))).toEqual(['2017071', '2023011']);
  });

  it('accepts only 2023011 from 2028-01-01', () => {
    expect(acceptedScriptVersions(new Date('2028-01-01T00:00:00Z'))).toEqual(['2023011']);
  });

  it('chooses the newest version the pharmacy also accepts', () => {
    expect(scriptVersionFor(new Date('2026-11-22T00:00:00Z'), ['2017071'])).toBe('2017071');
  });

  it('finds no version for a pharmacy still on 2017071 in 2028', () => {
    expect(scriptVersionFor(new Date('2028-03-01T00:00:00Z'), ['2017071'])).toBeUndefined();
  });
});

describe('NewRx XML', () => {
  it('carries the RxNorm code, quantity, days supply, refills and substitution code', () => {
    const xml = renderNewRx(amoxicillin, envelope);
    for (const fragment of [
      '<DrugDBCode><Code>308191</Code><Qualifier>SCD</Qualifier></DrugDBCode>',
      '<Quantity><Value>30</Value>',
      '<DaysSupply>10</DaysSupply>',
      '<NumberOfRefills>0</NumberOfRefills>',
      '<Substitutions>0</Substitutions>',
      '<NCPDPID>1234567</NCPDPID>',
    ]) {
      expect(xml).toContain(fragment);
    }
  });

  it('carries the DEA number and schedule of a controlled medication', () => {
    const xml = renderNewRx(oxycodone, envelope);
    expect(xml).toContain('<DEANumber>AB1234563</DEANumber>');
    expect(xml).toContain('<DEASchedule><Code>C48675</Code></DEASchedule>');
  });

  it('escapes markup in free text', () => {
    const xml = renderNewRx({ ...amoxicillin, sig: 'Take 1 <b>&</b> rest' }, envelope);
    expect(xml).toContain('<SigText>Take 1 &lt;b&gt;&amp;&lt;/b&gt; rest</SigText>');
  });

  it('marks the message with the version requested', () => {
    expect(renderNewRx(amoxicillin, { ...envelope, delivery: { ...scriptDelivery, version: '2017071' } })).toContain('TransactionVersion="20170715"');
  });
});
