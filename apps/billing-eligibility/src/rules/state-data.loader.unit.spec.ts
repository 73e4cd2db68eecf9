import { readFileSync } from 'node:fs';
import path from 'node:path';
import { TABLE_END, TABLE_START, summaryTable } from './data-summary.report';
import { RuleSetFileError } from './rule-set.errors';
import { loadRuleCatalog } from './rule-set.loader';
import { US_STATES } from './rule-set.rules';
import { type StateFile, type StateSource, loadStateFiles, parseStateFile } from './state-data.loader';

const files = new Map(loadStateFiles().map((f) => [f.state, f]));
const datePattern = /^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$/;

/** Every cell of a state file as [name, value, sources], the compacts and each exception included. */
function cellsOf(f: StateFile): [string, string, readonly StateSource[]][] {
  const m = f.medicaid;
  return [
    ['medicaid.liveVideo', m.liveVideo.value, m.liveVideo.sources],
    ['medicaid.audioOnly', m.audioOnly.value, m.audioOnly.sources],
    ['medicaid.storeAndForward', m.storeAndForward.value, m.storeAndForward.sources],
    ['medicaid.rpm', m.rpm.value, m.rpm.sources],
    ['medicaid.claimCoding', m.claimCoding.value, m.claimCoding.sources],
    ['commercial.coverageParity', f.commercial.coverageParity.value, f.commercial.coverageParity.sources],
    ['commercial.paymentParity', f.commercial.paymentParity.value, f.commercial.paymentParity.sources],
    ['licensure.compacts', f.licensure.compacts.sources.length > 0 ? 'listed' : 'unknown', f.licensure.compacts.sources],
    ['licensure.telehealthRegistration', f.licensure.telehealthRegistration.value, f.licensure.telehealthRegistration.sources],
    ...f.licensure.exceptions.map((e, i): [string, string, readonly StateSource[]] => [`licensure.exceptions[${i}]`, e.kind, e.sources]),
  ];
}

describe('per-state research data (data/states/<XX>.json)', () => {
  describe.each(US_STATES)('%s', (state) => {
    const file = files.get(state);

    it('has a research file', () => {
      expect(file?.state).toBe(state);
    });

    it('has in each cell a value with a dated source, or unknown', () => {
      const problems = cellsOf(file!).flatMap(([name, value, sources]) => {
        if (value === 'unknown') return [];
        if (sources.length === 0) return [`${name}: ${value} without a source`];
        return sources.flatMap((s, i) => [
          ...(datePattern.test(s.lastUpdated) ? [] : [`${name}.sources[${i}]: last-updated date ${s.lastUpdated}`]),
          ...(s.citation.trim().length >= 3 && /^https?:\/\//.test(s.url) ? [] : [`${name}.sources[${i}]: citation or url missing`]),
          ...(s.lastUpdated <= file!.researchedOn ? [] : [`${name}.sources[${i}]: dated ${s.lastUpdated}, after the research on ${file!.researchedOn}`]),
        ]);
      });
      expect(problems).toEqual([]);
    });

    it('states the conditions of every conditional cell, as text', () => {
      const m = file!.medicaid;
      const conditional = [m.liveVideo, m.audioOnly, m.storeAndForward, m.rpm].filter((c) => c.value === 'covered-with-conditions');
      expect(conditional.filter((c) => (c.conditions ?? '').trim().length === 0)).toEqual([]);
    });
  });

  it('reads only files named after their state', () => {
    const text = readFileSync(path.join(__dirname, 'data', 'states', 'AZ.json'), 'utf8');
    expect(() => parseStateFile('AK.json', text)).toThrow(/state AZ does not match the file name AK.json/);
  });

  it('refuses a known cell without a source, naming the field and line', () => {
    const text = readFileSync(path.join(__dirname, 'data', 'states', 'AZ.json'), 'utf8');
    const json = JSON.parse(text) as StateFile;
    const broken = JSON.stringify({ ...json, medicaid: { ...json.medicaid, rpm: { value: 'covered', sources: [] } } }, null, 2);
    let error: unknown;
    try {
      parseStateFile('AZ.json', broken);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(RuleSetFileError);
    expect((error as RuleSetFileError).problem).toBe('medicaid.rpm.sources: a known value needs at least one source');
  });

  it('refuses covered-with-conditions without the conditions', () => {
    const text = readFileSync(path.join(__dirname, 'data', 'states', 'AZ.json'), 'utf8');
    const json = JSON.parse(text) as StateFile;
    const broken = JSON.stringify({ ...json, medicaid: { ...json.medicaid, audioOnly: { value: 'covered-with-conditions', sources: json.medicaid.audioOnly.sources } } });
    expect(() => parseStateFile('AZ.json', broken)).toThrow(/medicaid.audioOnly.conditions: covered-with-conditions needs its conditions/);
  });

  it('the README table is the one the data gives (npm run rules:table)', () => {
    const readme = readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');
    const current = readme.slice(readme.indexOf(TABLE_START), readme.indexOf(TABLE_END) + TABLE_END.length);
    expect(current).toBe(summaryTable([...files.values()], loadRuleCatalog().ruleSets));
  });
});
