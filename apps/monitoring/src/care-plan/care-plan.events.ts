/** One comparison of a threshold rule; the rule fires when any of its clauses holds. */
export interface Clause {
  readonly field: 'value' | 'systolic' | 'diastolic';
  readonly atOrAbove?: number;
  readonly above?: number;
  readonly below?: number;
}
