import { type Command, DomainError, type Decider, assertNever } from '@carebridge/shared-kernel';
import type { RpmEvent } from './rpm.events';
import { type PeriodFacts, type RpmRuleSet, codesForPeriod } from './rpm.rules';

export class PeriodNotOverError extends DomainError {
  readonly code = 'RPM.PERIOD_NOT_OVER';
}
export class NoRuleSetError extends DomainError {
  readonly code = 'RPM.NO_RULE_SET';
}

export type RpmCommand = Command<
  'CloseRpmPeriod',
  Omit<PeriodFacts, 'setupBilled'> & {
    readonly periodId: string;
    readonly patientId: string;
    readonly practitionerId?: string;
    readonly periodStart: string;
    /** The rule set in force on the period's last day (undefined: none known). */
    readonly ruleSet: RpmRuleSet | undefined;
  }
>;

export interface RpmState {
  readonly closed: ReadonlySet<string>;
  readonly setupBilled: boolean;
}

export const rpmDecider: Decider<RpmCommand, RpmEvent, RpmState> = {
  initialState: () => ({ closed: new Set<string>(), setupBilled: false }),

  decide(command, state) {
    switch (command.type) {
      case 'CloseRpmPeriod': {
        const d = command.data;
        if (state.closed.has(d.periodStart)) return [];
        const today = command.metadata.now.toISOString().slice(0, 10);
        if (d.periodEnd >= today) throw new PeriodNotOverError(`The period ends on ${d.periodEnd}`);
        if (!d.ruleSet) throw new NoRuleSetError(`No RPM rule set covers ${d.periodEnd}`);
        const { codes, reasonCodes } = codesForPeriod({ ...d, setupBilled: state.setupBilled }, d.ruleSet);
        return {
          type: 'RpmPeriodClosed',
          data: {
            periodId: d.periodId,
            patientId: d.patientId,
            ...(d.practitionerId !== undefined && { practitionerId: d.practitionerId }),
            periodStart: d.periodStart,
            periodEnd: d.periodEnd,
            daysWithReadings: d.daysWithReadings,
            managementMinutes: d.managementMinutes,
            interpretationMinutes: d.interpretationMinutes,
            interactive: d.interactive,
            codes,
            reasonCodes,
            ruleSet: { ruleSetId: d.ruleSet.ruleSetId, version: d.ruleSet.version, source: d.ruleSet.source },
          },
        };
      }
      default:
        return assertNever(command.type, 'command');
    }
  },

  evolve(state, event) {
    switch (event.type) {
      case 'RpmPeriodClosed':
        return {
          closed: new Set([...state.closed, event.data.periodStart]),
          setupBilled: state.setupBilled || event.data.codes.some((c) => c.code === '99453'),
        };
      default:
        return assertNever(event.type, 'event');
    }
  },
};
