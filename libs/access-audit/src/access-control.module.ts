import { type DynamicModule, Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import type { EventStore } from '@carebridge/event-store';
import { AccessRecorder } from './access-recorder';
import { ACCESS_CONTROL, AccessControlInterceptor, type AccessControlConfig } from './access-control.interceptor';
import { type AccessPolicyTable, type CareRelationships, type PatientLookups, withAccessPolicy } from './access-policy';
import { HEALTH_OPERATIONS, operationObject } from '@carebridge/platform';
import { ACCESS_EVENT_STORE, DISCLOSURE_API_OPERATIONS, DISCLOSURE_OPERATIONS, DisclosuresController } from './disclosures.http';

export interface AccessControlOptions {
  /** `prescriptions`: names the access streams, `access-prescriptions-<day>`. */
  readonly service: string;
  readonly store: EventStore;
  readonly policy: AccessPolicyTable;
  readonly relationships: CareRelationships;
  readonly lookups?: PatientLookups;
  readonly now?: () => Date;
}

/** The service's policy table with the disclosures routes every service serves. */
export const withDisclosureOperations = (table: AccessPolicyTable): AccessPolicyTable => ({ ...table, ...DISCLOSURE_OPERATIONS });

/**
 * Access control and the access audit of one service: the policy interceptor on every route,
 * the recorder appending `AccessRecorded` to the service's event store, the disclosures routes.
 */
@Module({})
export class AccessControlModule {
  static register(options: AccessControlOptions): DynamicModule {
    const config: AccessControlConfig = {
      service: options.service,
      policy: withDisclosureOperations(options.policy),
      relationships: options.relationships,
      recorder: new AccessRecorder(options.store),
      ...(options.lookups && { lookups: options.lookups }),
      ...(options.now && { now: options.now }),
    };
    return {
      module: AccessControlModule,
      controllers: [DisclosuresController],
      providers: [
        { provide: ACCESS_CONTROL, useValue: config },
        { provide: ACCESS_EVENT_STORE, useValue: options.store },
        { provide: AccessRecorder, useValue: config.recorder },
        { provide: APP_INTERCEPTOR, useClass: AccessControlInterceptor },
      ],
      exports: [ACCESS_CONTROL, AccessRecorder],
    };
  }
}

/**
 * The service's OpenAPI document as served: the routes every service serves added (disclosures,
 * this document, health probes), and every operation marked with the policy table's `x-roles`,
 * `x-phi` and `x-relationship`.
 */
export function documentWithAccessPolicy<D extends { paths: object }>(document: D, table: AccessPolicyTable): D {
  const paths: Record<string, Record<string, unknown>> = { ...(document.paths as Record<string, Record<string, unknown>>) };
  for (const operation of [...DISCLOSURE_API_OPERATIONS, ...HEALTH_OPERATIONS]) {
    paths[operation.path] = { [operation.method]: operationObject(operation), ...paths[operation.path] };
  }
  return withAccessPolicy({ ...document, paths }, withDisclosureOperations(table)) as D;
}
