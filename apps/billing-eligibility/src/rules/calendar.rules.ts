/** Calendar arithmetic on ISO dates (YYYY-MM-DD) without a clock; UTC, so no daylight-saving shift. */
export function nextDay(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}
