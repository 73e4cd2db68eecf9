import { Body, Controller, Get, Headers, Inject, Param, Post, Put } from '@nestjs/common';
import { type EventStore, deterministicEventId, handle } from '@carebridge/event-store';
import { type AuthenticatedActor, CurrentActor, Roles, parseBody } from '@carebridge/platform';
import { type RuleAdjustment, adjustmentFits, effectiveRules } from '../care-plan/care-plan.rules';
import type { Clock } from '../clock.port';
import { NotOwnerError, assertCareTeam, assertMaySee, commandMetadata, requireIdempotencyKey, uuidParam } from '../monitoring.http-support';
import { MonitoringProjections } from '../read-models.projection';
import { CLOCK, EVENT_STORE } from '../monitoring.tokens';
import { MonitoredPatients } from './monitored-patients.projection';
import { adjustRuleBody, enrolBody, minutesBody } from './enrolment.schemas';
import type { ConditionName } from './patient-monitoring.events';
import { patientMonitoringDecider } from './patient-monitoring.decider';
import { patientMonitoringStreamId } from './patient-monitoring.stream';

const LB = 0.45359237;

@Controller('v1/patients/:patientId')
export class EnrolmentController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(MonitoringProjections) private readonly projections: MonitoringProjections,
    @Inject(MonitoredPatients) private readonly patients: MonitoredPatients,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** A provider (of the care team named) or ops enrols the patient with their conditions. */
  @Post('enrolment')
  @Roles('provider', 'ops')
  async enrol(@Param('patientId') id: string, @Body() body: unknown, @Headers('idempotency-key') key: string | undefined, @CurrentActor() actor: AuthenticatedActor) {
    const patientId = uuidParam('patientId', id);
    const commandId = requireIdempotencyKey(key, actor);
    const data = parseBody(enrolBody, body);
    if (actor.role === 'provider' && !data.careTeam.includes(actor.providerId ?? '')) {
      throw new NotOwnerError('A provider enrols only patients whose care team they are in');
    }
    const result = await handle(this.store, patientMonitoringStreamId(patientId), patientMonitoringDecider, {
      type: 'EnrolPatient',
      data: { patientId, ...data, conditions: data.conditions as ConditionName[] },
      metadata: commandMetadata(actor, this.clock.now(), { commandId }),
    });
    await this.projections.include(result.newEvents);
    return { patientId, conditions: data.conditions, careTeam: data.careTeam };
  }

  /** The patient (or ops recording a signed form) consents to remote monitoring. */
  @Post('consent')
  @Roles('patient', 'ops')
  async consent(@Param('patientId') id: string, @CurrentActor() actor: AuthenticatedActor) {
    const patientId = uuidParam('patientId', id);
    if (actor.role === 'patient' && actor.patientId !== patientId) throw new NotOwnerError('A patient consents only for themselves');
    const result = await handle(this.store, patientMonitoringStreamId(patientId), patientMonitoringDecider, {
      type: 'RecordConsent',
      data: { patientId },
      metadata: commandMetadata(actor, this.clock.now(), { purpose: 'consent' }),
    });
    await this.projections.include(result.newEvents);
    return { patientId, consented: true };
  }

  @Get('care-plan')
  @Roles('patient', 'provider', 'ops')
  async carePlan(@Param('patientId') id: string, @CurrentActor() actor: AuthenticatedActor) {
    const patientId = uuidParam('patientId', id);
    const patient = assertMaySee(actor, await this.patients.patient(patientId), patientId);
    return {
      patientId,
      conditions: patient.conditions,
      careTeam: patient.careTeam,
      consented: patient.consented,
      escalateAfterSeconds: patient.escalateAfterSeconds,
      program: patient.program,
      rules: effectiveRules(patient.conditions, patient.adjustments as RuleAdjustment[]),
    };
  }

  /** The provider adjusts one rule for this patient (thresholds, trend size and window, adherence window, or off). */
  @Put('care-plan/rules/:ruleId')
  @Roles('provider', 'ops')
  async adjust(@Param('patientId') id: string, @Param('ruleId') ruleId: string, @Body() body: unknown, @CurrentActor() actor: AuthenticatedActor) {
    const patientId = uuidParam('patientId', id);
    assertCareTeam(actor, await this.patients.patient(patientId));
    const parsed = parseBody(adjustRuleBody, body);
    const adjustment: RuleAdjustment =
      'gainLbAbove' in parsed
        ? { ruleId, gainKgAbove: parsed.gainLbAbove * LB, ...(parsed.windowHours !== undefined && { windowHours: parsed.windowHours }) }
        : ({ ruleId, ...parsed } as RuleAdjustment);
    const result = await handle(this.store, patientMonitoringStreamId(patientId), patientMonitoringDecider, {
      type: 'AdjustCareRule',
      data: { patientId, adjustment, fits: adjustmentFits(adjustment) },
      metadata: commandMetadata(actor, this.clock.now()),
    });
    await this.projections.include(result.newEvents);
    const patient = (await this.patients.patient(patientId))!;
    return { rule: effectiveRules(patient.conditions, patient.adjustments as RuleAdjustment[]).find((r) => r.ruleId === ruleId) ?? null };
  }

  /** Clinical staff log time spent on the patient's RPM (management) or physician interpretation (99091). */
  @Post('interactive-minutes')
  @Roles('provider', 'ops')
  async minutes(@Param('patientId') id: string, @Body() body: unknown, @Headers('idempotency-key') key: string | undefined, @CurrentActor() actor: AuthenticatedActor) {
    const patientId = uuidParam('patientId', id);
    const commandId = requireIdempotencyKey(key, actor);
    assertCareTeam(actor, await this.patients.patient(patientId));
    const data = parseBody(minutesBody, body);
    const streamId = patientMonitoringStreamId(patientId);
    const now = this.clock.now();
    const entryId = deterministicEventId(streamId, `minutes:${commandId}`, 0);
    const result = await handle(this.store, streamId, patientMonitoringDecider, {
      type: 'LogInteractiveMinutes',
      data: {
        patientId,
        entryId,
        practitionerId: actor.providerId ?? actor.id,
        activity: data.activity,
        minutes: data.minutes,
        interactive: data.interactive,
        performedAt: data.performedAt !== undefined ? new Date(data.performedAt).toISOString() : now.toISOString(),
      },
      metadata: commandMetadata(actor, now, { commandId }),
    });
    await this.projections.include(result.newEvents);
    return { entryId };
  }
}
