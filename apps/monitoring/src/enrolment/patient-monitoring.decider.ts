import { type Command, DomainError, type Decider, assertNever } from '@carebridge/shared-kernel';
import type { ConditionName, PatientMonitoringEvent, RuleAdjustmentData } from './patient-monitoring.events';

export class NotEnrolledError extends DomainError {
  readonly code = 'MONITORING.NOT_ENROLLED';
  override readonly kind = 'not-found';
}
export class AlreadyEnrolledError extends DomainError {
  readonly code = 'MONITORING.ALREADY_ENROLLED';
  override readonly kind = 'conflict';
}
export class RuleAdjustmentRefusedError extends DomainError {
  readonly code = 'MONITORING.RULE_ADJUSTMENT_REFUSED';
}

export type PatientMonitoringCommand =
  | Command<'EnrolPatient', Extract<PatientMonitoringEvent, { type: 'PatientEnrolled' }>['data']>
  | Command<'RecordConsent', { readonly patientId: string }>
  | Command<'AdjustCareRule', { readonly patientId: string; readonly adjustment: RuleAdjustmentData; readonly fits: boolean }>
  | Command<'LogInteractiveMinutes', Extract<PatientMonitoringEvent, { type: 'InteractiveMinutesLogged' }>['data']>
  | Command<'RecordMedicationFill', Extract<PatientMonitoringEvent, { type: 'MedicationFillRecorded' }>['data']>;

export type PatientMonitoringState =
  | { readonly status: 'not-enrolled' }
  | {
      readonly status: 'enrolled';
      readonly patientId: string;
      readonly conditions: readonly ConditionName[];
      readonly careTeam: readonly string[];
      readonly consented: boolean;
      readonly fills: ReadonlySet<string>;
    };

export const patientMonitoringDecider: Decider<PatientMonitoringCommand, PatientMonitoringEvent, PatientMonitoringState> = {
  initialState: () => ({ status: 'not-enrolled' }),

  decide(command, state) {
    if (command.type === 'EnrolPatient') {
      if (state.status === 'enrolled') throw new AlreadyEnrolledError('The patient is already enrolled in monitoring', { status: state.status });
      return { type: 'PatientEnrolled', data: command.data };
    }
    if (state.status === 'not-enrolled') throw new NotEnrolledError('The patient is not enrolled in monitoring', { status: state.status });
    switch (command.type) {
      case 'RecordConsent':
        if (state.consented) return [];
        return { type: 'MonitoringConsentRecorded', data: { patientId: state.patientId, consentedAt: command.metadata.now.toISOString() } };
      case 'AdjustCareRule':
        if (!command.data.fits) {
          throw new RuleAdjustmentRefusedError(`Rule ${command.data.adjustment.ruleId} does not exist or does not take this adjustment`);
        }
        return { type: 'CareRuleAdjusted', data: { patientId: state.patientId, adjustment: command.data.adjustment } };
      case 'LogInteractiveMinutes':
        return { type: 'InteractiveMinutesLogged', data: command.data };
      case 'RecordMedicationFill':
        // A fill reported twice (redelivery, or the pharmacy resending) is recorded once.
        if (state.fills.has(`${command.data.prescriptionId}@${command.data.filledAt}`)) return [];
        return { type: 'MedicationFillRecorded', data: command.data };
      default:
        return assertNever(command, 'command');
    }
  },

  evolve(state, event) {
    switch (event.type) {
      case 'PatientEnrolled':
        return {
          status: 'enrolled',
          patientId: event.data.patientId,
          conditions: event.data.conditions,
          careTeam: event.data.careTeam,
          consented: false,
          fills: new Set<string>(),
        };
      case 'MonitoringConsentRecorded':
        return state.status === 'enrolled' ? { ...state, consented: true } : state;
      case 'MedicationFillRecorded':
        return state.status === 'enrolled'
          ? { ...state, fills: new Set([...state.fills, `${event.data.prescriptionId}@${event.data.filledAt}`]) }
          : state;
      case 'CareRuleAdjusted':
      case 'InteractiveMinutesLogged':
        return state;
      default:
        return assertNever(event, 'event');
    }
  },
};
