import { type CallHandler, type ExecutionContext, Inject, Injectable, type NestInterceptor } from '@nestjs/common';
import type { Response } from 'express';
import { type Observable, catchError, from, mergeMap } from 'rxjs';
import { type AuthenticatedActor, type AuthenticatedRequest, ProblemException, RequestValidationError, getCorrelationId, outcomeFor } from '@carebridge/platform';
import { outcomeOf } from './access.events';
import type { AccessRecorder } from './access-recorder';
import { type AccessPolicyTable, type CareRelationships, type OperationPolicy, type PatientLocator, type PatientLookups, openApiTemplate, operationKey } from './access-policy';
import { BREAK_GLASS_REASON_HEADER, PURPOSE_OF_USE_HEADER, type StatedPurpose, parsePurposeOfUse } from './purpose-of-use';

export interface AccessControlConfig {
  readonly service: string;
  readonly policy: AccessPolicyTable;
  readonly relationships: CareRelationships;
  readonly lookups?: PatientLookups;
  readonly recorder: AccessRecorder;
  readonly now?: () => Date;
}

export const ACCESS_CONTROL = Symbol('ACCESS_CONTROL');

/** One answer for "no such thing" and "not yours", so ids cannot be probed. */
export const accessNotFound = () => new ProblemException(404, 'ACCESS.NOT_FOUND', 'No such record.');

/**
 * The one enforcement point of a service's access policy table, for every authenticated route:
 * refuses operations the table does not cover, roles it does not list, a patient asking for another
 * patient's record, and a provider without a care relationship with the request's patient (the
 * same 404 as an unknown id; for the provider, unless break-the-glass: X-Purpose-Of-Use EMERGENCY
 * with X-Break-Glass-Reason). Every call of an `x-phi` operation, granted or not, is
 * recorded once as an `AccessRecorded` event before the answer leaves.
 */
@Injectable()
export class AccessControlInterceptor implements NestInterceptor {
  constructor(@Inject(ACCESS_CONTROL) private readonly config: AccessControlConfig) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const response = context.switchToHttp().getResponse<Response>();
    const actor = request.actor;
    if (!actor) return next.handle(); // @Public(): health, documents, device-key readings (their own credential)
    const path = (request.route as { path?: unknown } | undefined)?.path;
    const operation = operationKey(request.method, openApiTemplate(typeof path === 'string' ? path : request.path));
    const policy = this.config.policy[operation];
    if (!policy) throw new ProblemException(403, 'ACCESS.NO_POLICY', `No access policy covers ${operation}.`);
    const audit = new OneAudit(this.config, actor, operation, request.originalUrl.split('?')[0] ?? request.path, policy.phi);
    return from(this.admit(request, actor, policy, audit)).pipe(
      mergeMap(() => next.handle()),
      mergeMap(async (body: unknown) => {
        await audit.finish(response.statusCode, body);
        return body;
      }),
      catchError((error: unknown) => from(audit.finish(outcomeFor(error).status).then(() => Promise.reject(error)))),
    );
  }

  private async admit(request: AuthenticatedRequest, actor: AuthenticatedActor, policy: OperationPolicy, audit: OneAudit): Promise<void> {
    if (!policy.roles.includes(actor.role)) {
      throw new ProblemException(403, 'AUTH.ROLE_FORBIDDEN', `The ${actor.role} role may not do this.`);
    }
    const stated = parsePurposeOfUse(request.get(PURPOSE_OF_USE_HEADER), request.get(BREAK_GLASS_REASON_HEADER), actor.role);
    audit.stated = stated;
    if (!policy.patient) return;
    const raw = locatePatient(request, policy.patient);
    if (raw === undefined) return; // the handler answers the missing field (400)
    const patientId = policy.patient.lookup ? (await this.lookup(policy.patient.lookup, raw))?.toLowerCase() : raw.toLowerCase();
    if (patientId === undefined) {
      // The resource names no patient we know. Where a relationship is required, a patient or a
      // provider gets the unknown-resource answer here, whatever the handler would find itself
      // (fail closed: a read model behind the store must not open a record).
      if (policy.relationship === 'care' && (actor.role === 'patient' || actor.role === 'provider')) throw accessNotFound();
      return;
    }
    audit.patientIds.add(patientId);
    if (policy.relationship !== 'care') return;
    // A patient reaches only their own record (the patient_id claim): another's is as unknown.
    if (actor.role === 'patient' && actor.patientId?.toLowerCase() !== patientId) throw accessNotFound();
    if (actor.role !== 'provider') return;
    if (await this.config.relationships.has(actor.providerId ?? actor.id, patientId)) return;
    if (stated.breakGlassReason !== undefined) {
      audit.breakTheGlass = true;
      return;
    }
    throw accessNotFound();
  }

  private async lookup(name: string, id: string): Promise<string | undefined> {
    const resolve = this.config.lookups?.[name];
    if (!resolve) throw new Error(`access policy names lookup ${name}, which the service does not provide`);
    return resolve(id);
  }
}

