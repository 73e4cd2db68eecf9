import type { ProviderLicence } from '../eligibility/eligibility.events';
import { type Ctx, type Found, add, addSourced, need } from './reasons.rules';
import { type LicensureStateRule, ruleInForce } from './rule-set.rules';
import { ruleSourceOf } from './state-cells.rules';

const inForce = (licence: ProviderLicence, date: string) => licence.expiresOn === undefined || date <= licence.expiresOn;

/**
 * The practice happens where the patient is: a licence there on the day, or what the patient's
 * state accepts instead (a compact's practice authority such as PSYPACT's APIT, its telehealth
 * registration, or one of its exceptions). IMLC only speeds up getting that state's licence.
 */
export function checkLicensure(ctx: Ctx): void {
  const general = need(ctx, 'licensure');
  if (!general.rule.requireLicenceInPatientState) return;
  const { request } = ctx;
  const state = request.patientLocation.state;
  const date = request.dateOfService;
  const licences = request.provider.licences.filter((l) => l.state === state);
  const current = licences.find((l) => l.expiresOn !== undefined && date <= l.expiresOn);
  if (current) {
    add(ctx, general, 'LICENSURE.LICENSED_IN_PATIENT_STATE', 'info', `The provider holds a ${state} licence valid through ${current.expiresOn}; the patient is in ${state} on ${date}`);
    return;
  }
  if (licences.some((l) => l.expiresOn === undefined)) {
    add(ctx, general, 'LICENSURE.EXPIRY_NOT_KNOWN', 'condition', `The provider's ${state} licence is on record without its expiry date: it must be in force on ${date}`);
    return;
  }
  const stateFound = ruleInForce(ctx.sets, 'licensure-state', date, `licensure.${state}`);
  if (stateFound && (compactAuthority(ctx, general, stateFound) || registration(ctx, stateFound) || exception(ctx, stateFound))) return;

  const expired = licences.map((l) => l.expiresOn!).sort().at(-1);
  const notes = [
    ...(stateFound ? [imlcNote(ctx, general, stateFound), registrationNote(stateFound)] : []),
  ].filter((n): n is string => n !== undefined);
  const tail = notes.length > 0 ? `. ${notes.join('. ')}` : '';
  if (expired !== undefined) {
    add(ctx, general, 'LICENSURE.LICENCE_EXPIRED', 'excludes', `The provider's ${state} licence expired on ${expired}, before the visit on ${date}${tail}`);
  } else {
    add(ctx, general, 'LICENSURE.NOT_LICENSED_IN_PATIENT_STATE', 'excludes', `The provider holds no ${state} licence and the patient is in ${state} on ${date}${tail}`);
  }
}

function compactAuthority(ctx: Ctx, general: Found & { rule: { kind: 'licensure' } }, stateFound: Found): boolean {
  const rule = stateFound.rule as LicensureStateRule;
  const { provider } = ctx.request;
  const date = ctx.request.dateOfService;
  for (const compact of general.rule.compacts) {
    if (compact.effect !== 'practice-authority' || !rule.compacts.members.includes(compact.id)) continue;
    if (provider.discipline !== compact.discipline || !(provider.compactAuthorities ?? []).includes(compact.id)) continue;
    const compactSource = compact.source;
    const membership = rule.compacts.sources[0] ? ruleSourceOf(rule.compacts.sources[0]) : rule.source;
    const home = provider.locatedIn;
    const homeLicensed = home !== undefined && provider.licences.some((l) => l.state === home && inForce(l, date));
    const credential = `${compact.name} (${compact.id}) ${compact.credential ?? 'authority'}`;
    if (home === undefined) {
      addSourced(ctx, general, compactSource, 'LICENSURE.COMPACT_AUTHORITY', 'condition', `${rule.name} is a ${compact.id} state and the provider holds the ${credential}: allowed if the provider is in their licensed home ${compact.id} state during the visit (not stated: provider.locatedIn)`);
    } else if (homeLicensed) {
      addSourced(ctx, general, compactSource, 'LICENSURE.COMPACT_AUTHORITY', 'condition', `${rule.name} is a ${compact.id} state and the provider holds the ${credential}, licensed in and located in ${home}: allowed if ${home} is their declared ${compact.id} home state`);
    } else {
      addSourced(ctx, general, compactSource, 'LICENSURE.COMPACT_AUTHORITY_NOT_FROM_HOME', 'excludes', `The ${credential} covers telehealth only from the licensed home state; the provider is in ${home} without a licence in force there`);
    }
    addSourced(ctx, stateFound, membership, 'LICENSURE.COMPACT_MEMBER', 'info', `${rule.name} is a member of ${compact.id}`);
    return true;
  }
  return false;
}

function registration(ctx: Ctx, stateFound: Found): boolean {
  const rule = stateFound.rule as LicensureStateRule;
  const cell = rule.telehealthRegistration;
  if (cell.value !== 'registration-available') return false;
  const date = ctx.request.dateOfService;
  const held = (ctx.request.provider.telehealthRegistrations ?? []).find((r) => r.state === rule.state && inForce(r, date));
  if (held === undefined) return false;
  const source = cell.sources[0] ? ruleSourceOf(cell.sources[0]) : rule.source;
  const until = held.expiresOn ? ` valid through ${held.expiresOn}` : ' (expiry not on record)';
  addSourced(ctx, stateFound, source, 'LICENSURE.TELEHEALTH_REGISTRATION', 'condition', `The provider holds a ${rule.name} out-of-state telehealth registration${until}; visit on ${date}${cell.conditions ? `. Conditions: ${cell.conditions}` : ''}`);
  return true;
}

function exception(ctx: Ctx, stateFound: Found): boolean {
  const rule = stateFound.rule as LicensureStateRule;
  const kind = ctx.request.licensureException;
  if (kind === undefined) return false;
  const match = rule.exceptions.find((e) => e.kind === kind);
  if (match === undefined) {
    addSourced(ctx, stateFound, rule.source, 'LICENSURE.EXCEPTION_NOT_IN_STATE', 'info', `The request relies on a ${kind.replace(/-/g, ' ')} exception, which the ${rule.name} research did not find`);
    return false;
  }
  addSourced(ctx, stateFound, ruleSourceOf(match.sources[0]!), 'LICENSURE.STATE_EXCEPTION', 'condition', `${rule.name} allows practice without its licence for a ${kind.replace(/-/g, ' ')}: ${match.text}`);
  return true;
}

function imlcNote(ctx: Ctx, general: Found & { rule: { kind: 'licensure' } }, stateFound: Found): string | undefined {
  const rule = stateFound.rule as LicensureStateRule;
  const imlc = general.rule.compacts.find((c) => c.effect === 'expedited-licensure' && rule.compacts.members.includes(c.id));
  if (imlc === undefined || (ctx.request.provider.discipline !== undefined && ctx.request.provider.discipline !== imlc.discipline)) return undefined;
  return `${rule.name} is in the ${imlc.name}: an expedited pathway to a ${rule.name} licence, not an exemption from it`;
}

function registrationNote(stateFound: Found): string | undefined {
  const rule = stateFound.rule as LicensureStateRule;
  if (rule.telehealthRegistration.value !== 'registration-available') return undefined;
  return `${rule.name} offers a telehealth registration to out-of-state providers${rule.telehealthRegistration.conditions ? ` (${rule.telehealthRegistration.conditions})` : ''}; none is on record for this provider`;
}
