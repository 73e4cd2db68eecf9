import { nextDay } from './calendar.rules';
import { remoteMonitoring } from './remote-monitoring.rules';
import { type Billing, type Ctx, PURPOSE_TEXT, add, need, outcomeOf } from './reasons.rules';
import type { MedicareClaimCodingRule } from './rule-set.rules';

/** Medicare Part B: the telehealth list, originating site, in-person and audio-only rules, claim coding. */
export function medicare(ctx: Ctx, out: Billing): void {
  const { request, purpose } = ctx;
  if (request.modality === 'rpm' || request.modality === 'rtm') {
    remoteMonitoring(ctx, out);
    return;
  }
  const list = need(ctx, 'medicare-telehealth-list');
  for (const code of request.serviceCodes) {
    const entry = list.rule.services.find((s) => s.code === code);
    if (entry === undefined) {
      add(ctx, list, 'MEDICARE.NOT_ON_TELEHEALTH_LIST', 'excludes', `${code} is not on the Medicare telehealth services list`, code);
    } else {
      add(ctx, list, 'MEDICARE.ON_TELEHEALTH_LIST', 'covers', `${code} (${entry.description}) is on the Medicare telehealth services list`, code);
    }
  }
  const home = request.patientLocation.setting === 'home';
  const where = home ? 'at home' : 'in a facility';

  if (request.modality === 'store-and-forward') {
    const sf = need(ctx, 'medicare-store-and-forward');
    const state = request.patientLocation.state;
    if (sf.rule.allowedStates.includes(state)) {
      add(ctx, sf, 'MEDICARE.STORE_AND_FORWARD_DEMONSTRATION', 'condition', `Store-and-forward is paid only in the federal telemedicine demonstration programs of ${sf.rule.allowedStates.join(' and ')}; the patient is in ${state}`);
    } else {
      add(ctx, sf, 'MEDICARE.STORE_AND_FORWARD_NOT_COVERED', 'excludes', `Store-and-forward is paid only in ${sf.rule.allowedStates.join(' and ')}; the patient is in ${state}`);
    }
    claimCoding(ctx, out);
    return;
  }

  const site = need(ctx, 'medicare-originating-site');
  const period = `${site.rule.effectiveFrom} to ${site.rule.effectiveTo}`;
  if (home) {
    const allowed = site.rule.homeAllowedFor === 'all' || site.rule.homeAllowedFor.includes(purpose);
    if (allowed) {
      add(ctx, site, 'MEDICARE.HOME_ORIGINATING_SITE', 'covers', site.rule.homeAllowedFor === 'all'
        ? `The patient's home is an originating site for any listed service from ${period}; visit on ${request.dateOfService}`
        : `The patient's home is a permanent originating site for ${PURPOSE_TEXT[purpose]}; visit on ${request.dateOfService}`);
    } else {
      const forWhat = (site.rule.homeAllowedFor as readonly (keyof typeof PURPOSE_TEXT)[]).map((p) => PURPOSE_TEXT[p]).join('; ');
      add(ctx, site, 'MEDICARE.HOME_NOT_ORIGINATING_SITE', 'excludes', `From ${site.rule.effectiveFrom} the patient's home is an originating site only for ${forWhat}; this visit on ${request.dateOfService} is ${PURPOSE_TEXT[purpose]}`);
    }
  } else if (site.rule.geographicRestriction && !site.rule.geographicExemptPurposes.includes(purpose)) {
    const rural = request.patientLocation.ruralArea;
    if (rural === true) {
      add(ctx, site, 'MEDICARE.RURAL_ORIGINATING_SITE', 'covers', `From ${site.rule.effectiveFrom} the facility must be in a rural HPSA or a county outside an MSA; the patient's facility in ${request.patientLocation.state} is`);
    } else if (rural === false) {
      add(ctx, site, 'MEDICARE.GEOGRAPHIC_RESTRICTION', 'excludes', `From ${site.rule.effectiveFrom} the facility must be in a rural HPSA or a county outside an MSA; the patient's facility in ${request.patientLocation.state} is not`);
    } else {
      add(ctx, site, 'MEDICARE.GEOGRAPHIC_RESTRICTION', 'condition', `From ${site.rule.effectiveFrom} covered only if the patient's facility is in a rural HPSA or a county outside an MSA (not stated in the request: patientLocation.ruralArea)`);
    }
  } else {
    add(ctx, site, 'MEDICARE.FACILITY_ORIGINATING_SITE', 'covers', site.rule.geographicRestriction
      ? `No geographic limit applies to ${PURPOSE_TEXT[purpose]}; patient ${where} on ${request.dateOfService}`
      : `No geographic limit applies from ${period}; patient ${where} on ${request.dateOfService}`);
  }

  if (purpose === 'mental-health' && home) inPersonRequirement(ctx);
  if (request.modality === 'audio-only') audioOnly(ctx, home);
  policies(ctx);
  claimCoding(ctx, out);
}

