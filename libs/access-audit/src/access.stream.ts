/**
 * Hash-chained streams per service per UTC day, one per recorder lane: lane 0 is
 * `access-prescriptions-2026-12-07`, lane 2 `access-prescriptions-2026-12-07~2`. Appends to one
 * stream are serial (each extends its chain), so the lanes let a busy service have
 * `ACCESS_LANES` appends in flight at once.
 */
export const accessStreamId = (service: string, at: Date, lane = 0): string =>
  `access-${service}-${at.toISOString().slice(0, 10)}${lane === 0 ? '' : `~${lane}`}`;

/** How many appends of a service's access events may be in flight at once (lanes, streams per day). */
export const ACCESS_LANES = 4;

export const ACCESS_STREAM_PREFIX = 'access-';
