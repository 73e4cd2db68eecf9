import { type Command, type Decider, DomainError, assertNever } from '@carebridge/shared-kernel';
import type { Coverage, CoverageEvent, CoverageOrder } from './coverage.events';

export type RecordCoverage = Command<'RecordCoverage', { patientId: string; coverage: Coverage }>;
export type UpdateCoverage = Command<
  'UpdateCoverage',
  {
    patientId: string;
    coverageId: string;
    changes: Partial<Omit<Coverage, 'coverageId' | 'payerKind'>>;
  }
>;
export type CoverageCommand = RecordCoverage | UpdateCoverage;

export type CoverageState =
  | { readonly status: 'none' }
  | { readonly status: 'recorded'; readonly patientId: string; readonly coverages: readonly Coverage[] };

export class CoverageNotFoundError extends DomainError {
  readonly code = 'COVERAGE.NOT_FOUND';
  override readonly kind = 'not-found' as const;
  constructor(coverageId: string) {
    super(`Coverage ${coverageId} is not recorded for this patient`, { coverageId });
  }
}

export class CoverageAlreadyRecordedError extends DomainError {
  readonly code = 'COVERAGE.ALREADY_RECORDED';
  override readonly kind = 'conflict' as const;
  constructor(coverageId: string) {
    super(`Coverage ${coverageId} is already recorded`, { coverageId });
  }
}

export class DuplicateMembershipError extends DomainError {
  readonly code = 'COVERAGE.DUPLICATE_MEMBERSHIP';
  override readonly kind = 'conflict' as const;
  constructor(existing: string) {
    super(`The same payer and member id are already recorded for an overlapping period (coverage ${existing})`, {
      coverageId: existing,
    });
  }
}

/** Coordination of benefits needs exactly one payer per rank at any date. */
export class CoverageOrderTakenError extends DomainError {
  readonly code = 'COVERAGE.ORDER_TAKEN';
  override readonly kind = 'conflict' as const;
  constructor(order: CoverageOrder, existing: string) {
    super(`Another ${order} coverage (${existing}) overlaps these dates`, { order, coverageId: existing });
  }
}

export class SecondaryWithoutPrimaryError extends DomainError {
  readonly code = 'COVERAGE.SECONDARY_WITHOUT_PRIMARY';
  constructor(coverageId: string) {
    super(`Secondary coverage ${coverageId} needs a primary coverage for its whole period`, { coverageId });
  }
}

export class InvalidCoverageError extends DomainError {
  readonly code = 'COVERAGE.INVALID';
  override readonly kind = 'rule' as const;
  constructor(field: string, message: string) {
    super(`${field}: ${message}`, { field });
  }
}

export const coverageDecider: Decider<CoverageCommand, CoverageEvent, CoverageState> = {
  initialState: () => ({ status: 'none' }),

  decide(command, state) {
    switch (command.type) {
      case 'RecordCoverage': {
        const { patientId, coverage } = command.data;
        const existing = state.status === 'recorded' ? state.coverages : [];
        if (existing.some((c) => c.coverageId === coverage.coverageId)) {
          throw new CoverageAlreadyRecordedError(coverage.coverageId);
        }
        checkCoverage(coverage, existing);
        return { type: 'CoverageRecorded', data: { patientId, coverage } };
      }
      case 'UpdateCoverage': {
        const { patientId, coverageId, changes } = command.data;
        const current = state.status === 'recorded' ? state.coverages.find((c) => c.coverageId === coverageId) : undefined;
        if (state.status !== 'recorded' || current === undefined) throw new CoverageNotFoundError(coverageId);
        const updated: Coverage = { ...current, ...changes };
        const changed = Object.keys(changes).filter(
          // Values are strings or the small subscriber object: compared by content.
          (key) => JSON.stringify(current[key as keyof Coverage]) !== JSON.stringify(updated[key as keyof Coverage]),
        );
        if (changed.length === 0) return [];
        checkCoverage(
          updated,
          state.coverages.filter((c) => c.coverageId !== coverageId),
        );
        return { type: 'CoverageUpdated', data: { patientId, coverage: updated, changed } };
      }
      default: {
        const _exhaustive: never = command;
        return assertNever(_exhaustive, 'coverage command');
      }
    }
  },

  evolve(state, event) {
    switch (event.type) {
      case 'CoverageRecorded':
        return {
          status: 'recorded',
          patientId: event.data.patientId,
          coverages: [...(state.status === 'recorded' ? state.coverages : []), event.data.coverage],
        };
      case 'CoverageUpdated':
        if (state.status !== 'recorded') return state;
        return {
          ...state,
          coverages: state.coverages.map((c) => (c.coverageId === event.data.coverage.coverageId ? event.data.coverage : c)),
        };
      default: {
        const _exhaustive: never = event;
        return assertNever(_exhaustive, 'coverage event');
      }
    }
  },
};