function inPersonRequirement(ctx: Ctx): void {
  const inPerson = need(ctx, 'medicare-mental-health-in-person');
  if (!inPerson.rule.required) {
    add(ctx, inPerson, 'MEDICARE.IN_PERSON_VISIT_NOT_REQUIRED', 'info', `No in-person visit is required before mental-health telehealth at home until ${nextDay(inPerson.rule.effectiveTo)}; visit on ${ctx.request.dateOfService}`);
    return;
  }
  const seen = ctx.request.inPersonVisitWithinSixMonths;
  const months = inPerson.rule.monthsBeforeFirstVisit ?? 6;
  const from = `From ${inPerson.rule.effectiveFrom} mental-health telehealth at home needs an in-person visit within ${months} months before the first telehealth visit`;
  if (seen === true) add(ctx, inPerson, 'MEDICARE.IN_PERSON_VISIT_DONE', 'info', `${from}; the request says it took place`);
  else if (seen === false) add(ctx, inPerson, 'MEDICARE.IN_PERSON_VISIT_MISSING', 'excludes', `${from}; the request says there was none`);
  else add(ctx, inPerson, 'MEDICARE.IN_PERSON_VISIT_REQUIRED', 'condition', `${from}, then periodically; not stated in the request (inPersonVisitWithinSixMonths)`);
}

function audioOnly(ctx: Ctx, home: boolean): void {
  const audio = need(ctx, 'medicare-audio-only');
  const { purpose } = ctx;
  if (audio.rule.allowedFor !== 'all' && !audio.rule.allowedFor.includes(purpose)) {
    const forWhat = audio.rule.allowedFor.map((p) => PURPOSE_TEXT[p]).join('; ');
    add(ctx, audio, 'MEDICARE.AUDIO_ONLY_NOT_ALLOWED', 'excludes', `From ${audio.rule.effectiveFrom} audio-only is allowed only for ${forWhat}; this visit on ${ctx.request.dateOfService} is ${PURPOSE_TEXT[purpose]}`);
  } else if (audio.rule.homeOnly && !home) {
    add(ctx, audio, 'MEDICARE.AUDIO_ONLY_NOT_AT_HOME', 'excludes', 'Audio-only is allowed only when the patient is at home; the patient is in a facility');
  } else {
    add(ctx, audio, 'MEDICARE.AUDIO_ONLY_CONDITIONS', 'condition', 'Audio-only: the provider must be able to use video and the patient unable to use it or not consenting to it; document that in the record');
  }
}

// CY2026 PFS policies that decide nothing here but that a biller of this visit must follow.
function policies(ctx: Ctx): void {
  for (const set of ctx.sets) {
    for (const rule of set.rules) {
      if (rule.kind !== 'medicare-policy' || rule.effectiveFrom > ctx.request.dateOfService || ctx.request.dateOfService > rule.effectiveTo) continue;
      if (rule.topic === 'telehealth-list-review' || rule.topic === 'frequency-limits') {
        add(ctx, { rule, set }, `MEDICARE.POLICY_${rule.topic.toUpperCase().replace(/-/g, '_')}`, 'info', rule.summary);
      }
    }
  }
}

