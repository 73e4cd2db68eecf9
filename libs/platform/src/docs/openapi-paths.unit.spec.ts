import { withPathParameters } from './openapi-paths';

describe('withPathParameters', () => {
  it('declares each template variable once, as a required path parameter, keeping declared ones', () => {
    const doc = withPathParameters<{ paths: Record<string, { parameters?: { name: string; in: string }[] } & Record<string, unknown>> }>({
      paths: {
        '/v1/providers/{providerId}/days/{date}': { get: { summary: 'x' } },
        '/v1/pharmacies/{ncpdpId}': { put: { parameters: [{ name: 'ncpdpId', in: 'path' }] } },
        '/v1/slots': { get: {} },
      },
    });
    expect(doc.paths['/v1/providers/{providerId}/days/{date}']!.parameters).toEqual([
      { name: 'providerId', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } },
      { name: 'date', in: 'path', required: true, schema: { type: 'string' } },
    ]);
    expect(doc.paths['/v1/pharmacies/{ncpdpId}']!.parameters).toBeUndefined();
    expect(doc.paths['/v1/slots']!.parameters).toBeUndefined();
  });
});
