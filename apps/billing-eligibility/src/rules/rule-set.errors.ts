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
