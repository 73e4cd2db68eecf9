import { type Command, type Decider, assertNever } from '@carebridge/shared-kernel';
import type { PatientContactEvent } from './patient-contact.events';

export type RecordContactChange = Command<
  'RecordContactChange',
  { patientId: string; channels: readonly ('sms' | 'email')[]; hasEmail: boolean; hasPhone: boolean }
>;
export type RecordContactErasure = Command<'RecordContactErasure', { patientId: string }>;
export type RecordContactRead = Command<'RecordContactRead', { patientId: string; purpose: string }>;
export type PatientContactCommand = RecordContactChange | RecordContactErasure | RecordContactRead;

export type PatientContactState = { readonly status: 'none' } | { readonly status: 'recorded' } | { readonly status: 'erased' };

export const patientContactStreamId = (patientId: string): string => `patient-contact-${patientId}`;

/** Accounting of changes and reads of a patient's contact (HIPAA access accounting); erasing nothing recorded is a no-op. */
export const patientContactDecider: Decider<PatientContactCommand, PatientContactEvent, PatientContactState> = {
  initialState: () => ({ status: 'none' }),
  decide(command, state) {
    switch (command.type) {
      case 'RecordContactChange':
        return [{ type: 'PatientContactChanged', data: { ...command.data, channels: [...command.data.channels] } }];
      case 'RecordContactErasure':
        return state.status === 'recorded' ? [{ type: 'PatientContactErased', data: { patientId: command.data.patientId } }] : [];
      case 'RecordContactRead':
        return [{ type: 'PatientContactRead', data: command.data }];
      default: {
        const exhaustive: never = command;
        return assertNever(exhaustive, 'patient contact command');
      }
    }
  },
  evolve(state, event) {
    switch (event.type) {
      case 'PatientContactChanged':
        return { status: 'recorded' };
      case 'PatientContactErased':
        return { status: 'erased' };
      case 'PatientContactRead':
        return state;
      default: {
        const exhaustive: never = event;
        return assertNever(exhaustive, 'patient contact event');
      }
    }
  },
};
