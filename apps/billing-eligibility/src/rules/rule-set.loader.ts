import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { nextDay } from './calendar.rules';
import { RuleSetFileError } from './rule-set.errors';
import { DISCIPLINES, type Rule, type RuleCatalog, type RuleSet, US_STATES, VISIT_PURPOSES } from './rule-set.rules';
import { loadStateFiles } from './state-data.loader';
import { type StateRuleSetsManifest, buildStateRuleSets } from './state-rule-sets.loader';

export const RULE_DATA_DIR = path.join(__dirname, 'data');

export { RuleSetFileError };

const isoDate = z.iso.date();
const state = z.enum(US_STATES as [string, ...string[]]);
const purpose = z.enum(VISIT_PURPOSES as unknown as [string, ...string[]]);
const discipline = z.enum(DISCIPLINES as unknown as [string, ...string[]]);
const source = z.strictObject({
  citation: z.string().min(10),
  url: z.url().optional(),
  primary: z.string().min(1).optional(),
  asOf: z.string().regex(/^\d{4}(-\d{2}){0,2}$/),
  needsVerification: z.boolean(),
  note: z.string().optional(),
});
const base = {
  id: z.string().regex(/^[A-Za-z0-9.-]+$/),
  key: z.string().min(1),
  version: z.int().positive(),
  effectiveFrom: isoDate,
  effectiveTo: isoDate,
  source,
};
const entry = z.strictObject({
  code: z.string().regex(/^[0-9A-Z]{5}$/),
  description: z.string().min(1),
  impliesPurpose: z.array(purpose).min(1).optional(),
});

const ruleSchema = z.discriminatedUnion('kind', [
  z.strictObject({ ...base, kind: z.literal('medicare-telehealth-list'), services: z.array(entry).min(1), notOnList: z.array(entry) }),
  z.strictObject({
    ...base,
    kind: z.literal('medicare-originating-site'),
    homeAllowedFor: z.union([z.literal('all'), z.array(purpose)]),
    geographicRestriction: z.boolean(),
    geographicExemptPurposes: z.array(purpose),
  }),
  z.strictObject({ ...base, kind: z.literal('medicare-mental-health-in-person'), required: z.boolean(), monthsBeforeFirstVisit: z.int().positive().optional() }),
  z.strictObject({ ...base, kind: z.literal('medicare-audio-only'), allowedFor: z.union([z.literal('all'), z.array(purpose)]), homeOnly: z.boolean() }),
  z.strictObject({ ...base, kind: z.literal('medicare-store-and-forward'), allowedStates: z.array(state) }),
  z.strictObject({
    ...base,
    kind: z.literal('medicare-claim-coding'),
    placeOfService: z.strictObject({ home: z.string().regex(/^\d{2}$/), other: z.string().regex(/^\d{2}$/) }),
    modifiers: z.strictObject({
      video: z.strictObject({ code: z.string().length(2), hospitalBasedPatientAtHome: z.boolean(), disciplines: z.array(discipline) }),
      audioOnly: z.string().length(2),
      audioOnlyFqhcRhc: z.string().length(2),
      criticalAccessMethodII: z.string().length(2),
      storeAndForward: z.string().length(2),
      acuteStroke: z.string().length(2),
    }),
  }),
  z.strictObject({
    ...base,
    kind: z.literal('medicare-rpm'),
    requiresEstablishedPatient: z.boolean(),
    requiresConsent: z.boolean(),
    rpmAndRtmExclusive: z.boolean(),
    codes: z.array(
      z.strictObject({
        code: z.string().regex(/^[0-9A-Z]{5}$/),
        family: z.enum(['rpm', 'rtm']),
        description: z.string().min(1),
        role: z.enum(['setup', 'device-supply', 'management', 'management-addon', 'interpretation']),
        minDays: z.int().min(1).max(31).optional(),
        maxDays: z.int().min(1).max(31).optional(),
        minMinutes: z.int().min(1).optional(),
        maxMinutes: z.int().min(1).optional(),
        interactive: z.boolean().optional(),
        effectiveFrom: isoDate,
        source,
      }),
    ),
  }),
  z.strictObject({
    ...base,
    kind: z.literal('medicare-policy'),
    topic: z.enum(['virtual-direct-supervision', 'teaching-physician-virtual-presence', 'telehealth-list-review', 'frequency-limits']),
    summary: z.string().min(10),
  }),
  z.strictObject({
    ...base,
    kind: z.literal('licensure'),
    requireLicenceInPatientState: z.boolean(),
    compacts: z.array(
      z.strictObject({
        id: z.string().regex(/^[A-Z][A-Z-]*$/),
        name: z.string().min(3),
        effect: z.enum(['expedited-licensure', 'practice-authority', 'recorded-only']),
        discipline: discipline.optional(),
        credential: z.string().min(2).optional(),
        conditions: z.string().min(3).optional(),
        source,
      }),
    ),
  }),
]);

