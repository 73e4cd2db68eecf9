import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { nextDay } from './calendar.rules';
import { type Rule, type RuleCatalog, type RuleSet, US_STATES, VISIT_PURPOSES } from './rule-set.rules';

export const RULE_DATA_DIR = path.join(__dirname, 'data');

/** A rules file that cannot be trusted: boot stops, naming the file and line. */
export class RuleSetFileError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly problem: string,
  ) {
    super(`${file}:${line}: ${problem}`);
    this.name = 'RuleSetFileError';
  }
}

const isoDate = z.iso.date();
const state = z.enum(US_STATES as [string, ...string[]]);
const purpose = z.enum(VISIT_PURPOSES as unknown as [string, ...string[]]);
const source = z.strictObject({
  citation: z.string().min(10),
  url: z.url().optional(),
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
const entry = z.strictObject({ code: z.string().regex(/^[0-9A-Z]{5}$/), description: z.string().min(1), behavioral: z.boolean().optional() });
// An unknown cell carries no source; every other value must say where it comes from.
const cell = <V extends [string, ...string[]]>(values: V) =>
  z.union([
    z.strictObject({ value: z.literal('unknown') }),
    z.strictObject({ value: z.enum(values.filter((v) => v !== 'unknown') as [string, ...string[]]), source }),
  ]);
const coverageCell = cell(['covered', 'covered-some-services', 'not-covered']);
const parityCell = cell(['yes', 'no']);

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
      video: z.string().length(2),
      audioOnly: z.string().length(2),
      audioOnlyFqhcRhc: z.string().length(2),
      criticalAccessMethodII: z.string().length(2),
      storeAndForward: z.string().length(2),
    }),
  }),
  z.strictObject({
    ...base,
    kind: z.literal('medicare-rpm'),
    requiresEstablishedPatient: z.boolean(),
    requiresConsent: z.boolean(),
    codes: z.array(
      z.strictObject({
        code: z.string().regex(/^[0-9A-Z]{5}$/),
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
    kind: z.literal('medicaid-state'),
    state,
    liveVideo: coverageCell,
    audioOnly: coverageCell,
    storeAndForward: coverageCell,
    rpm: coverageCell,
    paymentParity: parityCell,
  }),
  z.strictObject({ ...base, kind: z.literal('commercial-parity'), state, serviceParity: parityCell, paymentParity: parityCell }),
  z.strictObject({
    ...base,
    kind: z.literal('licensure'),
    requireLicenceInPatientState: z.boolean(),
    compactStates: z.union([z.literal('unknown'), z.array(state)]),
  }),
]);

const ruleSetSchema = z.strictObject({
  ruleSetId: z.string().regex(/^[a-z0-9-]+$/),
  version: z.string().min(1),
  publishedAt: isoDate,
  coversFrom: isoDate,
  coversTo: isoDate,
  rules: z.array(ruleSchema).min(1),
});

/** Loads every `*.json` of `dir` (one rule-set version each) and checks it; throws RuleSetFileError. */
export function loadRuleCatalog(dir: string = RULE_DATA_DIR): RuleCatalog {
  const files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
  const ruleSets = files.map((f) => parseRuleSet(path.join(dir, f), readFileSync(path.join(dir, f), 'utf8')));
  const seen = new Set<string>();
  for (const set of ruleSets) {
    const id = `${set.ruleSetId}@${set.version}`;
    if (seen.has(id)) throw new RuleSetFileError(set.file, 1, `${id} is defined twice`);
    seen.add(id);
  }
  return { ruleSets };
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
  const result = ruleSetSchema.safeParse(json);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw new RuleSetFileError(file, lineOfPath(text, json, issue.path), `${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  const set = result.data as Omit<RuleSet, 'file'>;
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
  return { ...set, file: path.basename(file) };
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
