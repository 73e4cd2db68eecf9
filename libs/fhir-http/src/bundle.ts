import type { FhirSearch } from './search';

export interface FhirResource {
  readonly resourceType: string;
  readonly id: string;
}

function link(base: string, search: FhirSearch, offset: number): string {
  const params = new URLSearchParams(search.applied());
  params.set('_count', String(search.count));
  if (offset > 0) params.set('_offset', String(offset));
  return `${base}/${search.resource.type}?${params.toString()}`;
}

/**
 * A searchset Bundle (https://hl7.org/fhir/R4/bundle.html, search.html#paging): `total` of all
 * matches, the page `_count` and `_offset` select, `self` as applied (ignored parameters left out),
 * `next`/`previous` while there are more, and absolute `fullUrl`s.
 */
export function searchsetBundle(base: string, search: FhirSearch, matches: readonly FhirResource[]) {
  const page = matches.slice(search.offset, search.offset + search.count);
  const next = search.offset + search.count;
  return {
    resourceType: 'Bundle' as const,
    type: 'searchset',
    total: matches.length,
    link: [
      { relation: 'self', url: link(base, search, search.offset) },
      ...(search.count > 0 && next < matches.length ? [{ relation: 'next', url: link(base, search, next) }] : []),
      ...(search.offset > 0 && search.count > 0 ? [{ relation: 'previous', url: link(base, search, Math.max(0, search.offset - search.count)) }] : []),
    ],
    entry: page.map((resource) => ({ fullUrl: `${base}/${resource.resourceType}/${resource.id}`, resource, search: { mode: 'match' } })),
  };
}