/**
 * CY2024 PFS and later: POS 10 with the patient at home, 02 elsewhere, and modifier 95 only for a
 * hospital-based clinician with the patient at home or outpatient PT/OT/SLP therapy; 93 audio-only
 * (FQ at RHCs/FQHCs), G0 acute stroke, GT CAH Method II, GQ Alaska/Hawaii store-and-forward.
 */
function claimCoding(ctx: Ctx, out: Billing): void {
  const coding = need(ctx, 'medicare-claim-coding');
  const { request } = ctx;
  const m = coding.rule.modifiers;
  const home = request.patientLocation.setting === 'home';
  out.placeOfService = home ? coding.rule.placeOfService.home : coding.rule.placeOfService.other;
  const why: string[] = [`place of service ${out.placeOfService} (patient ${home ? 'at home' : 'not at home'})`];
  if (request.modality === 'store-and-forward') {
    out.modifiers.push(m.storeAndForward);
    why.push(`modifier ${m.storeAndForward} (store-and-forward demonstration)`);
  } else if (request.modality === 'audio-only') {
    const fq = request.provider.billing === 'fqhc-rhc';
    out.modifiers.push(fq ? m.audioOnlyFqhcRhc : m.audioOnly);
    why.push(`modifier ${fq ? `${m.audioOnlyFqhcRhc} (audio-only at an RHC or FQHC)` : `${m.audioOnly} (audio-only)`}`);
  } else if (request.provider.billing === 'cah-method-ii') {
    out.modifiers.push(m.criticalAccessMethodII);
    why.push(`modifier ${m.criticalAccessMethodII} (critical access hospital, Optional Payment Method II)`);
  } else {
    why.push(video95(request, coding.rule, out, home));
  }
  if (ctx.purpose === 'acute-stroke') {
    out.modifiers.push(m.acuteStroke);
    why.push(`modifier ${m.acuteStroke} (acute stroke)`);
  }
  add(ctx, coding, 'MEDICARE.CLAIM_CODING', 'info', `Bill with ${why.join(', ')}`);
}

function video95(request: Ctx['request'], rule: MedicareClaimCodingRule, out: Billing, home: boolean): string {
  const v = rule.modifiers.video;
  const { discipline, hospitalBased } = request.provider;
  if (discipline !== undefined && v.disciplines.includes(discipline)) {
    out.modifiers.push(v.code);
    return `modifier ${v.code} (outpatient therapy by telehealth)`;
  }
  if (v.hospitalBasedPatientAtHome && home && hospitalBased === true) {
    out.modifiers.push(v.code);
    return `modifier ${v.code} (hospital-based clinician, patient at home)`;
  }
  if (home && hospitalBased === undefined) {
    return `no telehealth modifier unless the clinician is hospital-based (then ${v.code}); the request does not say (provider.hospitalBased)`;
  }
  return `no telehealth modifier (${v.code} only for a hospital-based clinician with the patient at home, or outpatient PT/OT/SLP therapy)`;
}

/** Medicare Advantage: what Part B covers; beyond it, the plan's own telehealth benefits decide. */
export function medicareAdvantage(ctx: Ctx, out: Billing): void {
  const before = ctx.reasons.length;
  medicare(ctx, out);
  const partB = outcomeOf(ctx.reasons.slice(before));
  const list = need(ctx, 'medicare-telehealth-list');
  if (partB === 'not-covered') {
    // 42 CFR 422.135: MA plans may offer telehealth beyond Part B as "additional telehealth benefits",
    // so Part B's exclusions do not decide; licensure (checked before) still does.
    const excluded = ctx.reasons.slice(before).filter((r) => r.effect === 'excludes').map((r) => r.message.split('. Source:')[0]);
    ctx.reasons.splice(before);
    delete out.placeOfService;
    out.modifiers.length = 0;
    add(ctx, list, 'MEDICARE_ADVANTAGE.PLAN_SPECIFIC', 'unknown', `Part B would not pay (${excluded.join('; ')}); a Medicare Advantage plan may cover it as an additional telehealth benefit (42 CFR 422.135): ask the plan`);
  } else {
    add(ctx, list, 'MEDICARE_ADVANTAGE.COVERS_PART_B', 'info', 'Medicare Advantage plans cover what Part B covers (42 CFR 422.101)');
  }
}

