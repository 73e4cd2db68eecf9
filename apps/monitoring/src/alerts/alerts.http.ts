import { Controller, Get, HttpCode, Inject, Param, Post, Query } from '@nestjs/common';
import { type EventStore, handle } from '@carebridge/event-store';
import { type AuthenticatedActor, CurrentActor, RequestValidationError, Roles } from '@carebridge/platform';
import type { Clock } from '../clock.port';
import { assertCareTeam, assertMaySee, commandMetadata, uuidParam } from '../monitoring.http-support';
import { MonitoredPatients } from '../enrolment/monitored-patients.projection';
import { MonitoringProjections } from '../read-models.projection';
import { CLOCK, EVENT_STORE } from '../monitoring.tokens';
import { Readings } from '../readings/readings.projection';
import { AlertNotFoundError, alertDecider } from './alert.decider';
import { Alerts } from './alerts.projection';
import { MedicationFills } from './medication-fills.projection';

@Controller()
export class AlertsController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(MonitoringProjections) private readonly projections: MonitoringProjections,
    @Inject(MonitoredPatients) private readonly patients: MonitoredPatients,
    @Inject(Alerts) private readonly alerts: Alerts,
    @Inject(Readings) private readonly readings: Readings,
    @Inject(MedicationFills) private readonly fills: MedicationFills,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Get('v1/patients/:patientId/alerts')
  @Roles('patient', 'provider', 'ops')
  async list(@Param('patientId') id: string, @Query('status') status: string | undefined, @CurrentActor() actor: AuthenticatedActor) {
    const patientId = uuidParam('patientId', id);
    assertMaySee(actor, await this.patients.patient(patientId), patientId);
    if (status !== undefined && !['open', 'acknowledged', 'resolved'].includes(status)) {
      throw new RequestValidationError([{ field: 'status', message: 'one of open, acknowledged, resolved' }]);
    }
    return { alerts: await this.alerts.alerts(patientId, status) };
  }

  /** Pharmacy fills in force and missed doses of the last `days` days (adherence context of the alerts). */
  @Get('v1/patients/:patientId/adherence')
  @Roles('patient', 'provider', 'ops')
  async adherence(@Param('patientId') id: string, @Query('days') daysParam: string | undefined, @CurrentActor() actor: AuthenticatedActor) {
    const patientId = uuidParam('patientId', id);
    assertMaySee(actor, await this.patients.patient(patientId), patientId);
    const days = daysParam === undefined ? 7 : Number(daysParam);
    if (!Number.isInteger(days) || days < 1 || days > 90) throw new RequestValidationError([{ field: 'days', message: 'an integer from 1 to 90' }]);
    const now = this.clock.now();
    const intakes = await this.readings.readings(patientId, { kinds: ['medication-intake'], from: new Date(now.getTime() - days * 86_400_000).toISOString() });
    return {
      activeFills: await this.fills.activeFills(patientId, now.toISOString()),
      dosesTaken: intakes.filter((r) => r.taken === true).length,
      dosesMissed: intakes.filter((r) => r.taken === false).length,
    };
  }

  @Post('v1/alerts/:alertId/acknowledge')
  @HttpCode(200)
  @Roles('provider', 'ops')
  acknowledge(@Param('alertId') id: string, @CurrentActor() actor: AuthenticatedActor) {
    return this.act(id, actor, 'AcknowledgeAlert');
  }

  @Post('v1/alerts/:alertId/resolve')
  @HttpCode(200)
  @Roles('provider', 'ops')
  resolve(@Param('alertId') id: string, @CurrentActor() actor: AuthenticatedActor) {
    return this.act(id, actor, 'ResolveAlert');
  }

  private async act(id: string, actor: AuthenticatedActor, type: 'AcknowledgeAlert' | 'ResolveAlert') {
    const alertId = uuidParam('alertId', id);
    const alert = await this.alerts.alert(alertId);
    if (!alert) throw new AlertNotFoundError('No such alert');
    assertCareTeam(actor, await this.patients.patient(alert.patientId));
    const result = await handle(this.store, alert.streamId, alertDecider, {
      type,
      data: { alertId },
      metadata: commandMetadata(actor, this.clock.now()),
    });
    await this.projections.include(result.newEvents);
    return (await this.alerts.alert(alertId))!;
  }
}
