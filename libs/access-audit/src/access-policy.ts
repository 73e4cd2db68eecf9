import type { Pool } from 'pg';
import type { HumanRole } from '@carebridge/platform';
import { isUuid } from '@carebridge/shared-kernel';

/**
 * Where a request names the patient it is about: a path parameter, a query parameter or a body
 * field; with `lookup`, the value is a resource id (device, prescription, visit...) the service's
 * resolver of that name maps to its patient.
 */
export interface PatientLocator {
  readonly from: 'param' | 'query' | 'body';
  readonly name: string;
  readonly lookup?: string;
}

/** One row of a service's access policy table (`x-roles`, `x-phi` in its OpenAPI document). */
export interface OperationPolicy {
  /** Roles that may call it; empty: public (no token). */
  readonly roles: readonly HumanRole[];
  /** Reads or writes PHI: every call is recorded as an `AccessRecorded` event. */
  readonly phi: boolean;
  /** `care`: a provider needs a current care relationship with the located patient (or break-the-glass). */
  readonly relationship: 'care' | 'none';
  readonly patient?: PatientLocator;
}

/** Keyed by `METHOD /path/{param}` exactly as the OpenAPI document writes the operation. */
export type AccessPolicyTable = Readonly<Record<string, OperationPolicy>>;

/** A service's answer to "may this provider see this patient", from its own events. */
export interface CareRelationships {
  has(providerId: string, patientId: string): Promise<boolean>;
}

/** Resource id -> patient id, per `PatientLocator.lookup` name; undefined when unknown. */
export type PatientLookups = Readonly<Record<string, (id: string) => Promise<string | undefined>>>;

/**
 * A `PatientLookups` entry: the `patient_id` column (lower-cased) of the first row `sql` selects
 * with `$1` = the resource id (lower-cased); undefined for an id that is no UUID or has no row.
 */
export const patientOfRow =
  (pool: Pick<Pool, 'query'>, sql: string) =>
  async (id: string): Promise<string | undefined> => {
    if (!isUuid(id)) return undefined;
    const { rows } = await pool.query<{ patient_id: string }>(sql, [id.toLowerCase()]);
    return rows[0]?.patient_id.toLowerCase();
  };

export const operationKey = (method: string, template: string): string => `${method.toUpperCase()} ${template}`;

/** Express `/v1/devices/:deviceId` -> OpenAPI `/v1/devices/{deviceId}`. */
export const openApiTemplate = (expressPath: string): string => expressPath.replace(/:(\w+)/g, '{$1}');

/** Shorthands for the tables. */
export const rule = {
  open: (roles: readonly HumanRole[], phi = false): OperationPolicy => ({ roles, phi, relationship: 'none' }),
  patient: (roles: readonly HumanRole[], patient: PatientLocator, phi = true): OperationPolicy => ({ roles, phi, relationship: 'care', patient }),
  public: (): OperationPolicy => ({ roles: [], phi: false, relationship: 'none' }),
};

export const param = (name: string, lookup?: string): PatientLocator => ({ from: 'param', name, ...(lookup !== undefined && { lookup }) });
export const query = (name: string, lookup?: string): PatientLocator => ({ from: 'query', name, ...(lookup !== undefined && { lookup }) });
export const body = (name: string, lookup?: string): PatientLocator => ({ from: 'body', name, ...(lookup !== undefined && { lookup }) });

const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;

/** Every operation of an OpenAPI document, as policy keys. */
export function documentOperations(document: { paths: Record<string, Record<string, unknown>> }): string[] {
  return Object.entries(document.paths).flatMap(([path, item]) =>
    METHODS.filter((m) => item[m] !== undefined).map((m) => operationKey(m, path)),
  );
}

/** The document with `x-roles`, `x-phi` and `x-relationship` on every operation the table covers. */
export function withAccessPolicy<D extends { paths: Record<string, Record<string, unknown>> }>(document: D, table: AccessPolicyTable): D {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const [path, item] of Object.entries(document.paths)) {
    paths[path] = Object.fromEntries(
      Object.entries(item).map(([method, operation]) => {
        const policy = table[operationKey(method, path)];
        if (!policy || !(METHODS as readonly string[]).includes(method)) return [method, operation];
        return [method, { ...(operation as object), 'x-roles': policy.roles, 'x-phi': policy.phi, 'x-relationship': policy.relationship }];
      }),
    );
  }
  return { ...document, paths };
}
