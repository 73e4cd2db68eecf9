import type { EventStore } from '@carebridge/event-store';
import { type CoverageState, coverageDecider } from './coverage.decider';
import type { CoverageEvent } from './coverage.events';
import { coverageStreamId } from './coverage.stream';

/** A patient's coverages now: the stream folded by the decider's evolve. */
export async function readCoverage(store: EventStore, patientId: string): Promise<CoverageState> {
  const events = await store.readStream(coverageStreamId(patientId));
  return events.reduce((s, e) => coverageDecider.evolve(s, e as unknown as CoverageEvent), coverageDecider.initialState());
}