/** The payer-kind requirements of a coverage and its order against the patient's other coverages. */
function checkCoverage(coverage: Coverage, others: readonly Coverage[]): void {
  if (coverage.terminatesOn !== undefined && coverage.terminatesOn < coverage.effectiveFrom) {
    throw new InvalidCoverageError('terminatesOn', 'must not be before effectiveFrom');
  }
  switch (coverage.payerKind) {
    case 'medicaid':
    case 'chip':
    case 'commercial':
      // Medicaid/CHIP rules are per state programme; commercial parity law is the plan's state's.
      if (coverage.state === undefined) throw new InvalidCoverageError('state', `is required for ${coverage.payerKind}`);
      if (coverage.payerId === undefined) throw new InvalidCoverageError('payerId', `is required for ${coverage.payerKind}`);
      if (coverage.memberId === undefined) throw new InvalidCoverageError('memberId', `is required for ${coverage.payerKind}`);
      break;
    case 'medicare-part-b':
    case 'medicare-advantage':
      if (coverage.payerId === undefined) throw new InvalidCoverageError('payerId', `is required for ${coverage.payerKind}`);
      if (coverage.memberId === undefined) throw new InvalidCoverageError('memberId', `is required for ${coverage.payerKind}`);
      break;
    case 'self-pay':
      if (coverage.order !== 'primary') throw new InvalidCoverageError('order', 'self-pay can only be primary');
      break;
    default: {
      const _exhaustive: never = coverage.payerKind;
      assertNever(_exhaustive, 'payer kind');
    }
  }
  const overlapping = others.filter((other) => overlaps(other, coverage));
  const sameMembership = overlapping.find(
    (other) => other.payerId !== undefined && other.payerId === coverage.payerId && other.memberId === coverage.memberId,
  );
  if (sameMembership) throw new DuplicateMembershipError(sameMembership.coverageId);
  const sameOrder = overlapping.find((other) => other.order === coverage.order);
  if (sameOrder) throw new CoverageOrderTakenError(coverage.order, sameOrder.coverageId);
  if (coverage.order === 'secondary' && !coveredByPrimaries(coverage, others)) {
    throw new SecondaryWithoutPrimaryError(coverage.coverageId);
  }
  // A primary may not shrink away from under a secondary that relies on it.
  if (coverage.order === 'primary') {
    const primaries = [...others.filter((o) => o.order === 'primary'), coverage];
    const orphan = others.find((o) => o.order === 'secondary' && !coveredByPrimaries(o, primaries));
    if (orphan) throw new SecondaryWithoutPrimaryError(orphan.coverageId);
  }
}

const END_OF_TIME = '9999-12-31';

function overlaps(a: Coverage, b: Coverage): boolean {
  return a.effectiveFrom <= (b.terminatesOn ?? END_OF_TIME) && b.effectiveFrom <= (a.terminatesOn ?? END_OF_TIME);
}

/** True when primaries (which never overlap each other) cover every day of `secondary`'s period. */
function coveredByPrimaries(secondary: Coverage, coverages: readonly Coverage[]): boolean {
  const primaries = coverages
    .filter((c) => c.order === 'primary' && overlaps(c, secondary))
    .sort((a, b) => a.effectiveFrom.localeCompare(b.effectiveFrom));
  let coveredUntil = dayBefore(secondary.effectiveFrom);
  const end = secondary.terminatesOn ?? END_OF_TIME;
  for (const primary of primaries) {
    if (primary.effectiveFrom > nextDay(coveredUntil)) return false;
    const primaryEnd = primary.terminatesOn ?? END_OF_TIME;
    if (primaryEnd > coveredUntil) coveredUntil = primaryEnd;
    if (coveredUntil >= end) return true;
  }
  return coveredUntil >= end;
}

/** Calendar arithmetic on ISO dates without a clock (UTC, so no daylight-saving shift). */
export function nextDay(date: string): string {
  if (date === END_OF_TIME) return date;
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

function dayBefore(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - 1);
  return d.toISOString().slice(0, 10);
}

/** The coverage that pays first on a date of service, if any. */
export function coverageOn(state: CoverageState, date: string, order: CoverageOrder = 'primary'): Coverage | undefined {
  if (state.status !== 'recorded') return undefined;
  return state.coverages.find(
    (c) => c.order === order && c.effectiveFrom <= date && (c.terminatesOn === undefined || date <= c.terminatesOn),
  );
}
