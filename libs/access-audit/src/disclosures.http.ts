import { Controller, Get, Inject, Query } from '@nestjs/common';
import { type ApiOperation, type AuthenticatedActor, CurrentActor, RequestValidationError } from '@carebridge/platform';
import { z } from 'zod';
import type { EventStore } from '@carebridge/event-store';
import type { AccessRecordedData } from './access.events';
import { accessStreamId } from './access.stream';
import { ACCESS_CONTROL, type AccessControlConfig } from './access-control.interceptor';

export const ACCESS_EVENT_STORE = Symbol('ACCESS_EVENT_STORE');
const DAY_MS = 86_400_000;
const MAX_DAYS = 92;

export interface Disclosure {
  readonly at: string;
  readonly actor: { readonly id: string; readonly role: string };
  readonly purpose: string;
  readonly operation: string;
  readonly resource: string;
  readonly outcome: string;
  readonly breakTheGlass: boolean;
  readonly reason?: string;
}

/**
 * The accounting of disclosures (HIPAA 164.528) from this service's access streams: a patient
 * reads who accessed their record, when and why; ops reads any patient's and the break-the-glass
 * accesses to review. `from`/`to` are UTC dates (default: the last 30 days, at most 92).
 */
@Controller('v1/access')
export class DisclosuresController {
  constructor(
    @Inject(ACCESS_CONTROL) private readonly config: AccessControlConfig,
    @Inject(ACCESS_EVENT_STORE) private readonly store: EventStore,
  ) {}

  @Get('disclosures')
  async disclosures(@CurrentActor() actor: AuthenticatedActor, @Query('patientId') patientIdParam?: unknown, @Query('from') from?: unknown, @Query('to') to?: unknown) {
    const patientId = single('patientId', patientIdParam);
    const subject = actor.role === 'patient' ? actor.patientId : patientId;
    if (subject === undefined || subject === '') {
      throw new RequestValidationError([{ field: 'patientId', message: 'is required (ops); a patient reads their own' }]);
    }
    const wanted = subject.toLowerCase();
    const events = await this.accesses(from, to);
    return {
      patientId: wanted,
      service: this.config.service,
      disclosures: events.filter((e) => e.patientIds.includes(wanted) && e.outcome === 'granted').map(disclosure),
    };
  }

  /** Break-the-glass accesses to review (ops). */
  @Get('break-glass')
  async breakGlass(@Query('from') from?: unknown, @Query('to') to?: unknown) {
    const events = await this.accesses(from, to);
    return { service: this.config.service, accesses: events.filter((e) => e.breakTheGlass).map((e) => ({ ...disclosure(e), patientIds: e.patientIds })) };
  }

  private async accesses(fromValue: unknown, toValue: unknown): Promise<AccessRecordedData[]> {
    const fromParam = single('from', fromValue);
    const toParam = single('to', toValue);
    const today = (this.config.now?.() ?? new Date()).toISOString().slice(0, 10);
    const to = dateParam('to', toParam ?? today);
    const from = dateParam('from', fromParam ?? new Date(to.getTime() - 29 * DAY_MS).toISOString().slice(0, 10));
    const days = Math.round((to.getTime() - from.getTime()) / DAY_MS) + 1;
    if (days < 1 || days > MAX_DAYS) throw new RequestValidationError([{ field: 'from', message: `must be on or before to, at most ${MAX_DAYS} days earlier` }]);
    const streams = Array.from({ length: days }, (_, i) => accessStreamId(this.config.service, new Date(from.getTime() + i * DAY_MS)));
    const recorded = await Promise.all(streams.map((id) => this.store.readStream(id)));
    return recorded.flat().filter((e) => e.type === 'AccessRecorded').map((e) => e.data as AccessRecordedData);
  }
}

/** A query parameter given once, as text: a repeated one (`?from=a&from=b`) is a 400 naming it. */
function single(field: string, value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw new RequestValidationError([{ field, message: 'must be given once, as text' }]);
  return value;
}

function dateParam(field: string, value: string): Date {
  const date = /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(`${value}T00:00:00Z`) : new Date(Number.NaN);
  if (Number.isNaN(date.getTime())) throw new RequestValidationError([{ field, message: 'must be a date (YYYY-MM-DD)' }]);
  return date;
}

function disclosure(e: AccessRecordedData): Disclosure {
  return {
    at: e.at,
    actor: e.actor,
    purpose: e.purpose,
    operation: e.operation,
    resource: e.resource,
    outcome: e.outcome,
    breakTheGlass: e.breakTheGlass,
    ...(e.reason !== undefined && { reason: e.reason }),
  };
}

/** Policy rows of the routes every service serves besides its own: disclosures, this document, health probes. */
export const DISCLOSURE_OPERATIONS = {
  'GET /v1/access/disclosures': { roles: ['patient', 'ops'], phi: false, relationship: 'none' },
  'GET /v1/access/break-glass': { roles: ['ops'], phi: false, relationship: 'none' },
  'GET /v1/openapi.json': { roles: [], phi: false, relationship: 'none' },
  'GET /health/live': { roles: [], phi: false, relationship: 'none' },
  'GET /health/ready': { roles: [], phi: false, relationship: 'none' },
} as const;

const date = z.iso.date();
const range = { from: date.optional().describe('UTC date; default: 29 days before `to`'), to: date.optional().describe('UTC date; default: today') };
const disclosureAnswer = z.looseObject({
  at: z.string(),
  actor: z.looseObject({ id: z.string(), role: z.string() }),
  purpose: z.string(),
  operation: z.string(),
  resource: z.string(),
  outcome: z.string(),
  breakTheGlass: z.boolean(),
  reason: z.string().optional(),
});
const tags = ['access audit'];

/** The OpenAPI operations of the disclosures routes and of the document itself, merged into every service's document. */
export const DISCLOSURE_API_OPERATIONS: readonly ApiOperation[] = [
  {
    method: 'get',
    path: '/v1/access/disclosures',
    operationId: 'listDisclosures',
    summary: 'Accounting of disclosures (HIPAA 164.528): who accessed the patient record in this service, when and why (patient: own; ops: ?patientId=)',
    tags,
    query: z.object({ patientId: z.string().optional(), ...range }),
    responses: { 200: { description: 'Granted accesses to the patient record', schema: z.looseObject({ patientId: z.string(), service: z.string(), disclosures: z.array(disclosureAnswer) }) } },
    problems: [400, 401, 403, 429],
  },
  {
    method: 'get',
    path: '/v1/access/break-glass',
    operationId: 'listBreakGlassAccesses',
    summary: 'Break-the-glass accesses to review (ops)',
    tags,
    query: z.object(range),
    responses: { 200: { description: 'Break-the-glass accesses', schema: z.looseObject({ service: z.string(), accesses: z.array(disclosureAnswer.extend({ patientIds: z.array(z.string()) })) }) } },
    problems: [400, 401, 403, 429],
  },
  {
    method: 'get',
    path: '/v1/openapi.json',
    operationId: 'getOpenApiDocument',
    summary: 'This document (no token needed)',
    tags: ['meta'],
    security: [],
    responses: { 200: { description: 'OpenAPI 3.1 document', schema: z.looseObject({ openapi: z.string(), info: z.looseObject({}), paths: z.record(z.string(), z.unknown()) }) } },
    problems: [400, 429],
  },
];
