import { toOperationOutcome } from '@carebridge/platform';
import { searchsetBundle } from './bundle';
import { acceptsFhirJson } from './fhir-http';
import type { FhirResourceSpec } from './fhir-server';
import { referenceId } from './reference';
import { FhirSearch, searchHandling } from './search';
import { stripEmpty } from './strip-empty';

const UUID = /^[0-9a-f-]{36}$/;
const ID = '0b0c7c1e-1b7a-4c55-9a43-6f1f0d7f2a11';
const slots: FhirResourceSpec = {
  type: 'Slot',
  interactions: ['search-type'],
  summary: 'slots',
  documentation: 'slots',
  searchParams: [
    { name: 'schedule', type: 'reference', target: 'Schedule', required: true, documentation: 'Schedule/<id>' },
    { name: 'start', type: 'date', repeats: true, documentation: 'range' },
  ],
};
const resources = (n: number) => Array.from({ length: n }, (_, i) => ({ resourceType: 'Slot', id: `s${i}` }));

describe('FHIR JSON has no empty values (https://hl7.org/fhir/R4/json.html)', () => {
  it('drops empty arrays, empty objects, nulls and empty strings, depth first', () => {
    expect(stripEmpty({ a: [], b: null, c: '', d: { e: [] }, f: [{ g: null }], h: 0, i: false, j: [1] })).toEqual({ h: 0, i: false, j: [1] });
  });
});

describe('content negotiation (https://hl7.org/fhir/R4/http.html#mime-type)', () => {
  it('admits JSON, wildcards and no Accept; refuses XML alone and JSON at q=0', () => {
    expect([undefined, '', '*/*', 'application/fhir+json', 'application/json', 'application/fhir+json, */*; q=0.1', 'text/html, application/*;q=0.8'].map(acceptsFhirJson)).toEqual(Array(7).fill(true));
    expect(['application/fhir+xml', 'text/turtle', 'application/fhir+json;q=0'].map(acceptsFhirJson)).toEqual([false, false, false]);
  });
});

describe('references in search values (https://hl7.org/fhir/R4/search.html#reference)', () => {
  it('takes Type/<id>, the id, or an absolute URL; refuses another type', () => {
    expect(referenceId(`Patient/${ID}`, 'Patient', 'patient', UUID)).toBe(ID);
    expect(referenceId(ID, 'Patient', 'patient', UUID)).toBe(ID);
    expect(referenceId(`https://example.org/fhir/R4/Patient/${ID}`, 'Patient', 'patient', UUID)).toBe(ID);
    expect(() => referenceId(`Practitioner/${ID}`, 'Patient', 'patient', UUID)).toThrow('patient: must be Patient/<id> or the id alone');
  });
});

describe('a search as applied', () => {
  it('ignores unknown parameters by default and leaves them out of the self link', () => {
    const search = new FhirSearch(slots, { schedule: `Schedule/${ID}`, colour: 'blue' });
    expect(search.ignored).toEqual(['colour']);
    expect(searchsetBundle('https://h/fhir/R4', search, []).link).toEqual([{ relation: 'self', url: `https://h/fhir/R4/Slot?schedule=Schedule%2F${ID}&_count=50` }]);
  });

  it('refuses unknown parameters under Prefer: handling=strict, naming them', () => {
    expect(searchHandling('return=minimal, handling=strict')).toBe('strict');
    expect(searchHandling(undefined)).toBe('lenient');
    expect(() => new FhirSearch(slots, { schedule: ID, colour: 'blue' }, 'handling=strict')).toThrow('colour: Slot has no search parameter colour here');
  });

  it('refuses a missing required parameter, a repeated single one and a bad _count', () => {
    expect(() => new FhirSearch(slots, {})).toThrow('schedule: Required search parameter');
    expect(() => new FhirSearch(slots, { schedule: [ID, ID] })).toThrow('schedule: must be given once');
    expect(() => new FhirSearch(slots, { schedule: ID, _count: '1000' })).toThrow('_count: must be an integer from 0 to 200');
  });

  it('pages with _count and _offset: total of all matches, next and previous links, absolute fullUrls', () => {
    const bundle = searchsetBundle('https://h/fhir/R4', new FhirSearch(slots, { schedule: ID, _count: '2', _offset: '2' }), resources(5));
    expect(bundle.total).toBe(5);
    expect(bundle.entry.map((e) => e.fullUrl)).toEqual(['https://h/fhir/R4/Slot/s2', 'https://h/fhir/R4/Slot/s3']);
    expect(bundle.link.map((l) => [l.relation, new URL(l.url).searchParams.get('_offset')])).toEqual([['self', '2'], ['next', '4'], ['previous', null]]);
  });
});

describe('errors as OperationOutcome (https://hl7.org/fhir/R4/valueset-issue-type.html)', () => {
  it('maps the status to the issue code and keeps our stable code', () => {
    expect([400, 401, 403, 404, 406, 409, 422, 429, 500, 503].map((status) => toOperationOutcome({ status, code: 'X', detail: 'd' }).issue[0]!.code)).toEqual([
      'invalid', 'login', 'forbidden', 'not-found', 'not-supported', 'conflict', 'business-rule', 'throttled', 'exception', 'transient',
    ]);
    expect(toOperationOutcome({ status: 400, code: 'REQUEST.INVALID', detail: 'd', errors: [{ field: 'date', message: 'bad' }] }).issue).toEqual([
      { severity: 'error', code: 'invalid', details: { coding: [{ system: 'https://carebridge.dev/problems', code: 'REQUEST.INVALID' }], text: 'date: bad' }, expression: ['date'] },
    ]);
  });
});
