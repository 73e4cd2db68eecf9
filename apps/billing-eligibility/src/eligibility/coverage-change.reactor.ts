import type { OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { Pool } from 'pg';
import { type PostgresEventStore, Projection, type RecordedEvent } from '@carebridge/event-store';
import type { CoverageEvent } from '../coverage/coverage.events';
import type { RuleCatalog } from '../rules/rule-set.rules';
import type { EligibilityDetermined } from './eligibility.events';
import { eligibilityStreamId } from './eligibility.stream';
import { recheckTargets } from './recheck.rules';
import { recheckRequest } from './recheck.handler';

export interface CoverageChangeReactorOptions {
  readonly store: PostgresEventStore;
  readonly pool: Pool;
  readonly catalog: RuleCatalog;
  readonly afterAppend: () => void;
  readonly onError?: (error: unknown) => void;
}

/**
 * Follows the log; when a patient's coverage changes, checks that patient's upcoming
 * appointments again and records (so publishes) the answers that changed. Re-processing after a
 * crash appends nothing twice: the command id is the coverage event id plus the appointment id.
 */
export class CoverageChangeReactor implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly projection: Projection;

  constructor(private readonly options: CoverageChangeReactorOptions) {
    this.projection = new Projection({
      name: 'eligibility-recheck-on-coverage-change',
      store: options.store,
      pool: options.pool,
      // Reads and appends go through the projection's own connection (its transaction): on the
      // embedded profile's single-session PGlite, another pool connection would wait for this one.
      handle: (events, client) => this.onEvents(events, this.options.store.withClient(client)),
      onError: options.onError ?? (() => undefined),
    });
  }

  onApplicationBootstrap(): void {
    this.projection.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.projection.stop();
  }

  nudge(): void {
    this.projection.nudge();
  }

  waitFor(position: number, timeoutMs?: number): Promise<void> {
    return this.projection.waitFor(position, timeoutMs);
  }

  private async onEvents(events: readonly RecordedEvent[], store: PostgresEventStore): Promise<void> {
    for (const event of events) {
      if (event.type !== 'CoverageRecorded' && event.type !== 'CoverageUpdated') continue;
      await this.recheck(event as RecordedEvent<CoverageEvent['data']>, store);
    }
  }

  private async recheck(event: RecordedEvent<CoverageEvent['data']>, store: PostgresEventStore): Promise<void> {
    const { patientId } = event.data;
    const stream = eligibilityStreamId(patientId);
    const history = await store.readStream(stream);
    const today = new Date().toISOString().slice(0, 10);
    const targets = recheckTargets(
      history.filter((e) => e.type === 'EligibilityDetermined').map((e) => e.data as EligibilityDetermined['data']),
      today,
      history.filter((e) => e.type === 'AppointmentWithdrawn').map((e) => (e.data as { appointmentId: string }).appointmentId),
    );
    if (targets.length === 0) return;
    for (const { appointmentId, request } of targets) {
      await recheckRequest(
        store,
        this.options.catalog,
        request,
        {
          commandId: `recheck:${event.eventId}:${appointmentId}`,
          correlationId: event.metadata.correlationId,
          causationId: event.eventId,
          ...(event.metadata.traceparent !== undefined && { traceparent: event.metadata.traceparent }),
        },
        this.options.onError,
      );
    }
    this.options.afterAppend();
  }
}
