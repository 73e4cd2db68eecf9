import type { EventStore } from '@carebridge/event-store';
import type { EligibilityDetermined, EligibilityRequest } from './eligibility.events';
import { eligibilityStreamId } from './eligibility.stream';

/** A patient's answers, oldest first (the eligibility-<patientId> stream's determinations). */
export async function readDeterminations(store: EventStore, patientId: string): Promise<EligibilityDetermined['data'][]> {
  return (await store.readStream(eligibilityStreamId(patientId)))
    .filter((e) => e.type === 'EligibilityDetermined')
    .map((e) => e.data as EligibilityDetermined['data']);
}

/** The latest answered request of an appointment, from the patient's answers. */
export function latestRequestOf(history: readonly EligibilityDetermined['data'][], appointmentId: string): EligibilityRequest | undefined {
  return history.filter((d) => d.request.appointmentId === appointmentId).at(-1)?.request;
}
