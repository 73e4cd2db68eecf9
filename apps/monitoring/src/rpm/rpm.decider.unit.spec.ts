import { DeciderSpecification } from '@carebridge/event-store';
import type { CommandMetadata } from '@carebridge/shared-kernel';
import { PeriodNotOverError, type RpmCommand, rpmDecider } from './rpm.decider';
import type { RpmEvent } from './rpm.events';
import { ruleSetOn } from './rpm.rules';

const spec = DeciderSpecification.for(rpmDecider);
const meta: CommandMetadata = { now: new Date('2026-04-01T00:00:00Z'), actor: { id: 'rpm', role: 'system' }, correlationId: 'c' };
const rules = ruleSetOn('2026-03-30')!;
const close = (overrides: Partial<RpmCommand['data']> = {}): RpmCommand => ({
  type: 'CloseRpmPeriod',
  data: {
    periodId: 'p1',
    patientId: 'pat',
    practitionerId: 'doc',
    periodStart: '2026-03-01',
    periodEnd: '2026-03-30',
    daysWithReadings: 16,
    managementMinutes: 20,
    interactive: true,
    interpretationMinutes: 0,
    consented: true,
    established: true,
    hasPractitioner: true,
    ruleSet: rules,
    ...overrides,
  },
  metadata: meta,
});
const closed = (codes: { code: string; units: number }[], reasonCodes: string[], overrides: Partial<RpmEvent['data']> = {}): RpmEvent => ({
  type: 'RpmPeriodClosed',
  data: {
    periodId: 'p1',
    patientId: 'pat',
    practitionerId: 'doc',
    periodStart: '2026-03-01',
    periodEnd: '2026-03-30',
    daysWithReadings: 16,
    managementMinutes: 20,
    interpretationMinutes: 0,
    interactive: true,
    codes,
    reasonCodes,
    ruleSet: { ruleSetId: rules.ruleSetId, version: rules.version, source: rules.source },
    ...overrides,
  },
});

describe('RPM period', () => {
  it('closes with device, set-up and management codes', () => {
    spec.given([]).when(close()).then([
      closed(
        [
          { code: '99454', units: 1 },
          { code: '99453', units: 1 },
          { code: '99457', units: 1 },
        ],
        ['RPM.DAYS_16_TO_30'],
      ),
    ]);
  });

  it('does not bill set-up again in a later period', () => {
    const first = closed([{ code: '99453', units: 1 }], []);
    spec.given([first]).when(close({ periodId: 'p2', periodStart: '2026-02-01', periodEnd: '2026-03-02', daysWithReadings: 15, managementMinutes: 0 })).then([
      closed([{ code: '99445', units: 1 }], ['RPM.DAYS_2_TO_15'], {
        periodId: 'p2',
        periodStart: '2026-02-01',
        periodEnd: '2026-03-02',
        daysWithReadings: 15,
        managementMinutes: 0,
      }),
    ]);
  });

  it('closes a period once', () => {
    spec.given([closed([], [])]).when(close()).thenNothingHappens();
  });

  it('refuses a period that has not ended', () => {
    spec.given([]).when(close({ periodEnd: '2026-04-01' })).thenThrows(PeriodNotOverError);
  });
});
