import { type Command, type Decider, DomainError, assertNever, validThroughIn } from '@carebridge/shared-kernel';
import type { Licence } from '../visit/visit.events';
import type { ProviderEvent } from './provider.events';

export type RegisterLicences = Command<'RegisterLicences', { providerId: string; licences: readonly Licence[] }>;
export type SetUrgentCareDuty = Command<'SetUrgentCareDuty', { providerId: string; onDuty: boolean }>;
export type ProviderCommand = RegisterLicences | SetUrgentCareDuty;

export type ProviderState =
  | { readonly status: 'unknown' }
  | { readonly status: 'known'; readonly providerId: string; readonly licences: readonly Licence[]; readonly onDuty: boolean };

export class NoValidLicenceError extends DomainError {
  readonly code = 'PROVIDER.NO_VALID_LICENCE';
}
export class NotOnDutyError extends DomainError {
  readonly code = 'PROVIDER.NOT_ON_DUTY';
}
export class DuplicateLicenceStateError extends DomainError {
  readonly code = 'PROVIDER.DUPLICATE_LICENCE_STATE';
}

const validOn = (licence: Licence, now: Date) => validThroughIn(licence.state, licence.expiresOn, now);

/** States where the provider holds a licence valid on `now`. */
export function licensedStates(state: ProviderState, now: Date): string[] {
  return state.status === 'known' ? state.licences.filter((l) => validOn(l, now)).map((l) => l.state) : [];
}

export const providerDecider: Decider<ProviderCommand, ProviderEvent, ProviderState> = {
  initialState: () => ({ status: 'unknown' }),
  decide(command, state) {
    switch (command.type) {
      case 'RegisterLicences': {
        const states = command.data.licences.map((l) => l.state);
        const twice = states.filter((s, i) => states.indexOf(s) !== i);
        if (twice.length > 0) throw new DuplicateLicenceStateError(`One licence per state: ${[...new Set(twice)].join(', ')} given twice`);
        if (state.status === 'known' && JSON.stringify(state.licences) === JSON.stringify(command.data.licences)) return [];
        return [{ type: 'LicencesRegistered', data: command.data }];
      }
      case 'SetUrgentCareDuty': {
        const onDuty = state.status === 'known' && state.onDuty;
        if (onDuty === command.data.onDuty) return [];
        if (command.data.onDuty && licensedStates(state, command.metadata.now).length === 0) {
          throw new NoValidLicenceError('Register an unexpired state licence before going on urgent-care duty');
        }
        return [{ type: 'UrgentCareDutyChanged', data: command.data }];
      }
      default: {
        const exhaustive: never = command;
        return assertNever(exhaustive, 'provider command');
      }
    }
  },
  evolve(state, event) {
    const base = state.status === 'known' ? state : { status: 'known' as const, providerId: event.data.providerId, licences: [], onDuty: false };
    switch (event.type) {
      case 'LicencesRegistered':
        return { ...base, licences: event.data.licences };
      case 'UrgentCareDutyChanged':
        return { ...base, onDuty: event.data.onDuty };
      default: {
        const exhaustive: never = event;
        return assertNever(exhaustive, 'provider event');
      }
    }
  },
};
