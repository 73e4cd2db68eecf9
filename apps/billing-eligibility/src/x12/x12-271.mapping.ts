import type { CostShareBenefit } from '../eligibility/eligibility.events';
import { type Segment, X12FormatError, segmentsOf } from './x12.mapping';

/** EB01 (X12 element 1390), the codes a telehealth eligibility answer uses. */
export const BENEFIT_CODES: Readonly<Record<string, string>> = {
  '1': 'active-coverage',
  '6': 'inactive',
  A: 'co-insurance',
  B: 'co-payment',
  C: 'deductible',
  G: 'out-of-pocket',
  I: 'non-covered',
  F: 'limitations',
  L: 'primary-care-provider',
  R: 'other-or-additional-payer',
  U: 'contact-following-entity',
};

/** AAA03 reject reasons (X12 element 901) seen on 270/271 exchanges. */
export const REJECT_REASONS: Readonly<Record<string, string>> = {
  '15': 'Required application data missing',
  '41': 'Authorization/access restrictions',
  '42': 'Unable to respond at current time',
  '43': 'Invalid/missing provider identification',
  '44': 'Invalid/missing provider name',
  '45': 'Invalid/missing provider specialty',
  '47': 'Invalid/missing provider state',
  '51': 'Provider not on file',
  '52': 'Service dates not within provider plan enrollment',
  '56': 'Inappropriate date',
  '57': 'Invalid/missing date(s) of service',
  '58': 'Invalid/missing date-of-birth',
  '62': 'Date of service not within allowable inquiry period',
  '63': 'Date of service in future',
  '71': 'Patient birth date does not match that for the patient on the database',
  '72': 'Invalid/missing subscriber/insured ID',
  '73': 'Invalid/missing subscriber/insured name',
  '75': 'Subscriber/insured not found',
  '76': 'Duplicate subscriber/insured ID number',
  '79': 'Invalid participant identification',
};

export const FOLLOW_UP: Readonly<Record<string, string>> = {
  C: 'please-correct-and-resubmit',
  N: 'resubmission-not-allowed',
  P: 'please-resubmit-original-transaction',
  R: 'resubmission-allowed',
  S: 'do-not-resubmit-inquiry-initiated-to-third-party',
  W: 'please-wait-30-days-and-resubmit',
  X: 'please-wait-10-days-and-resubmit',
  Y: 'do-not-resubmit-we-will-hand-deliver',
};

export interface Benefit {
  readonly code: string;
  readonly meaning: string;
  readonly coverageLevel?: string;
  /** EB03, may repeat. */
  readonly serviceTypes: readonly string[];
  readonly insuranceType?: string;
  readonly planDescription?: string;
  /** EB06 time period qualifier: 23 calendar year, 29 remaining, 27 visit... */
  readonly period?: string;
  readonly amount?: number;
  /** EB08 as a fraction (0.2 = 20 %). */
  readonly percent?: number;
  readonly authorizationRequired?: boolean;
  readonly inNetwork?: 'Y' | 'N' | 'W' | 'U';
  readonly messages: readonly string[];
}

export interface Rejection {
  /** Where the AAA sat: information source (payer), receiver (provider), subscriber, dependent. */
  readonly level: 'source' | 'receiver' | 'subscriber' | 'dependent' | 'inquiry';
  readonly valid: boolean;
  readonly reasonCode: string;
  readonly reason: string;
  readonly followUp?: string;
}

/** A TRN segment: type 1 (current, assigned by whoever made the 271) or 2 (referenced: ours, from the 270). */
export interface Trace {
  readonly type: string;
  readonly number: string;
  readonly originator?: string;
}

export interface EligibilityResponse {
  /** ST02, the transaction set control number. */
  readonly controlNumber?: string;
  /** ISA13 of the interchange that carried this 271: what a payer reason cites. */
  readonly interchangeControlNumber: string;
  /** BHT03: the 270's submitter transaction identifier, returned in the 271. */
  readonly submitterTransactionId?: string;
  readonly payer?: { readonly name: string; readonly id?: string };
  readonly subscriber?: {
    readonly lastName?: string;
    readonly firstName?: string;
    readonly memberId?: string;
    /** DMG02 (D8) as YYYY-MM-DD. */
    readonly birthDate?: string;
  };
  readonly traceNumbers: readonly string[];
  readonly traces: readonly Trace[];
  readonly planDates: readonly { readonly qualifier: string; readonly value: string }[];
  readonly benefits: readonly Benefit[];
  readonly rejections: readonly Rejection[];
}

const HL_LEVEL: Readonly<Record<string, Rejection['level']>> = { '20': 'source', '21': 'receiver', '22': 'subscriber', '23': 'dependent' };

