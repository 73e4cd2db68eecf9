import { randomUUID } from 'node:crypto';
import { Body, Controller, Get, Headers, HttpCode, Inject, Param, Patch, Post } from '@nestjs/common';
import { z } from 'zod';
import { type EventStore, handle } from '@carebridge/event-store';
import { type AuthenticatedActor, CurrentActor, Roles, parseBody } from '@carebridge/platform';
import { AccessDeniedError, assertMayReachPatient, commandMetadata, payerIdOf, requireIdempotencyKey } from '../patient.access';
import { AFTER_APPEND, type AfterAppend, EVENT_STORE } from '../billing-eligibility.tokens';
import { US_STATES } from '../rules/rule-set.rules';
import { coverageDecider } from './coverage.decider';
import { readCoverage } from './coverage.projection';
import { type Coverage, PAYER_KINDS } from './coverage.events';
import { coverageStreamId } from './coverage.stream';

const isoDate = z.iso.date();
const state = z.enum(US_STATES as [string, ...string[]], { error: 'must be a two-letter US state code or DC' });
const uuid = z.uuid();
// Every field that travels in a 270 (names, payer, plan, member and group ids): an X12 separator in
// it would split the element or the segment (an injected NM1), so it is refused here, and the 270
// builder refuses it again.
// eslint-disable-next-line no-control-regex
const x12Text = z.string().min(1).regex(/^[^*~:^|\u0000-\u001f\u007f]+$/, 'must not contain the X12 separators * ~ : ^ | or control characters');
const x12Name = x12Text;

const coverageFields = {
  payerId: x12Text.max(80).optional(),
  planName: x12Text.max(200).optional(),
  state: state.optional(),
  memberId: x12Text.max(80).optional(),
  groupNumber: x12Text.max(80).optional(),
  subscriber: z
    .strictObject({
      firstName: x12Name.max(35),
      lastName: x12Name.max(60),
      birthDate: isoDate.optional(),
    })
    .optional(),
  effectiveFrom: isoDate,
  terminatesOn: isoDate.optional(),
  order: z.enum(['primary', 'secondary']),
};
export const recordCoverageBody = z.strictObject({
  coverageId: uuid.optional(),
  payerKind: z.enum(PAYER_KINDS as [string, ...string[]]),
  ...coverageFields,
});
export const updateCoverageBody = z
  .strictObject({ ...coverageFields, effectiveFrom: isoDate.optional(), order: coverageFields.order.optional() })
  .refine((body) => Object.keys(body).length > 0, 'name at least one field to change');

/** `/v1/...`; the unversioned path is a deprecated alias kept for existing callers. */
@Controller(['v1/patients/:patientId/coverages', 'patients/:patientId/coverages'])
export class CoverageController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(AFTER_APPEND) private readonly afterAppend: AfterAppend,
  ) {}

  @Post()
  @Roles('patient', 'provider', 'ops', 'payer')
  async record(
    @Param('patientId') rawPatientId: string,
    @Body() body: unknown,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @CurrentActor() actor: AuthenticatedActor,
  ) {
    const patientId = parseBody(uuid, rawPatientId, 'patientId');
    const key = requireIdempotencyKey(idempotencyKey);
    assertMayReachPatient(actor, patientId);
    const input = parseBody(recordCoverageBody, body);
    const payer = payerIdOf(actor);
    if (payer !== undefined && input.payerId !== payer) throw new AccessDeniedError('A payer may only record its own coverages');
    const coverage = stripUndefined({ ...input, coverageId: input.coverageId ?? randomUUID() }) as unknown as Coverage;
    const result = await handle(this.store, coverageStreamId(patientId), coverageDecider, {
      type: 'RecordCoverage',
      data: { patientId, coverage },
      metadata: commandMetadata(actor, key, 'payment'),
    });
    this.afterAppend();
    const recorded = result.newEvents[0]?.data as { coverage: Coverage } | undefined;
    return { coverage: recorded?.coverage ?? coverage, version: result.nextExpectedVersion };
  }

  @Patch(':coverageId')
  @Roles('patient', 'provider', 'ops', 'payer')
  async update(
    @Param('patientId') rawPatientId: string,
    @Param('coverageId') coverageId: string,
    @Body() body: unknown,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @CurrentActor() actor: AuthenticatedActor,
  ) {
    const patientId = parseBody(uuid, rawPatientId, 'patientId');
    assertMayReachPatient(actor, patientId);
    const changes = stripUndefined(parseBody(updateCoverageBody, body));
    const payer = payerIdOf(actor);
    if (payer !== undefined) {
      const current = await readCoverage(this.store, patientId);
      const owned = current.status === 'recorded' && current.coverages.some((c) => c.coverageId === coverageId && c.payerId === payer);
      if (!owned || (changes.payerId !== undefined && changes.payerId !== payer)) {
        throw new AccessDeniedError('A payer may only update its own coverages');
      }
    }
    const result = await handle(this.store, coverageStreamId(patientId), coverageDecider, {
      type: 'UpdateCoverage',
      data: { patientId, coverageId, changes },
      metadata: commandMetadata(actor, idempotencyKey, 'payment'),
    });
    this.afterAppend();
    const state = result.state;
    return {
      coverage: state.status === 'recorded' ? state.coverages.find((c) => c.coverageId === coverageId) : undefined,
      version: result.nextExpectedVersion,
    };
  }

  @Get()
  @HttpCode(200)
  @Roles('patient', 'provider', 'ops', 'payer')
  async list(@Param('patientId') rawPatientId: string, @CurrentActor() actor: AuthenticatedActor) {
    const patientId = parseBody(uuid, rawPatientId, 'patientId');
    assertMayReachPatient(actor, patientId);
    const state = await readCoverage(this.store, patientId);
    const payer = payerIdOf(actor);
    const coverages = state.status === 'recorded' ? state.coverages : [];
    return { patientId, coverages: payer === undefined ? coverages : coverages.filter((c) => c.payerId === payer) };
  }
}

function stripUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
