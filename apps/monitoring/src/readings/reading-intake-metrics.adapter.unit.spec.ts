import { Registry } from 'prom-client';
import { registerIntakeMetrics } from './reading-intake-metrics.adapter';

describe('intake metrics', () => {
  it('exposes readings by outcome, unassigned devices counted apart', async () => {
    const registry = new Registry();
    const counters = { accepted: 5, duplicates: 1, rejected: 3, unassigned: 2 };
    registerIntakeMetrics(registry, counters);
    counters.accepted = 7;
    const text = await registry.metrics();
    expect(text).toContain('carebridge_monitoring_readings{outcome="accepted"} 7');
    expect(text).toContain('carebridge_monitoring_readings{outcome="unassigned-device"} 2');
  });
});