/** Parses each 271 transaction set (ST...SE) of an interchange. */
export function parse271(text: string): EligibilityResponse[] {
  const { delimiters, segments } = segmentsOf(text);
  const interchangeControlNumber = segments[0]?.[13]?.trim() ?? '';
  const responses: EligibilityResponse[] = [];
  let current: Mutable | undefined;
  // The DMG that follows NM1*IL is the subscriber's; one after an EB or another NM1 is not.
  let inSubscriberName = false;
  let level: Rejection['level'] = 'source';
  let lastBenefit: (Benefit & { messages: string[] }) | undefined;
  let afterEq = false;
  for (const seg of segments) {
    const id = seg[0];
    switch (id) {
      case 'ST':
        if (seg[1] !== '271') throw new X12FormatError(`ST01 is ${seg[1]}, expected 271`);
        current = { controlNumber: seg[2], interchangeControlNumber, traceNumbers: [], traces: [], planDates: [], benefits: [], rejections: [] };
        level = 'source';
        break;
      case 'BHT':
        if (current && el(seg, 3) !== undefined) current.submitterTransactionId = el(seg, 3)!;
        break;
      case 'SE':
        if (current) responses.push(current);
        current = undefined;
        break;
      case 'HL':
        level = HL_LEVEL[el(seg, 3) ?? ''] ?? level;
        lastBenefit = undefined;
        afterEq = false;
        inSubscriberName = false;
        break;
      case 'NM1': {
        if (!current) break;
        inSubscriberName = el(seg, 1) === 'IL' && lastBenefit === undefined;
        if (el(seg, 1) === 'PR') current.payer = { name: el(seg, 3) ?? '', ...(el(seg, 9) !== undefined && { id: el(seg, 9)! }) };
        if (el(seg, 1) === 'IL') {
          current.subscriber = {
            ...(el(seg, 3) !== undefined && { lastName: el(seg, 3)! }),
            ...(el(seg, 4) !== undefined && { firstName: el(seg, 4)! }),
            ...(el(seg, 9) !== undefined && { memberId: el(seg, 9)! }),
          };
        }
        break;
      }
      case 'TRN':
        if (current && el(seg, 2)) {
          current.traceNumbers.push(el(seg, 2)!);
          current.traces.push({ type: el(seg, 1) ?? '', number: el(seg, 2)!, ...(el(seg, 3) !== undefined && { originator: el(seg, 3)! }) });
        }
        break;
      case 'DMG': {
        const born = el(seg, 2);
        if (current?.subscriber && inSubscriberName && el(seg, 1) === 'D8' && born !== undefined && /^\d{8}$/.test(born)) {
          current.subscriber = { ...current.subscriber, birthDate: `${born.slice(0, 4)}-${born.slice(4, 6)}-${born.slice(6, 8)}` };
        }
        break;
      }
      case 'DTP':
        if (current && lastBenefit === undefined) current.planDates.push({ qualifier: el(seg, 1) ?? '', value: el(seg, 3) ?? '' });
        break;
      case 'EQ':
        afterEq = true;
        break;
      case 'AAA': {
        if (!current) break;
        const code = el(seg, 3) ?? '';
        current.rejections.push({
          level: afterEq ? 'inquiry' : level,
          valid: el(seg, 1) === 'Y',
          reasonCode: code,
          reason: REJECT_REASONS[code] ?? `reject reason ${code}`,
          ...(el(seg, 4) !== undefined && { followUp: FOLLOW_UP[el(seg, 4)!] ?? el(seg, 4)! }),
        });
        break;
      }
      case 'EB': {
        inSubscriberName = false;
        if (!current) break;
        const code = el(seg, 1) ?? '';
        const amount = el(seg, 7);
        const percent = el(seg, 8);
        const auth = el(seg, 11);
        const network = el(seg, 12);
        lastBenefit = {
          code,
          meaning: BENEFIT_CODES[code] ?? `benefit ${code}`,
          ...(el(seg, 2) !== undefined && { coverageLevel: el(seg, 2)! }),
          serviceTypes: el(seg, 3)?.split(delimiters.repetition) ?? [],
          ...(el(seg, 4) !== undefined && { insuranceType: el(seg, 4)! }),
          ...(el(seg, 5) !== undefined && { planDescription: el(seg, 5)! }),
          ...(el(seg, 6) !== undefined && { period: el(seg, 6)! }),
          ...(amount !== undefined && { amount: Number(amount) }),
          ...(percent !== undefined && { percent: Number(percent) }),
          ...(auth !== undefined && { authorizationRequired: auth === 'Y' }),
          ...(network !== undefined && { inNetwork: network as Benefit['inNetwork'] }),
          messages: [],
        };
        current.benefits.push(lastBenefit);
        break;
      }
      case 'MSG':
        if (lastBenefit && el(seg, 1)) lastBenefit.messages.push(el(seg, 1)!);
        break;
      default:
        break;
    }
  }
  if (responses.length === 0) throw new X12FormatError('no 271 transaction set (ST*271 ... SE) found');
  return responses;
}

