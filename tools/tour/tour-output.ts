/** The tour's output: colours on a terminal, result lines, short excerpts of answers, timings. */

const started = Date.now();

const useColour = process.stdout.isTTY && !process.env.NO_COLOR;
const paint = (code: string) => (s: string) => (useColour ? `\x1b[${code}m${s}\x1b[0m` : s);
export const green = paint('32');
export const red = paint('31');
export const dim = paint('2');
export const bold = paint('1');

export const print = (line = '') => process.stdout.write(`${line}\n`);
export const detail = (line: string) => print(`      ${dim(line)}`);
export const excerpt = (value: unknown, max = 220) => {
  const json = JSON.stringify(value);
  return json.length > max ? `${json.slice(0, max)}…` : json;
};
export const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
export const elapsed = () => seconds(Date.now() - started);

/** A step's failure, said in one line (no stack). */
export class TourFailure extends Error {}
