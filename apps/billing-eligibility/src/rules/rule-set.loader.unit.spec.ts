import { readFileSync } from 'node:fs';
import path from 'node:path';
import { RULE_DATA_DIR, RuleSetFileError, loadRuleCatalog, parseRuleSet } from './rule-set.loader';

const medicareText = readFileSync(path.join(RULE_DATA_DIR, 'medicare.2026-11.json'), 'utf8');

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
  it('loads the repository rule sets: Medicare, 51 Medicaid states, 51 commercial states, licensure', () => {
    const catalog = loadRuleCatalog();
    const count = (id: string) => catalog.ruleSets.find((s) => s.ruleSetId === id)?.rules.length;
    expect([count('medicare'), count('medicaid-states'), count('commercial-parity'), count('licensure')]).toEqual([10, 51, 51, 1]);
  });

  it('refuses a gap in a rule\'s effective dates, naming the file and line', () => {
    const text = medicareText.replace('"effectiveFrom": "2028-01-01",\n      "effectiveTo": "2028-12-31",\n      "source": {\n        "citation": "SSA §1834(m)(4)(C) (rural', '"effectiveFrom": "2028-01-02",\n      "effectiveTo": "2028-12-31",\n      "source": {\n        "citation": "SSA §1834(m)(4)(C) (rural');
    expect(text).not.toBe(medicareText);
    const error = fileError(text);
    expect(error.problem).toMatch(/medicare.originating-site: gap/);
    expect(error.file).toBe('medicare.test.json');
    expect(error.line).toBe(lineOf(text, '"id": "medicare.originating-site.permanent-from-2028"'));
  });

  it('refuses an overlap, naming the file and line', () => {
    const text = medicareText.replace('"effectiveFrom": "2028-01-01",\n      "effectiveTo": "2028-12-31",\n      "source": {\n        "citation": "SSA §1834(m)(7)(B) as added', '"effectiveFrom": "2027-12-01",\n      "effectiveTo": "2028-12-31",\n      "source": {\n        "citation": "SSA §1834(m)(7)(B) as added');
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
    const text = medicareText.replace('"allowedStates": ["AK", "HI"]', '"allowedStates": ["AK", "PR"]');
    const error = fileError(text);
    expect(error.problem).toMatch(/allowedStates/);
    expect(error.line).toBe(lineOf(text, '"allowedStates"'));
  });

  it('refuses a Medicaid cell that claims a value without its source', () => {
    const text = JSON.stringify({
      ruleSetId: 'medicaid-states', version: 'x', publishedAt: '2026-01-01', coversFrom: '2026-01-01', coversTo: '2026-12-31',
      rules: [{
        id: 'medicaid.CA.v1', key: 'medicaid.CA', kind: 'medicaid-state', version: 1, state: 'CA', effectiveFrom: '2026-01-01', effectiveTo: '2026-12-31',
        source: { citation: 'per-cell sources', asOf: '2026', needsVerification: true },
        liveVideo: { value: 'covered' }, audioOnly: { value: 'unknown' }, storeAndForward: { value: 'unknown' }, rpm: { value: 'unknown' }, paymentParity: { value: 'unknown' },
      }],
    }, null, 2);
    expect(fileError(text).problem).toMatch(/liveVideo/);
  });

  it('refuses malformed JSON with its line', () => {
    const text = medicareText.replace('"version": "2026.11.1",', '"version": "2026.11.1",,');
    const error = fileError(text);
    expect(error.problem).toMatch(/not valid JSON/);
    expect(error.line).toBe(3);
  });
});
