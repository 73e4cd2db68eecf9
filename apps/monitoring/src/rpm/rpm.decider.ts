import { type Command, DomainError, type Decider, assertNever } from '@carebridge/shared-kernel';
import type { RpmEvent } from './rpm.events';
import { type MonthFacts, type PeriodFacts, type RpmRuleSet, codesForPeriod, lastDayOfMonth, monthsOverlapping } from './rpm.rules';

export class PeriodNotOverError extends DomainError {
  readonly code = 'RPM.PERIOD_NOT_OVER';
}
export class NoRuleSetError extends DomainError {
  readonly code = 'RPM.NO_RULE_SET';
}

export type RpmCommand = Command<
  'CloseRpmPeriod',
  Omit<PeriodFacts, 'setupBilled'> & {
    /**
     * Management minutes per calendar month for the months that ended by the period's last day
     * (billed ones included: the decider skips a month it has billed, and any month still open).
     */
    readonly managementMonths: readonly MonthFacts[];
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
  /** Calendar months (`YYYY-MM`) whose management minutes have been billed (or judged) already. */
  readonly billedMonths: ReadonlySet<string>;
}

/**
 * Management (99470/99457/99458) is per calendar month, device supply per 30-day period. Rather
 * than a second close, each period close also bills every calendar month that has ended by the
 * period's last day and was not billed by an earlier close: a month is billed once, with all of
 * its minutes, even when two periods overlap it (its minutes are not split between them). The
 * periods keep closing every 30 days, so a month is billed at most 30 days after it ends.
 */
function monthsToBill(months: readonly MonthFacts[], periodEnd: string, billed: ReadonlySet<string>): MonthFacts[] {
  return months.filter((m) => !billed.has(m.month) && lastDayOfMonth(m.month) <= periodEnd).sort((a, b) => a.month.localeCompare(b.month));
}

export const rpmDecider: Decider<RpmCommand, RpmEvent, RpmState> = {
  initialState: () => ({ closed: new Set<string>(), setupBilled: false, billedMonths: new Set<string>() }),

  decide(command, state) {
    switch (command.type) {
      case 'CloseRpmPeriod': {
        const d = command.data;
        if (state.closed.has(d.periodStart)) return [];
        const today = command.metadata.now.toISOString().slice(0, 10);
        if (d.periodEnd >= today) throw new PeriodNotOverError(`The period ends on ${d.periodEnd}`);
        if (!d.ruleSet) throw new NoRuleSetError(`No RPM rule set covers ${d.periodEnd}`);
        const managementMonths = monthsToBill(d.managementMonths, d.periodEnd, state.billedMonths);
        const { codes, reasonCodes, months } = codesForPeriod({ ...d, managementMonths, setupBilled: state.setupBilled }, d.ruleSet);
        return {
          type: 'RpmPeriodClosed',
          data: {
            periodId: d.periodId,
            patientId: d.patientId,
            ...(d.practitionerId !== undefined && { practitionerId: d.practitionerId }),
            periodStart: d.periodStart,
            periodEnd: d.periodEnd,
            daysWithReadings: d.daysWithReadings,
            managementMinutes: months.reduce((sum, m) => sum + m.minutes, 0),
            interpretationMinutes: d.interpretationMinutes,
            interactive: months.some((m) => m.interactive),
            codes,
            reasonCodes,
            ruleSet: { ruleSetId: d.ruleSet.ruleSetId, version: d.ruleSet.version, source: d.ruleSet.source },
            managementMonths: months,
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
          // An event from before management was per calendar month billed the minutes within its
          // period: every month it overlaps counts as billed (never bill minutes twice; the rest
          // of such a month is not billed, once, at the switch).
          billedMonths: new Set([
            ...state.billedMonths,
            ...(event.data.managementMonths?.map((m) => m.month) ?? monthsOverlapping(event.data.periodStart, event.data.periodEnd)),
          ]),
        };
      default:
        return assertNever(event.type, 'event');
    }
  },
};
