import { type Decider, assertNever } from '@carebridge/shared-kernel';
import type { ProviderDayCommand } from './provider-day.commands';
import type { ProviderDayEvent } from './provider-day.events';
import { type ProviderDayState, evolveProviderDay } from './provider-day.state';
import {
  decideBook,
  decideBookParticipant,
  decideGroupSession,
  decideHold,
  decideMoveParticipant,
  decideReleaseParticipant,
} from './booking.decide';
import {
  decideAcceptMoved,
  decideAttachment,
  decideCancel,
  decideCheckIn,
  decideCoverage,
  decideIntakeRead,
  decideNoShow,
  decideReleaseMoved,
  decideReminder,
  decideReschedule,
  decideReviewTriage,
  decideUndelivered,
} from './appointment-changes.decide';

// The day's vocabulary lives in role files; importers keep reading it from the decider.
export * from './provider-day.commands';
export * from './provider-day.errors';
export type { AppointmentStatus, DayAppointment, Hold, Participation, ProviderDayState } from './provider-day.state';

export const providerDayDecider: Decider<ProviderDayCommand, ProviderDayEvent, ProviderDayState> = {
  initialState: () => ({ status: 'empty' }),
  decide(command, state) {
    switch (command.type) {
      case 'BookParticipant':
        return decideBookParticipant(command, state);
      case 'MoveParticipant':
        return decideMoveParticipant(command, state);
      case 'ReleaseParticipant':
        return decideReleaseParticipant(command, state);
      case 'HoldSlot':
        return decideHold(command, state);
      case 'ScheduleGroupSession':
        return decideGroupSession(command, state);
      case 'BookAppointment':
        return decideBook(command, state);
      case 'CancelAppointment':
        return decideCancel(command, state);
      case 'RescheduleAppointment':
        return decideReschedule(command, state);
      case 'AcceptMovedAppointment':
        return decideAcceptMoved(command, state);
      case 'ReleaseMovedAppointment':
        return decideReleaseMoved(command, state);
      case 'CheckIn':
        return decideCheckIn(command, state);
      case 'MarkNoShow':
        return decideNoShow(command, state);
      case 'RecordNotificationUndelivered':
        return decideUndelivered(command, state);
      case 'RecordReminderSent':
        return decideReminder(command, state);
      case 'RecordCoverage':
        return decideCoverage(command, state);
      case 'RecordIntakeRead':
        return decideIntakeRead(command, state);
      case 'AddIntakeAttachment':
        return decideAttachment(command, state);
      case 'ReviewTriage':
        return decideReviewTriage(command, state);
      default: {
        const exhaustive: never = command;
        return assertNever(exhaustive, 'provider-day command');
      }
    }
  },
  evolve: evolveProviderDay,
};
