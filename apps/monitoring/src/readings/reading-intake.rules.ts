import type { ReadingRecorded } from './readings.events';
import { type RawReading, normaliseReading } from './reading.rules';

/** A device's assignment to a patient: readings measured in [from, to) belong to that patient. */
export interface Assignment {
  readonly deviceId: string;
  readonly patientId: string;
  readonly from: string;
  readonly to?: string;
  /** The patient consented to monitoring (readings of a patient without consent are refused). */
  readonly consented: boolean;
}

export type ReadingOutcome =
  | { readonly index: number; readonly status: 'accepted'; readonly readingId: string; readonly patientId: string }
  | { readonly index: number; readonly status: 'duplicate'; readonly readingId: string }
  | { readonly index: number; readonly status: 'rejected'; readonly reason: string };

export interface IntakeInput {
  /** Each reading with the id derived from (device, type, measured-at): the same reading always gets the same id. */
  readonly readings: readonly { readonly raw: RawReading; readonly readingId: string }[];
  readonly assignments: readonly Assignment[];
  /** Reading ids already stored. */
  readonly stored: ReadonlySet<string>;
  readonly now: Date;
  /** A device credential may post only its own device's readings. */
  readonly onlyDevice?: string;
  /** A patient may post only readings of devices assigned to them. */
  readonly onlyPatient?: string;
}

export interface IntakeDecision {
  readonly outcomes: readonly ReadingOutcome[];
  /** The accepted readings, in measurement order. */
  readonly events: readonly ReadingRecorded[];
}

export function assignmentAt(assignments: readonly Assignment[], deviceId: string, measuredAt: string): Assignment | undefined {
  return assignments.find((a) => a.deviceId === deviceId && a.from <= measuredAt && (a.to === undefined || measuredAt < a.to));
}

/**
 * Decides, reading by reading, what a batch does: normalise and check plausibility, find the
 * device's assignment at the measurement time (never guess a patient), skip what is stored or
 * repeated in the batch. One bad reading never refuses the others.
 */
export function decideIntake(input: IntakeInput): IntakeDecision {
  const outcomes: ReadingOutcome[] = [];
  const events: ReadingRecorded[] = [];
  const seen = new Set<string>();
  input.readings.forEach(({ raw, readingId }, index) => {
    if (input.onlyDevice !== undefined && raw.deviceId !== input.onlyDevice) {
      outcomes.push({ index, status: 'rejected', reason: 'WRONG_DEVICE: this credential posts readings of its own device only' });
      return;
    }
    const normalised = normaliseReading(raw, input.now);
    if (!normalised.ok) {
      outcomes.push({ index, status: 'rejected', reason: normalised.reason });
      return;
    }
    const reading = normalised.reading;
    const assignment = assignmentAt(input.assignments, raw.deviceId, reading.measuredAt);
    if (assignment === undefined) {
      outcomes.push({ index, status: 'rejected', reason: 'UNASSIGNED_DEVICE: the device was not assigned to a patient at measuredAt' });
      return;
    }
    if (input.onlyPatient !== undefined && assignment.patientId !== input.onlyPatient) {
      outcomes.push({ index, status: 'rejected', reason: 'NOT_YOUR_DEVICE: the device is assigned to another patient' });
      return;
    }
    if (!assignment.consented) {
      outcomes.push({ index, status: 'rejected', reason: 'NO_CONSENT: the patient has not consented to monitoring' });
      return;
    }
    if (input.stored.has(readingId) || seen.has(readingId)) {
      outcomes.push({ index, status: 'duplicate', readingId });
      return;
    }
    seen.add(readingId);
    events.push({ type: 'ReadingRecorded', data: { readingId, patientId: assignment.patientId, ...reading } });
    outcomes.push({ index, status: 'accepted', readingId, patientId: assignment.patientId });
  });
  events.sort((a, b) => a.data.measuredAt.localeCompare(b.data.measuredAt));
  return { outcomes, events };
}
