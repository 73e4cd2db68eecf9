import { Inject, Injectable, Optional } from '@nestjs/common';
import { handle, type HandleResult, type PostgresEventStore } from '@carebridge/event-store';
import type { Command, Decider, Event } from '@carebridge/shared-kernel';
import { EVENT_STORE, READ_MODELS, RELAY_NUDGE } from './prescriptions.tokens';
import type { ReadModels } from './read-models.projection';

/** handle() plus what every HTTP command needs after it: read models caught up, relay woken. */
@Injectable()
export class Commands {
  constructor(
    @Inject(EVENT_STORE) readonly store: PostgresEventStore,
    @Inject(READ_MODELS) private readonly readModels: ReadModels,
    @Optional() @Inject(RELAY_NUDGE) private readonly nudgeRelay?: () => void,
  ) {}

  async run<C extends Command, E extends Event, S>(streamId: string, decider: Decider<C, E, S>, command: C): Promise<HandleResult<S>> {
    const result = await handle(this.store, streamId, decider, command);
    const last = result.newEvents.at(-1);
    if (last) {
      this.nudgeRelay?.();
      await this.readModels.waitFor(last.globalPosition);
    }
    return result;
  }

  async state<C extends Command, E extends Event, S>(streamId: string, decider: Decider<C, E, S>): Promise<S> {
    const events = await this.store.readStream(streamId);
    return events.reduce((s, e) => decider.evolve(s, e as unknown as E), decider.initialState());
  }
}
