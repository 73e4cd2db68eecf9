import { Gauge, type Registry } from 'prom-client';
import type { IntakeCounters } from './reading-intake.handler';

/**
 * Readings received since the process started, by outcome (accepted, duplicate, rejected, and
 * among the rejected those of unassigned devices): an unassigned device sending readings shows
 * here, its readings are never attached to a patient.
 */
export function registerIntakeMetrics(registry: Registry, counters: IntakeCounters): void {
  new Gauge({
    name: 'carebridge_monitoring_readings',
    help: 'Readings received since start, by outcome (cumulative)',
    labelNames: ['outcome'],
    registers: [registry],
    collect() {
      this.set({ outcome: 'accepted' }, counters.accepted);
      this.set({ outcome: 'duplicate' }, counters.duplicates);
      this.set({ outcome: 'rejected' }, counters.rejected);
      this.set({ outcome: 'unassigned-device' }, counters.unassigned);
    },
  });
}