const ruleSetSchema = z.strictObject({
  ruleSetId: z.string().regex(/^[a-z0-9-]+$/),
  version: z.string().min(1),
  publishedAt: isoDate,
  coversFrom: isoDate,
  coversTo: isoDate,
  status: z.enum(['final', 'proposed']).optional(),
  role: z.literal('fallback').optional(),
  rules: z.array(ruleSchema).min(1),
});

const manifestSchema = z.strictObject({
  version: z.string().min(1),
  publishedAt: isoDate,
  coversFrom: isoDate,
  coversTo: isoDate,
  licensure: ruleSchema,
});

/** The manifest of the rule sets built from `data/states/*.json`. */
export const STATE_MANIFEST_FILE = 'state-rule-sets.manifest.json';

/** Loads every `*.json` of `dir` (one rule-set version each) and checks it; throws RuleSetFileError. */
export function loadRuleCatalog(dir: string = RULE_DATA_DIR): RuleCatalog {
  const files = readdirSync(dir).filter((f) => f.endsWith('.json') && f !== STATE_MANIFEST_FILE).sort();
  const ruleSets = [...files.map((f) => parseRuleSet(path.join(dir, f), readFileSync(path.join(dir, f), 'utf8'))), ...loadStateRuleSets(dir)];
  const seen = new Set<string>();
  for (const set of ruleSets) {
    const id = `${set.ruleSetId}@${set.version}`;
    if (seen.has(id)) throw new RuleSetFileError(set.file, 1, `${id} is defined twice`);
    seen.add(id);
  }
  return { ruleSets };
}

/**
 * The Medicaid, commercial-parity and licensure sets from `dir/states/*.json` and the manifest
 * (none when `dir` has no manifest, as a test folder with only Medicare may).
 */
export function loadStateRuleSets(dir: string): RuleSet[] {
  const manifestPath = path.join(dir, STATE_MANIFEST_FILE);
  let text: string;
  try {
    text = readFileSync(manifestPath, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const result = manifestSchema.safeParse(JSON.parse(text));
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw new RuleSetFileError(STATE_MANIFEST_FILE, lineOfPath(text, {}, issue.path), `${issue.path.join('.')}: ${issue.message}`);
  }
  const manifest = result.data as unknown as StateRuleSetsManifest;
  if (manifest.licensure.kind !== 'licensure') throw new RuleSetFileError(STATE_MANIFEST_FILE, lineOf(text, '"licensure"'), 'licensure: must be a licensure rule');
  const states = loadStateFiles(path.join(dir, 'states'));
  return buildStateRuleSets(states, manifest, `states/*.json + ${STATE_MANIFEST_FILE}`).map((set) => checkRuleSet(set.file, text, set));
}

/** Parses and checks one rules file's text; `file` names it in errors. */
export function parseRuleSet(file: string, text: string): RuleSet {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    const position = /position (\d+)/.exec(String(error))?.[1];
    throw new RuleSetFileError(file, position ? lineAt(text, Number(position)) : 1, `not valid JSON: ${(error as Error).message}`);
  }
  return validateRuleSet(file, text, json);
}