const MAX_LOCATOR_LENGTH = 200;

/**
 * The patient locator's value; undefined when the request does not carry it (the handler answers
 * the missing field). Present but not one non-empty string of at most 200 characters (an array from
 * a repeated query parameter, an object or a number in a body) is a 400 naming the field, never a
 * request let through without its relationship check.
 */
export function locatePatient(request: Pick<AuthenticatedRequest, 'params' | 'query' | 'body'>, locator: PatientLocator): string | undefined {
  const source: unknown = locator.from === 'param' ? request.params : locator.from === 'query' ? request.query : request.body;
  const value = source !== null && typeof source === 'object' ? (source as Record<string, unknown>)[locator.name] : undefined;
  if (value === undefined || value === null) return undefined;
  const field = locator.from === 'param' ? `path.${locator.name}` : locator.from === 'query' ? `query.${locator.name}` : locator.name;
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_LOCATOR_LENGTH) {
    throw new RequestValidationError([{ field, message: `Must be one identifier of 1 to ${MAX_LOCATOR_LENGTH} characters` }]);
  }
  // FHIR search parameters name the patient as `Patient/<id>`, an absolute URL ending so, or the
  // bare id (https://hl7.org/fhir/R4/search.html#reference); a reference to another type is a 400.
  // A looked-up value (`Encounter/<id>`, a device id) is the resolver's to read.
  const reference = locator.lookup === undefined ? /^(?:https?:\/\/[^?#]+\/)?([A-Z][A-Za-z]+)\/([^/]+)$/.exec(value) : null;
  if (!reference) return value;
  if (reference[1] !== 'Patient') throw new RequestValidationError([{ field, message: 'Must be Patient/<id> or the id alone' }]);
  return reference[2];
}

/** The record of one call: written at most once, whatever path the call takes. */
class OneAudit {
  stated: StatedPurpose | undefined;
  breakTheGlass = false;
  readonly patientIds = new Set<string>();
  private written = false;

  constructor(
    private readonly config: AccessControlConfig,
    private readonly actor: AuthenticatedActor,
    private readonly operation: string,
    private readonly resource: string,
    private readonly phi: boolean,
  ) {}

  async finish(status: number, body?: unknown): Promise<void> {
    if (!this.phi || this.written) return;
    this.written = true;
    const outcome = outcomeOf(status);
    if (outcome === 'granted') for (const id of patientIdsIn(body)) this.patientIds.add(id);
    const reason = this.stated?.breakGlassReason;
    await this.config.recorder.record({
      service: this.config.service,
      actor: { id: this.actor.id, role: this.actor.role },
      purpose: this.stated?.purpose ?? (this.actor.role === 'patient' ? 'PATIENT-REQUEST' : 'TREAT'),
      patientIds: [...this.patientIds].sort(),
      operation: this.operation,
      resource: this.resource,
      outcome,
      status,
      breakTheGlass: this.breakTheGlass,
      ...(reason !== undefined && { reason }),
      correlationId: getCorrelationId() ?? 'none',
      at: (this.config.now?.() ?? new Date()).toISOString(),
    });
  }
}

const MAX_IDS = 1_000;

/** Patient ids an answer carries: `patientId` fields and FHIR `Patient/<id>` references, at any depth. */
export function patientIdsIn(body: unknown): Set<string> {
  const found = new Set<string>();
  const walk = (value: unknown, depth: number): void => {
    if (found.size >= MAX_IDS || depth > 8 || value === null || typeof value !== 'object') return;
    if (Array.isArray(value)) {
      for (const item of value) walk(item, depth + 1);
      return;
    }
    for (const [key, item] of Object.entries(value)) {
      if (typeof item === 'string') {
        if (key === 'patientId') found.add(item.toLowerCase());
        else if (key === 'reference' && item.startsWith('Patient/')) found.add(item.slice('Patient/'.length).toLowerCase());
      } else walk(item, depth + 1);
    }
  };
  walk(body, 0);
  return found;
}
