import { type Command, type Decider, DomainError, assertNever } from '@carebridge/shared-kernel';
import type { Determination, EligibilityEvent, EligibilityRequest, Outcome } from './eligibility.events';

export type RecordDetermination = Command<
  'RecordDetermination',
  {
    determinationId: string;
    patientId: string;
    request: EligibilityRequest;
    determination: Determination;
    /**
     * Automatic re-checks record (and publish) only an answer that changed: its outcome, the codes
     * of its reasons, or a cost share the payer now reports differently (a re-check by the rules
     * alone, which knows no cost share, does not count as a change of it).
     */
    onlyIfChanged?: boolean;
  }
>;
/** Scheduling cancelled the appointment: later re-checks of it record nothing. */
export type WithdrawAppointment = Command<'WithdrawAppointment', { patientId: string; appointmentId: string }>;
export type EligibilityCommand = RecordDetermination | WithdrawAppointment;

export type EligibilityState =
  | { readonly status: 'none' }
  | {
      readonly status: 'determined';
      readonly determinationIds: readonly string[];
      /** Latest answer per appointment, so a re-check records only a changed one and says from what. */
      readonly lastAnswerByAppointment: Readonly<Record<string, Answer>>;
      readonly withdrawnAppointments: readonly string[];
    };

/** What a re-check compares: what the patient and the portals act on, not when or by which rule version. */
export interface Answer {
  readonly outcome: Outcome;
  readonly reasonCodes: string;
  readonly costShare: Determination['costShare'];
}

const answerOf = (determination: Determination): Answer => ({
  outcome: determination.outcome,
  reasonCodes: [...new Set(determination.reasons.map((r) => r.code))].sort().join(' '),
  costShare: determination.costShare,
});

const sameCostShare = (a: Determination['costShare'], b: Determination['costShare']) =>
  a?.copay === b?.copay &&
  a?.coinsurancePercent === b?.coinsurancePercent &&
  a?.deductibleRemaining === b?.deductibleRemaining &&
  a?.outOfPocketRemaining === b?.outOfPocketRemaining &&
  // Built in the 271's order from one parser: the same benefits serialise the same.
  JSON.stringify(a?.benefits ?? []) === JSON.stringify(b?.benefits ?? []);

const isPayerCode = (code: string) => code.startsWith('PAYER.');
const withoutPayerCodes = (codes: string) =>
  codes
    .split(' ')
    .filter((code) => code !== '' && !isPayerCode(code))
    .join(' ');

/**
 * Whether `next` tells the patient something `previous` did not. An answer without the payer's
 * word (a re-check by the rules alone) is compared on the rules' part only: it knows neither the
 * payer's codes nor a cost share, and that is not a change of them.
 */
export function answerChanged(previous: Answer, next: Determination): boolean {
  const answer = answerOf(next);
  if (answer.outcome !== previous.outcome) return true;
  const fromPayer = next.reasons.some((r) => isPayerCode(r.code));
  if (!fromPayer) return withoutPayerCodes(answer.reasonCodes) !== withoutPayerCodes(previous.reasonCodes);
  return (
    answer.reasonCodes !== previous.reasonCodes ||
    (answer.costShare !== null && (previous.costShare === null || !sameCostShare(previous.costShare, answer.costShare)))
  );
}

/** A determination that cannot be reproduced later is worthless as an audit record. */
export class UnreproducibleDeterminationError extends DomainError {
  readonly code = 'ELIGIBILITY.UNREPRODUCIBLE';
  constructor() {
    super('A determination must name the rule-set versions it used');
  }
}

export class PatientMismatchError extends DomainError {
  readonly code = 'ELIGIBILITY.PATIENT_MISMATCH';
  override readonly kind = 'invalid' as const;
  constructor() {
    super('The request is for another patient than the stream');
  }
}

export const eligibilityDecider: Decider<EligibilityCommand, EligibilityEvent, EligibilityState> = {
  initialState: () => ({ status: 'none' }),

  decide(command, state) {
    switch (command.type) {
      case 'RecordDetermination': {
        const { determinationId, patientId, request, determination, onlyIfChanged } = command.data;
        if (request.patientId !== patientId) throw new PatientMismatchError();
        if (determination.ruleSets.length === 0) throw new UnreproducibleDeterminationError();
        if (state.status === 'determined' && state.determinationIds.includes(determinationId)) return [];
        // A cancelled appointment is not answered again (a late re-check or booking redelivery).
        if (state.status === 'determined' && request.appointmentId !== undefined && state.withdrawnAppointments.includes(request.appointmentId)) return [];
        const previous =
          state.status === 'determined' && request.appointmentId !== undefined
            ? state.lastAnswerByAppointment[request.appointmentId]
            : undefined;
        if (onlyIfChanged && (previous === undefined || !answerChanged(previous, determination))) return [];
        return {
          type: 'EligibilityDetermined',
          data: {
            determinationId,
            patientId,
            request,
            determination,
            ...(previous !== undefined && previous.outcome !== determination.outcome && { changedFrom: previous.outcome }),
          },
        };
      }
      case 'WithdrawAppointment': {
        const { patientId, appointmentId } = command.data;
        if (state.status === 'determined' && state.withdrawnAppointments.includes(appointmentId)) return [];
        return { type: 'AppointmentWithdrawn', data: { patientId, appointmentId } };
      }
      default: {
        const _exhaustive: never = command;
        return assertNever(_exhaustive, 'eligibility command');
      }
    }
  },

  evolve(state, event) {
    switch (event.type) {
      case 'EligibilityDetermined': {
        const ids = state.status === 'determined' ? state.determinationIds : [];
        const answers = state.status === 'determined' ? state.lastAnswerByAppointment : {};
        const appointmentId = event.data.request.appointmentId;
        return {
          status: 'determined',
          determinationIds: [...ids, event.data.determinationId],
          lastAnswerByAppointment: appointmentId === undefined ? answers : { ...answers, [appointmentId]: answerOf(event.data.determination) },
          withdrawnAppointments: state.status === 'determined' ? state.withdrawnAppointments : [],
        };
      }
      case 'AppointmentWithdrawn':
        return {
          status: 'determined',
          determinationIds: state.status === 'determined' ? state.determinationIds : [],
          lastAnswerByAppointment: state.status === 'determined' ? state.lastAnswerByAppointment : {},
          withdrawnAppointments: [...(state.status === 'determined' ? state.withdrawnAppointments : []), event.data.appointmentId],
        };
      default: {
        const _exhaustive: never = event;
        return assertNever(_exhaustive, 'eligibility event');
      }
    }
  },
};
