import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { RuleSetFileError } from './rule-set.errors';
import { US_STATES } from './rule-set.rules';

/**
 * One researched jurisdiction (`data/states/<XX>.json`): Medicaid modalities and claim coding,
 * commercial parity, licensure compacts, telehealth registration and exceptions. The schema is
 * fixed with the research lanes of issue 16; every known cell names at least one source with its
 * own last-updated date, and `verified` says whether the fact was read in the retrieved text.
 */

export const STATE_DATA_DIR = path.join(__dirname, 'data', 'states');

const sourceDate = z.string().regex(/^\d{4}(-\d{2}){0,2}$/, 'must be YYYY-MM-DD, YYYY-MM or YYYY');
export const stateSourceSchema = z.strictObject({
  citation: z.string().min(3),
  url: z.url(),
  lastUpdated: sourceDate,
  primary: z.string().min(1).optional(),
  verified: z.boolean(),
  note: z.string().optional(),
});
const factId = z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'must be a kebab-case fact id');
const sources = z.array(stateSourceSchema);

// A known value needs a source; `unknown` may cite what was searched without an answer.
const sourcedUnlessUnknown = (cell: { value: string; sources: readonly unknown[] }) => cell.value === 'unknown' || cell.sources.length > 0;
const sourceMessage = { message: 'a known value needs at least one source', path: ['sources'] };

export const coverageCellSchema = z
  .strictObject({
    value: z.enum(['covered', 'covered-with-conditions', 'not-covered', 'unknown']),
    conditions: z.string().min(1).optional(),
    facts: z.array(factId).optional(),
    sources,
  })
  .refine(sourcedUnlessUnknown, sourceMessage)
  .refine((c) => c.value !== 'covered-with-conditions' || c.conditions !== undefined, {
    message: 'covered-with-conditions needs its conditions as text',
    path: ['conditions'],
  });

export const parityCellSchema = z
  .strictObject({ value: z.enum(['yes', 'no', 'partial', 'unknown']), conditions: z.string().min(1).optional(), sources })
  .refine(sourcedUnlessUnknown, sourceMessage);

export const codingCellSchema = z
  .strictObject({
    value: z.enum(['stated', 'unknown']),
    pos: z.array(z.string().regex(/^\d{2}$/)).optional(),
    modifiers: z.array(z.string().regex(/^[A-Z0-9]{2}$/)).optional(),
    text: z.string().min(1).optional(),
    sources,
  })
  .refine(sourcedUnlessUnknown, sourceMessage);

export const registrationCellSchema = z
  .strictObject({
    value: z.enum(['registration-available', 'none', 'unknown']),
    conditions: z.string().min(1).optional(),
    sources,
  })
  .refine(sourcedUnlessUnknown, sourceMessage);

export const EXCEPTION_KINDS = ['physician-to-physician-consultation', 'follow-up-existing-patient', 'other'] as const;

export const stateFileSchema = z.strictObject({
  state: z.enum(US_STATES as [string, ...string[]]),
  name: z.string().min(2),
  researchedOn: z.iso.date(),
  medicaid: z.strictObject({
    liveVideo: coverageCellSchema,
    audioOnly: coverageCellSchema,
    storeAndForward: coverageCellSchema,
    rpm: coverageCellSchema,
    claimCoding: codingCellSchema,
  }),
  commercial: z.strictObject({ coverageParity: parityCellSchema, paymentParity: parityCellSchema }),
  licensure: z.strictObject({
    compacts: z.strictObject({ members: z.array(z.string().regex(/^[A-Z][A-Z-]*$/, 'must be a compact id such as IMLC or PSYPACT')), sources }),
    telehealthRegistration: registrationCellSchema,
    exceptions: z.array(
      z.strictObject({ kind: z.enum(EXCEPTION_KINDS), text: z.string().min(1), facts: z.array(factId), sources: z.array(stateSourceSchema).min(1) }),
    ),
  }),
});

export type StateFile = z.output<typeof stateFileSchema>;
export type StateSource = z.output<typeof stateSourceSchema>;
export type CoverageCell = z.output<typeof coverageCellSchema>;
export type ParityCell = z.output<typeof parityCellSchema>;
export type CodingCell = z.output<typeof codingCellSchema>;
export type RegistrationCell = z.output<typeof registrationCellSchema>;
export type StateException = StateFile['licensure']['exceptions'][number];

/** Parses one `<XX>.json`; the file name must be the state's code. Throws RuleSetFileError with the line. */
export function parseStateFile(file: string, text: string): StateFile {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new RuleSetFileError(file, 1, `not valid JSON: ${(error as Error).message}`);
  }
  const result = stateFileSchema.safeParse(json);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const field = issue.path.filter((p): p is string => typeof p === 'string').at(-1);
    const at = field === undefined ? -1 : text.indexOf(`"${field}"`);
    const line = at < 0 ? 1 : text.slice(0, at).split('\n').length;
    throw new RuleSetFileError(file, line, `${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  const expected = path.basename(file, '.json');
  if (result.data.state !== expected) {
    throw new RuleSetFileError(file, 1, `state ${result.data.state} does not match the file name ${expected}.json`);
  }
  return result.data;
}

/** Every `<XX>.json` of `dir`, sorted by state code; a missing folder is no files. */
export function loadStateFiles(dir: string = STATE_DATA_DIR): StateFile[] {
  let names: string[];
  try {
    names = readdirSync(dir).filter((f) => /^[A-Z]{2}\.json$/.test(f)).sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  return names.map((f) => parseStateFile(path.join(dir, f), readFileSync(path.join(dir, f), 'utf8')));
}
