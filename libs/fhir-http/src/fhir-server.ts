/**
 * What one service serves over FHIR R4, as data: the CapabilityStatement, the search parser, the
 * OpenAPI entries and the conformance test are all derived from it, so they cannot drift apart.
 */
import { UUID_SOURCE } from '@carebridge/shared-kernel';

/** FHIR R4 search parameter types (https://hl7.org/fhir/R4/search.html#ptypes) we use. */
export type SearchParamType = 'reference' | 'date' | 'token' | 'string';

export interface SearchParamSpec {
  readonly name: string;
  readonly type: SearchParamType;
  readonly documentation: string;
  /** For a reference: the resource types it may name (`Patient/<id>` or the bare id). */
  readonly target?: string;
  /** Given twice (a date range: `ge` and `lt`). */
  readonly repeats?: boolean;
  /** The service needs it to answer (a search without it is refused, naming it). */
  readonly required?: boolean;
  /** A fixed value (`category=vital-signs`), or a pattern for its values. */
  readonly pattern?: string;
}

/** FHIR R4 TypeRestfulInteraction codes (https://hl7.org/fhir/R4/valueset-type-restful-interaction.html). */
export type Interaction = 'read' | 'search-type' | 'create';

export interface FhirResourceSpec {
  readonly type: string;
  readonly interactions: readonly Interaction[];
  readonly searchParams?: readonly SearchParamSpec[];
  /** Profiles every instance of this type claims in meta.profile (and validates against in the tests). */
  readonly supportedProfiles?: readonly string[];
  /** Shown in the CapabilityStatement: what the service knows, what it does not. */
  readonly documentation: string;
  /** The id's pattern (for the OpenAPI document and the read route). */
  readonly idPattern?: string;
  /** Roles, shown in the OpenAPI summary; enforcement stays with the access policy table. */
  readonly summary: string;
}

export interface FhirServerSpec {
  /** Our service name (CapabilityStatement.software.name, `carebridge-<service>`). */
  readonly service: string;
  /** The FHIR base path(s) the service answers at (`/fhir/R4`). */
  readonly bases: readonly string[];
  readonly description: string;
  readonly resources: readonly FhirResourceSpec[];
}

export const UUID_PATTERN = `^${UUID_SOURCE}$`;

/** Search result parameters every searchable type accepts (https://hl7.org/fhir/R4/search.html#count). */
export const PAGING = { defaultCount: 50, maxCount: 200 } as const;

export function resourceSpec(spec: FhirServerSpec, type: string): FhirResourceSpec {
  const found = spec.resources.find((r) => r.type === type);
  if (!found) throw new Error(`${spec.service} declares no FHIR ${type}`);
  return found;
}
