import type { ReasonEffect } from '../eligibility/eligibility.events';
import { type Billing, type Ctx, add, addSourced, need } from './reasons.rules';
import type { RpmCodeEntry } from './rule-set.rules';

const FAMILY_TEXT = { rpm: 'remote physiologic monitoring (RPM)', rtm: 'remote therapeutic monitoring (RTM)' } as const;

/**
 * RPM and RTM are not §1834(m) telehealth services: no originating-site rule, but days of data,
 * minutes, consent, an established patient for RPM, and never RPM and RTM for the same period by
 * the same practitioner.
 */
export function remoteMonitoring(ctx: Ctx, out: Billing): void {
  const found = need(ctx, 'medicare-rpm');
  const period = ctx.request.rpm!;
  const date = ctx.request.dateOfService;
  const entries = ctx.request.serviceCodes.map((code) => ({ code, entry: found.rule.codes.find((c) => c.code === code) }));
  const families = new Set(entries.flatMap((e) => (e.entry ? [e.entry.family] : [])));
  if (found.rule.rpmAndRtmExclusive && families.size > 1) {
    add(ctx, found, 'REMOTE_MONITORING.RPM_AND_RTM_TOGETHER', 'excludes', `RPM codes (${codesOf(entries, 'rpm')}) and RTM codes (${codesOf(entries, 'rtm')}) for the same period ending ${date}: one practitioner bills RPM or RTM for a period, not both`);
  }
  if (families.has('rpm') && found.rule.requiresEstablishedPatient) {
    if (period.establishedPatient === false) add(ctx, found, 'RPM.NOT_ESTABLISHED_PATIENT', 'excludes', 'RPM is billable only for an established patient; the request says the patient is new');
    else if (period.establishedPatient === undefined) add(ctx, found, 'RPM.ESTABLISHED_PATIENT_NOT_KNOWN', 'condition', 'RPM is billable only for an established patient: not known here, the billing practitioner must confirm it');
  }
  if (found.rule.requiresConsent && !period.consent) {
    add(ctx, found, 'RPM.NO_CONSENT', 'excludes', `${families.has('rtm') && !families.has('rpm') ? 'RTM' : 'RPM'} needs the patient's consent; none is recorded`);
  }
  const billable: { code: string; units: number }[] = [];
  for (const { code, entry } of entries) {
    if (entry === undefined || entry.effectiveFrom > date) {
      add(ctx, found, 'RPM.CODE_NOT_IN_FORCE', 'excludes', entry ? `${code} is billable only from ${entry.effectiveFrom}; period ends ${date}` : `${code} is not an RPM or RTM code`, code);
      continue;
    }
    const [units, why] = unitsFor(entry, period);
    const reason = (c: string, effect: ReasonEffect, message: string) => addSourced(ctx, found, entry.source, c, effect, message, code);
    const label = `${code} (${FAMILY_TEXT[entry.family]}: ${entry.description})`;
    if (units > 0) {
      billable.push({ code, units });
      reason('RPM.CODE_BILLABLE', 'covers', `${label} billable, ${units} unit${units > 1 ? 's' : ''}: ${why}`);
    } else {
      reason('RPM.CODE_NOT_MET', 'excludes', `${label} not billable: ${why}`);
    }
  }
  out.billableCodes = billable;
}

function codesOf(entries: readonly { code: string; entry?: RpmCodeEntry }[], family: RpmCodeEntry['family']): string {
  return entries.filter((e) => e.entry?.family === family).map((e) => e.code).join(', ');
}

type Period = NonNullable<Ctx['request']['rpm']>;

function unitsFor(entry: RpmCodeEntry, period: Period): [number, string] {
  const days = period.daysWithReadings;
  const minutes = period.managementMinutes;
  const noInteraction = entry.interactive && !period.interactiveCommunication ? ' without a real-time interaction' : '';
  switch (entry.role) {
    case 'setup':
      return [1, 'set-up and education, once per episode of care'];
    case 'device-supply': {
      const fits = days >= (entry.minDays ?? 0) && days <= (entry.maxDays ?? 31);
      return [fits ? 1 : 0, `${days} day(s) with data in the 30-day period; needs ${entry.minDays}${entry.maxDays ? `-${entry.maxDays}` : '+'}`];
    }
    case 'management': {
      const fits = minutes >= (entry.minMinutes ?? 0) && minutes <= (entry.maxMinutes ?? Infinity) && (!entry.interactive || period.interactiveCommunication);
      const range = `${entry.minMinutes}${entry.maxMinutes ? `-${entry.maxMinutes}` : '+'}`;
      return [fits ? 1 : 0, `${minutes} management minute(s) in the calendar month${noInteraction}; needs ${range}${entry.interactive ? ' with a real-time interaction' : ''}`];
    }
    case 'management-addon': {
      const first = entry.minMinutes ?? 20;
      const units = period.interactiveCommunication ? Math.max(0, Math.floor((minutes - first) / 20)) : 0;
      return [units, `${minutes} management minute(s)${noInteraction}: one unit per further full 20 minutes after the first ${first}`];
    }
    case 'interpretation': {
      const spent = period.interpretationMinutes ?? 0;
      return [spent >= (entry.minMinutes ?? 30) ? 1 : 0, `${spent} interpretation minute(s); needs ${entry.minMinutes ?? 30}`];
    }
    default: {
      const _exhaustive: never = entry.role;
      throw new Error(`Unhandled monitoring code role ${String(_exhaustive)}`);
    }
  }
}
