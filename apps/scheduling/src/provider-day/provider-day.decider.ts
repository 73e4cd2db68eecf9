import { type Decider, assertNever } from '@carebridge/shared-kernel';
import type { ProviderDayCommand } from './provider-day.commands';
import type { ProviderDayEvent } from './provider-day.events';
import { type ProviderDayState, evolveProviderDay } from './provider-day.state';
import {
  decideBookParticipant,
  decideGroupSession,
  decideHold,
  decideMoveParticipant,
  decideMoveReservation,
  decideReleaseParticipant,
  decideReleaseReservation,
  decideReserve,
} from './calendar.decide';

// The day's vocabulary lives in role files; importers keep reading it from the decider.
export * from './provider-day.commands';
export * from './provider-day.errors';
export type { Hold, Participation, ProviderDayState, Reservation } from './provider-day.state';

/** `provider-day-<providerId>-<date>`: the provider's calendar that day. */
export const providerDayDecider: Decider<ProviderDayCommand, ProviderDayEvent, ProviderDayState> = {
  initialState: () => ({ status: 'empty' }),
  decide(command, state) {
    switch (command.type) {
      case 'HoldSlot':
        return decideHold(command, state);
      case 'ReserveTime':
        return decideReserve(command, state);
      case 'MoveReservation':
        return decideMoveReservation(command, state);
      case 'ReleaseReservation':
        return decideReleaseReservation(command, state);
      case 'BookParticipant':
        return decideBookParticipant(command, state);
      case 'MoveParticipant':
        return decideMoveParticipant(command, state);
      case 'ReleaseParticipant':
        return decideReleaseParticipant(command, state);
      case 'ScheduleGroupSession':
        return decideGroupSession(command, state);
      default: {
        const exhaustive: never = command;
        return assertNever(exhaustive, 'provider-day command');
      }
    }
  },
  evolve: evolveProviderDay,
};
