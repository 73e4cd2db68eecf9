import { deepStrictEqual } from 'node:assert';
import { asArray, type Command, type Decider, type Event } from '@carebridge/shared-kernel';

/**
 * Given / when / then on events, with no framework:
 *
 *   const spec = DeciderSpecification.for(appointmentDecider);
 *   spec.given([slotHeld]).when(bookAppointment).then([appointmentBooked]);
 *   spec.given([appointmentBooked]).when(bookAppointment).thenThrows(SlotTakenError);
 */
export const DeciderSpecification = {
  for<C extends Command, E extends Event, S>(decider: Decider<C, E, S>) {
    return {
      given(events: readonly E[]) {
        return {
          when(command: C) {
            const run = (): readonly E[] => {
              const state = events.reduce((s, e) => decider.evolve(s, e), decider.initialState());
              return asArray(decider.decide(command, state));
            };
            return {
              then(expected: readonly E[]): void {
                deepStrictEqual(run(), expected);
              },
              thenNothingHappens(): void {
                deepStrictEqual(run(), []);
              },
              thenThrows<Err extends Error>(
                expected: (new (...args: never[]) => Err) | ((error: Err) => boolean),
                check?: (error: Err) => void,
              ): void {
                let thrown: unknown;
                try {
                  run();
                } catch (error) {
                  thrown = error;
                }
                if (thrown === undefined) {
                  throw new Error(`expected ${describe(expected)} to be thrown, but the command was accepted`);
                }
                const matches = isClass(expected)
                  ? thrown instanceof expected
                  : (expected as (error: Err) => boolean)(thrown as Err);
                if (!matches) {
                  throw new Error(`expected ${describe(expected)}, got ${String(thrown)}`);
                }
                check?.(thrown as Err);
              },
            };
          },
        };
      },
    };
  },
};

function isClass(value: unknown): value is new (...args: never[]) => Error {
  return typeof value === 'function' && /^class\s/.test(Function.prototype.toString.call(value));
}

function describe(expected: unknown): string {
  return typeof expected === 'function' && expected.name ? expected.name : 'an error';
}
