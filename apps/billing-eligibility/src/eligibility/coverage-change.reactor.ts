import type { OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { Pool } from 'pg';
import { type PostgresEventStore, Projection, type RecordedEvent, handle } from '@carebridge/event-store';
import { isDomainError } from '@carebridge/shared-kernel';
import type { CoverageEvent } from '../coverage/coverage.events';
import { readCoverage } from '../coverage/coverage.http';
import { coverageOn } from '../coverage/coverage.decider';
import { determine } from '../rules/determine.rules';
import type { RuleCatalog } from '../rules/rule-set.rules';
import { deterministicUuid } from './determination-id';
import { eligibilityDecider } from './eligibility.decider';
import type { EligibilityDetermined } from './eligibility.events';
import { eligibilityStreamId } from './eligibility.stream';
import { recheckTargets } from './recheck.rules';

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
      handle: (events) => this.onEvents(events),
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

  private async onEvents(events: readonly RecordedEvent[]): Promise<void> {
    for (const event of events) {
      if (event.type !== 'CoverageRecorded' && event.type !== 'CoverageUpdated') continue;
      await this.recheck(event as RecordedEvent<CoverageEvent['data']>);
    }
  }

  private async recheck(event: RecordedEvent<CoverageEvent['data']>): Promise<void> {
    const { patientId } = event.data;
    const stream = eligibilityStreamId(patientId);
    const history = await this.options.store.readStream(stream);
    const now = new Date();
    const today = now.toISOString().slice(0, 10);
    const targets = recheckTargets(
      history.filter((e) => e.type === 'EligibilityDetermined').map((e) => e.data as EligibilityDetermined['data']),
      today,
    );
    if (targets.length === 0) return;
    const coverageState = await readCoverage(this.options.store, patientId);
    for (const { appointmentId, request } of targets) {
      const commandId = `recheck:${event.eventId}:${appointmentId}`;
      let determination;
      try {
        determination = determine(request, coverageOn(coverageState, request.dateOfService), this.options.catalog, today);
      } catch (error) {
        // The rules cannot judge this request any more (e.g. no rule set covers it): keep the old answer, report, go on.
        if (!isDomainError(error)) throw error;
        this.options.onError?.(error);
        continue;
      }
      await handle(this.options.store, stream, eligibilityDecider, {
        type: 'RecordDetermination',
        data: { determinationId: deterministicUuid(commandId), patientId, request, determination, onlyIfChanged: true },
        metadata: {
          now,
          actor: { id: 'billing-eligibility', role: 'system' },
          correlationId: event.metadata.correlationId,
          causationId: event.eventId,
          commandId,
          ...(event.metadata.traceparent !== undefined && { traceparent: event.metadata.traceparent }),
          purpose: 'payment',
        },
      });
    }
    this.options.afterAppend();
  }
}
