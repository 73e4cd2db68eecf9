import { segmentsOf } from '../x12.mapping';

/**
 * A payer for tests: a recorded 271 (src/x12/samples) re-addressed to the 270 it answers, as a
 * payer would return it: the 270's BHT03, its trace as TRN*2 (same number and originator), and
 * its subscriber (NM1*IL, and the birth date when the 270 sent one). The 271's own control numbers stay (they are the payer's).
 */
export function answerWithRecorded271(recorded271: string, sent270: string): string {
  const sent = segmentsOf(sent270).segments;
  const find = (id: string, first?: string) => sent.find((s) => s[0] === id && (first === undefined || s[1] === first));
  const bht = find('BHT');
  const trn = find('TRN', '1');
  const name = find('NM1', 'IL');
  const dmg = find('DMG');
  const { delimiters: d } = segmentsOf(recorded271);
  const join = (segment: readonly string[]) => segment.join(d.element);
  return recorded271
    .split(d.segment)
    .map((raw) => {
      const lead = raw.match(/^[\r\n]*/)![0];
      const segment = raw.slice(lead.length).split(d.element);
      if (segment[0] === 'BHT' && bht) segment[3] = bht[3]!;
      else if (segment[0] === 'TRN' && segment[1] === '2' && trn) return lead + join(['TRN', '2', trn[2]!, trn[3]!]);
      else if (segment[0] === 'NM1' && segment[1] === 'IL' && name) return lead + join(name);
      else if (segment[0] === 'DMG' && dmg) return lead + join(['DMG', 'D8', dmg[2]!, ...segment.slice(3)]);
      return lead + segment.join(d.element);
    })
    .join(d.segment);
}
