import { readFileSync } from 'node:fs';
import path from 'node:path';
import { RULE_DATA_DIR, RuleSetFileError, loadRuleCatalog, parseRuleSet } from './rule-set.loader';
import { loadStateFiles } from './state-data.loader';
import { ruleSetsKnownAt } from './rule-set.rules';

const medicareText = readFileSync(path.join(RULE_DATA_DIR, 'medicare.2026-12.json'), 'utf8');

function fileError(text: string): RuleSetFileError {
  try {
    parseRuleSet('medicare.test.json', text);
  } catch (error) {
    if (error instanceof RuleSetFileError) return error;
    throw error;
  }
  throw new Error('expected a RuleSetFileError');
}

const lineOf = (text: string, needle: string) => text.slice(0, text.indexOf(needle)).split('\n').length;

describe('rule-set loader', () => {
  it('loads the repository rule sets: Medicare, and Medicaid, commercial parity and licensure built from one rule per state file', () => {
    const catalog = loadRuleCatalog();
    const states = loadStateFiles().length;
    const count = (id: string) => catalog.ruleSets.find((s) => s.ruleSetId === id)?.rules.length;
    expect(states).toBeGreaterThan(0);
    expect([count('medicare'), count('medicaid-states'), count('commercial-parity'), count('licensure')]).toEqual([14, states, states, states + 1]);
  });

  it('refuses a gap in a rule\'s effective dates, naming the file and line', () => {
    const text = medicareText.replace(/("id": "medicare.originating-site.permanent-from-2028",[\s\S]*?"effectiveFrom": )"2028-01-01"/, '$1"2028-01-02"');
    expect(text).not.toBe(medicareText);
    const error = fileError(text);
    expect(error.problem).toMatch(/medicare.originating-site: gap/);
    expect(error.file).toBe('medicare.test.json');
    expect(error.line).toBe(lineOf(text, '"id": "medicare.originating-site.permanent-from-2028"'));
  });

  it('refuses an overlap, naming the file and line', () => {
    const text = medicareText.replace(/("id": "medicare.mental-health-in-person.from-2028",[\s\S]*?"effectiveFrom": )"2028-01-01"/, '$1"2027-12-01"');
    expect(text).not.toBe(medicareText);
    const error = fileError(text);
    expect(error.problem).toMatch(/medicare.mental-health-in-person: .*overlapping/);
    expect(error.line).toBe(lineOf(text, '"id": "medicare.mental-health-in-person.from-2028"'));
  });

  it('refuses a rule that stops before the end of the rule set', () => {
    const text = medicareText.replace(
      /("id": "medicare.store-and-forward",[\s\S]*?"effectiveTo": )"2028-12-31"/,
      '$1"2028-06-30"',
    );
    expect(fileError(text).problem).toMatch(/medicare.store-and-forward: ends 2028-06-30/);
  });

  it('refuses a state that is not a US state or DC, naming its line', () => {
    const text = medicareText.replace(/"allowedStates": \[\s*"AK",\s*"HI"\s*\]/, '"allowedStates": ["AK", "PR"]');
    const error = fileError(text);
    expect(error.problem).toMatch(/allowedStates/);
    expect(error.line).toBe(lineOf(text, '"allowedStates"'));
  });

  it('keeps a proposed rule set with its source and never applies it', () => {
    const text = medicareText.replace('"version": "2026.12.1",', '"version": "cy2027-proposed",\n  "status": "proposed",');
    const proposed = parseRuleSet('medicare.proposed.json', text);
    expect(proposed.status).toBe('proposed');
    const catalog = { ruleSets: [...loadRuleCatalog().ruleSets, { ...proposed, publishedAt: '2026-12-08' }] };
    expect(ruleSetsKnownAt(catalog, '2026-12-31').find((s) => s.ruleSetId === 'medicare')?.version).toBe('2026.12.1');
  });

  it('refuses malformed JSON with its line', () => {
    const text = medicareText.replace('"version": "2026.12.1",', '"version": "2026.12.1",,');
    const error = fileError(text);
    expect(error.problem).toMatch(/not valid JSON/);
    expect(error.line).toBe(3);
  });
});