type Mutable = {
  controlNumber?: string;
  interchangeControlNumber: string;
  submitterTransactionId?: string;
  payer?: EligibilityResponse['payer'];
  subscriber?: EligibilityResponse['subscriber'];
  traceNumbers: string[];
  traces: Trace[];
  planDates: { qualifier: string; value: string }[];
  benefits: Benefit[];
  rejections: Rejection[];
};

function el(segment: Segment, index: number): string | undefined {
  const value = segment[index];
  return value === undefined || value === '' ? undefined : value;
}

export interface CostShare {
  readonly status: 'active' | 'inactive' | 'rejected' | 'unknown';
  readonly copay?: number;
  readonly coinsurancePercent?: number;
  readonly deductibleRemaining?: number;
  readonly outOfPocketRemaining?: number;
  /** Every cost-share benefit (copay, coinsurance, deductible, out-of-pocket) for the service type or the plan, in and out of network. */
  readonly benefits: readonly CostShareBenefit[];
  readonly nonCovered: boolean;
  readonly rejections: readonly Rejection[];
}

const COST_SHARE_KIND: Readonly<Record<string, CostShareBenefit['kind']>> = { A: 'coinsurance', B: 'copay', C: 'deductible', G: 'out-of-pocket' };
const NETWORK: Readonly<Record<string, NonNullable<CostShareBenefit['network']>>> = { Y: 'in', N: 'out', W: 'not-applicable' };
const COVERAGE_LEVEL: Readonly<Record<string, string>> = { IND: 'individual', FAM: 'family' };
/** EB06 time period qualifier (X12 element 615, https://stedi.com/edi/x12-005030/element/615), the codes cost-share benefits use. */
const PERIOD: Readonly<Record<string, string>> = {
  '6': 'hour', '7': 'day', '21': 'years', '22': 'service-year', '23': 'calendar-year', '24': 'year-to-date', '25': 'contract',
  '26': 'episode', '27': 'visit', '29': 'remaining', '32': 'lifetime', '33': 'lifetime-remaining', '34': 'month', '35': 'week',
};

function costShareBenefit(b: Benefit): CostShareBenefit | undefined {
  const kind = COST_SHARE_KIND[b.code];
  if (kind === undefined || (b.amount === undefined && b.percent === undefined)) return undefined;
  const network = b.inNetwork === undefined ? undefined : NETWORK[b.inNetwork];
  return {
    kind,
    ...(network !== undefined && { network }),
    ...(b.coverageLevel !== undefined && { coverageLevel: COVERAGE_LEVEL[b.coverageLevel] ?? b.coverageLevel }),
    ...(b.period !== undefined && { period: PERIOD[b.period] ?? `x12-615:${b.period}` }),
    ...(b.amount !== undefined && kind !== 'coinsurance' && { amount: b.amount }),
    ...(b.percent !== undefined && kind === 'coinsurance' && { percent: Math.round(b.percent * 10000) / 100 }),
    serviceTypes: b.serviceTypes,
  };
}

/**
 * The cost share for one service type (with 30, the plan's general benefits, as fallback):
 * in-network individual values first; "remaining" amounts use EB06 = 29.
 */
export function costShareFor(response: EligibilityResponse, serviceType: string): CostShare {
  const rejected = response.rejections.filter((r) => !r.valid);
  if (rejected.length > 0) return { status: 'rejected', benefits: [], nonCovered: false, rejections: rejected };
  const applies = (b: Benefit) => b.serviceTypes.length === 0 || b.serviceTypes.includes(serviceType) || b.serviceTypes.includes('30');
  const specific = (b: Benefit) => b.serviceTypes.includes(serviceType);
  const pick = (code: string, filter: (b: Benefit) => boolean = () => true) => {
    const candidates = response.benefits.filter((b) => b.code === code && applies(b) && filter(b) && b.inNetwork !== 'N');
    return candidates.find(specific) ?? candidates.find((b) => b.coverageLevel === undefined || b.coverageLevel === 'IND') ?? candidates[0];
  };
  const active = response.benefits.some((b) => b.code === '1');
  const inactive = response.benefits.some((b) => b.code === '6');
  const copay = pick('B');
  const coinsurance = pick('A');
  const deductible = pick('C', (b) => b.period === '29');
  const oop = pick('G', (b) => b.period === '29');
  return {
    status: active ? 'active' : inactive ? 'inactive' : 'unknown',
    ...(copay?.amount !== undefined && { copay: copay.amount }),
    ...(coinsurance?.percent !== undefined && { coinsurancePercent: Math.round(coinsurance.percent * 10000) / 100 }),
    ...(deductible?.amount !== undefined && { deductibleRemaining: deductible.amount }),
    ...(oop?.amount !== undefined && { outOfPocketRemaining: oop.amount }),
    benefits: response.benefits.filter(applies).flatMap((b) => costShareBenefit(b) ?? []),
    nonCovered: response.benefits.some((b) => b.code === 'I' && specific(b)),
    rejections: [],
  };
}