/** Checks a rule-set document (a file's JSON, or one activated at run time); `text` locates errors by line. */
export function validateRuleSet(file: string, text: string, json: unknown): RuleSet {
  const result = ruleSetSchema.safeParse(json);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw new RuleSetFileError(file, lineOfPath(text, json, issue.path), `${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  return checkRuleSet(file, text, result.data as Omit<RuleSet, 'file'>);
}

/** Dates, ids, and each key's versions covering the set's dates exactly once: no gap, no overlap. */
function checkRuleSet(file: string, text: string, set: Omit<RuleSet, 'file'>): RuleSet {
  const ruleLine = (rule: Rule) => lineOf(text, `"id": "${rule.id}"`);
  if (set.coversTo < set.coversFrom) throw new RuleSetFileError(file, lineOf(text, '"coversTo"'), 'coversTo is before coversFrom');
  const ids = new Set<string>();
  const byKey = new Map<string, Rule[]>();
  for (const rule of set.rules) {
    if (ids.has(rule.id)) throw new RuleSetFileError(file, ruleLine(rule), `rule id ${rule.id} is used twice`);
    ids.add(rule.id);
    if (rule.effectiveTo < rule.effectiveFrom) {
      throw new RuleSetFileError(file, ruleLine(rule), `${rule.id}: effectiveTo ${rule.effectiveTo} is before effectiveFrom ${rule.effectiveFrom}`);
    }
    byKey.set(rule.key, [...(byKey.get(rule.key) ?? []), rule]);
  }
  // Each key's successive versions must cover the rule set's dates exactly once: no gap, no overlap.
  for (const [key, rules] of byKey) {
    const sorted = [...rules].sort((a, b) => a.effectiveFrom.localeCompare(b.effectiveFrom));
    let expected = set.coversFrom;
    for (const rule of sorted) {
      if (rule.effectiveFrom > expected) {
        throw new RuleSetFileError(file, ruleLine(rule), `${key}: gap in effective dates, nothing in force from ${expected} to the day before ${rule.effectiveFrom}`);
      }
      if (rule.effectiveFrom < expected) {
        throw new RuleSetFileError(file, ruleLine(rule), `${key}: ${rule.id} starts ${rule.effectiveFrom}, overlapping an earlier rule (or before coversFrom ${set.coversFrom})`);
      }
      expected = nextDay(rule.effectiveTo);
    }
    const last = sorted.at(-1)!;
    if (last.effectiveTo !== set.coversTo) {
      throw new RuleSetFileError(file, ruleLine(last), `${key}: ends ${last.effectiveTo}, not at coversTo ${set.coversTo} (gap or overrun)`);
    }
  }
  const origin = (set as Partial<RuleSet>).file;
  return { ...set, file: origin ?? path.basename(file) };
}

function lineAt(text: string, offset: number): number {
  return text.slice(0, offset).split('\n').length;
}

function lineOf(text: string, needle: string): number {
  const at = text.indexOf(needle);
  return at < 0 ? 1 : lineAt(text, at);
}

/** Best effort: the line of the rule holding the bad field (by its id), or of the field name. */
function lineOfPath(text: string, json: unknown, issuePath: readonly PropertyKey[]): number {
  if (issuePath[0] === 'rules' && typeof issuePath[1] === 'number') {
    const rule = (json as { rules: { id?: unknown }[] }).rules[issuePath[1]];
    if (typeof rule?.id === 'string') {
      const ruleStart = text.indexOf(`"id": "${rule.id}"`);
      const field = issuePath.slice(2).filter((p): p is string => typeof p === 'string').at(-1);
      if (ruleStart >= 0 && field !== undefined) {
        const fieldAt = text.indexOf(`"${field}"`, ruleStart);
        if (fieldAt >= 0) return lineAt(text, fieldAt);
      }
      if (ruleStart >= 0) return lineAt(text, ruleStart);
    }
  }
  const field = issuePath.filter((p): p is string => typeof p === 'string').at(-1);
  return field ? lineOf(text, `"${field}"`) : 1;
}
