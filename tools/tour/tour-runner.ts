/**
 * The tour's runner: numbered steps, each printing its title, then ✓ and its result lines with its
 * time, or ✗ and the reason (the first failure ends the tour with exit code 1); a group of steps
 * that needs a service the platform lacks prints one "skipped" line instead.
 */
import { bold, detail, dim, elapsed, green, print, red } from './tour-output';
import type { TourState } from './tour-state';

export type Note = (line: string) => void;

/** One step of the story: what it shows, and how (results go into the state for later steps). */
export interface TourStep {
  readonly title: string | ((state: TourState) => string);
  readonly run: (state: TourState, note: Note) => Promise<void>;
}

/** Steps that need something the platform may lack: skipped as one numbered line when `why` answers. */
export interface TourGroup {
  readonly skipTitle: string;
  readonly skipWhy: (state: TourState) => string | undefined;
  readonly steps: readonly TourStep[];
}

export type TourItem = TourStep | TourGroup;

/** Runs the items in order; returns the number of steps (run or skipped). */
export async function runTour(items: readonly TourItem[], state: TourState): Promise<number> {
  let stepNo = 0;
  for (const item of items) {
    if ('steps' in item) {
      const why = item.skipWhy(state);
      if (why !== undefined) {
        skip(++stepNo, item.skipTitle, why);
        continue;
      }
      for (const step of item.steps) await runStep(++stepNo, step, state);
    } else {
      await runStep(++stepNo, item, state);
    }
  }
  return stepNo;
}

async function runStep(stepNo: number, step: TourStep, state: TourState): Promise<void> {
  const title = typeof step.title === 'string' ? step.title : step.title(state);
  print(`${bold(String(stepNo).padStart(2))}. ${title}`);
  const t0 = Date.now();
  const notes: string[] = [];
  try {
    await step.run(state, (line) => notes.push(line));
    print(`    ${green('✓')} ${notes[0] ?? 'done'} ${dim(`(${Date.now() - t0} ms)`)}`);
    for (const line of notes.slice(1)) detail(line);
  } catch (error) {
    for (const line of notes) detail(line);
    print(`    ${red('✗')} ${error instanceof Error ? error.message : String(error)}`);
    print();
    print(red(`Tour failed at step ${stepNo} (${title}) after ${elapsed()}.`));
    process.exit(1);
  }
}

function skip(stepNo: number, title: string, why: string): void {
  print(`${bold(String(stepNo).padStart(2))}. ${title}`);
  print(`    – skipped: ${why}`);
}
