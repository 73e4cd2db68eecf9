import type { DeaSchedule } from './prescription.events';

/**
 * A small table of controlled substances by RxNorm concept, so that a draft carrying only an
 * RxNorm code (e.g. from a visit's prescription intent) is treated as controlled before the
 * prescriber completes it. Sources: the schedules of 21 CFR 1308.12 (II), 1308.13 (III),
 * 1308.14 (IV), 1308.15 (V); the RxNorm concepts and the federal schedule as NDF-RT published
 * it ("CS Federal Schedule") and RxNorm carries it now (RXNSAT attribute DCSA).
 *
 * needsVerification: written from memory without internet access. Every RxCUI and schedule must
 * be checked in RxNav (and against the current 21 CFR 1308) before clinical use. It is an example
 * of the mechanism with common drugs, not a complete list: a drug absent here is NOT thereby
 * uncontrolled, and the prescriber still sets the schedule for anything the table does not know.
 *
 * Ingredient (IN) entries give the schedule of the substance as listed in part 1308. Some
 * products are in a lower schedule than their ingredient (codeine combinations in III or V,
 * 21 CFR 1308.13(e), 1308.15(c)): the prescriber may record such a lower schedule with a reason.
 */
export interface ControlledSubstanceEntry {
  readonly rxcui: string;
  /** RxNorm term type: IN ingredient, SCD semantic clinical drug. */
  readonly tty: 'IN' | 'SCD';
  readonly name: string;
  readonly schedule: DeaSchedule;
  readonly source: string;
  readonly needsVerification: boolean;
}

export const CONTROLLED_SUBSTANCE_TABLE_VERSION = 'carebridge-csa-2026-11-22';

const entry = (rxcui: string, tty: 'IN' | 'SCD', name: string, schedule: DeaSchedule, cfr: string): ControlledSubstanceEntry => ({
  rxcui,
  tty,
  name,
  schedule,
  source: `${cfr}; RxNorm/NDF-RT CS Federal Schedule`,
  needsVerification: true,
});

export const CONTROLLED_SUBSTANCES: readonly ControlledSubstanceEntry[] = [
  entry('7804', 'IN', 'oxycodone', 'II', '21 CFR 1308.12(b)(1)'),
  entry('1049621', 'SCD', 'oxycodone hydrochloride 5 MG Oral Tablet', 'II', '21 CFR 1308.12(b)(1)'),
  entry('5489', 'IN', 'hydrocodone', 'II', '21 CFR 1308.12(b)(1) (combination products moved from III, 79 FR 49661, 2014-08-22)'),
  entry('7052', 'IN', 'morphine', 'II', '21 CFR 1308.12(b)(1)'),
  entry('3423', 'IN', 'hydromorphone', 'II', '21 CFR 1308.12(b)(1)'),
  entry('4337', 'IN', 'fentanyl', 'II', '21 CFR 1308.12(c)'),
  entry('6813', 'IN', 'methadone', 'II', '21 CFR 1308.12(c)'),
  entry('2670', 'IN', 'codeine', 'II', '21 CFR 1308.12(b)(1) (combinations: 1308.13(e), 1308.15(c))'),
  entry('725', 'IN', 'amphetamine', 'II', '21 CFR 1308.12(d)'),
  entry('6901', 'IN', 'methylphenidate', 'II', '21 CFR 1308.12(d)'),
  entry('700810', 'IN', 'lisdexamfetamine', 'II', '21 CFR 1308.12(d)'),
  entry('1819', 'IN', 'buprenorphine', 'III', '21 CFR 1308.13(e)'),
  entry('351264', 'SCD', 'buprenorphine 8 MG / naloxone 2 MG Sublingual Tablet', 'III', '21 CFR 1308.13(e)'),
  entry('10379', 'IN', 'testosterone', 'III', '21 CFR 1308.13(f) (anabolic steroids)'),
  entry('6130', 'IN', 'ketamine', 'III', '21 CFR 1308.13(c)'),
  entry('596', 'IN', 'alprazolam', 'IV', '21 CFR 1308.14(c)'),
  entry('2598', 'IN', 'clonazepam', 'IV', '21 CFR 1308.14(c)'),
  entry('3322', 'IN', 'diazepam', 'IV', '21 CFR 1308.14(c)'),
  entry('6470', 'IN', 'lorazepam', 'IV', '21 CFR 1308.14(c)'),
  entry('39993', 'IN', 'zolpidem', 'IV', '21 CFR 1308.14(c)'),
  entry('10689', 'IN', 'tramadol', 'IV', '21 CFR 1308.14(b) (79 FR 37623, 2014-07-02)'),
  entry('30125', 'IN', 'modafinil', 'IV', '21 CFR 1308.14(f)'),
  entry('187832', 'IN', 'pregabalin', 'V', '21 CFR 1308.15(e)'),
  entry('623404', 'IN', 'lacosamide', 'V', '21 CFR 1308.15(e)'),
];

/** Most restrictive first: II is the highest control, V the lowest. */
const RANK: Readonly<Record<DeaSchedule, number>> = { II: 2, III: 3, IV: 4, V: 5 };

/** True when `schedule` is a lower control than `than` (null, not controlled, is the lowest). */
export function isLowerSchedule(schedule: DeaSchedule | null, than: DeaSchedule): boolean {
  return schedule === null || RANK[schedule] > RANK[than];
}

/**
 * The table's entry for a product: the clinical drug (SCD) when listed, since it is the most
 * specific; otherwise the most restrictive of its listed ingredients; undefined when none.
 */
export function tableScheduleFor(
  rxnormCode: string,
  ingredientRxcuis: readonly string[],
  table: readonly ControlledSubstanceEntry[] = CONTROLLED_SUBSTANCES,
): ControlledSubstanceEntry | undefined {
  const product = table.find((e) => e.rxcui === rxnormCode);
  if (product) return product;
  return table
    .filter((e) => e.tty === 'IN' && ingredientRxcuis.includes(e.rxcui))
    .sort((a, b) => RANK[a.schedule] - RANK[b.schedule])[0];
}
