import { type Decider, assertNever } from '@carebridge/shared-kernel';
import type { AppointmentCommand } from './appointment.commands';
import type { AppointmentEvent } from './appointment.events';
import { type AppointmentState, evolveAppointment } from './appointment.state';
import {
  decideAttachment,
  decideBook,
  decideCancel,
  decideCheckIn,
  decideCoverage,
  decideIntakeRead,
  decideNoShow,
  decideReminder,
  decideReschedule,
  decideReviewTriage,
  decideUndelivered,
} from './appointment.decide';

/** `appointment-<id>`: one appointment's lifecycle. */
export const appointmentDecider: Decider<AppointmentCommand, AppointmentEvent, AppointmentState> = {
  initialState: () => ({ status: 'none' }),
  decide(command, state) {
    switch (command.type) {
      case 'BookAppointment':
        return decideBook(command, state);
      case 'CancelAppointment':
        return decideCancel(command, state);
      case 'RescheduleAppointment':
        return decideReschedule(command, state);
      case 'CheckIn':
        return decideCheckIn(command, state);
      case 'MarkNoShow':
        return decideNoShow(command, state);
      case 'RecordReminderSent':
        return decideReminder(command, state);
      case 'RecordNotificationUndelivered':
        return decideUndelivered(command, state);
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
        return assertNever(exhaustive, 'appointment command');
      }
    }
  },
  evolve: evolveAppointment,
};
