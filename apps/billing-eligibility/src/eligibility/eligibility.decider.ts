import { type Command, type Decider, DomainError, assertNever } from '@carebridge/shared-kernel';
import type { Determination, EligibilityEvent, EligibilityRequest, Outcome } from './eligibility.events';

export type RecordDetermination = Command<
  'RecordDetermination',
  {
    determinationId: string;
    patientId: string;
    request: EligibilityRequest;
    determination: Determination;
    /** Automatic re-checks record (and publish) only an answer that changed. */
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
      /** Latest outcome per appointment, so a re-check that changes the answer says from what. */
      readonly lastOutcomeByAppointment: Readonly<Record<string, Outcome>>;
      readonly withdrawnAppointments: readonly string[];
    };

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
            ? state.lastOutcomeByAppointment[request.appointmentId]
            : undefined;
        if (onlyIfChanged && (previous === undefined || previous === determination.outcome)) return [];
        return {
          type: 'EligibilityDetermined',
          data: {
            determinationId,
            patientId,
            request,
            determination,
            ...(previous !== undefined && previous !== determination.outcome && { changedFrom: previous }),
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
        const outcomes = state.status === 'determined' ? state.lastOutcomeByAppointment : {};
        const appointmentId = event.data.request.appointmentId;
        return {
          status: 'determined',
          determinationIds: [...ids, event.data.determinationId],
          lastOutcomeByAppointment:
            appointmentId === undefined ? outcomes : { ...outcomes, [appointmentId]: event.data.determination.outcome },
          withdrawnAppointments: state.status === 'determined' ? state.withdrawnAppointments : [],
        };
      }
      case 'AppointmentWithdrawn':
        return {
          status: 'determined',
          determinationIds: state.status === 'determined' ? state.determinationIds : [],
          lastOutcomeByAppointment: state.status === 'determined' ? state.lastOutcomeByAppointment : {},
          withdrawnAppointments: [...(state.status === 'determined' ? state.withdrawnAppointments : []), event.data.appointmentId],
        };
      default: {
        const _exhaustive: never = event;
        return assertNever(_exhaustive, 'eligibility event');
      }
    }
  },
};
