import type { LicensureRule, Rule, RuleSet, RuleSource } from './rule-set.rules';
import type { StateFile } from './state-data.loader';

export { ruleSourceOf } from './state-cells.rules';

/**
 * The Medicaid, commercial-parity and licensure rule sets, built from the per-state research
 * files and the manifest (`data/state-rule-sets.manifest.json`: version, publication date, the
 * dates the sets cover, and the licensure principle with the compact definitions). One rule per
 * state and rule set, in force over the whole period: the files are a dated snapshot, and a later
 * research round is a new manifest version with a later `publishedAt`.
 */
export interface StateRuleSetsManifest {
  readonly version: string;
  readonly publishedAt: string;
  readonly coversFrom: string;
  readonly coversTo: string;
  readonly licensure: LicensureRule;
}

export const STATE_RULE_SET_IDS = ['medicaid-states', 'commercial-parity', 'licensure'] as const;

export function buildStateRuleSets(files: readonly StateFile[], manifest: StateRuleSetsManifest, file: string): RuleSet[] {
  const period = { version: 1, effectiveFrom: manifest.coversFrom, effectiveTo: manifest.coversTo };
  const fileSource = (f: StateFile): RuleSource => ({
    citation: `${f.name} research file data/states/${f.state}.json (per-cell sources)`,
    asOf: f.researchedOn,
    needsVerification: false,
    note: 'Each cell names its own sources; a cell whose source was not read in the retrieved text is marked needsVerification',
  });
  const set = (ruleSetId: string, rules: Rule[]): RuleSet => ({
    ruleSetId,
    version: manifest.version,
    publishedAt: manifest.publishedAt,
    coversFrom: manifest.coversFrom,
    coversTo: manifest.coversTo,
    rules,
    file,
  });
  // One rule per state, in force over the whole period, keyed `<prefix>.<XX>`.
  const perState = (prefix: string, rule: (f: StateFile) => object): Rule[] =>
    files.map((f) => ({ ...period, id: `${prefix}.${f.state}.${manifest.version}`, key: `${prefix}.${f.state}`, state: f.state, name: f.name, source: fileSource(f), ...rule(f) }) as Rule);
  return [
    set('medicaid-states', perState('medicaid', (f) => ({ kind: 'medicaid-state', ...f.medicaid }))),
    set('commercial-parity', perState('commercial', (f) => ({ kind: 'commercial-parity', ...f.commercial }))),
    set('licensure', [manifest.licensure, ...perState('licensure', (f) => ({ kind: 'licensure-state', ...f.licensure }))]),
  ];
}
