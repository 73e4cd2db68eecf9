import type { ConceptName } from './lexicon';
import type { SourceKey } from './sources';

/**
 * The red-flag and in-person rules as data: the only copy (scheduling's intake and visits both
 * read it). Clinical review of this table is the medical director's; change the table, not the
 * code, and bump CLINICAL_REFERENCE_VERSION when it changes.
 *
 * A rule fires from a coded symptom (any of `codes`, each a set that must all be present) or from
 * what the patient wrote (`patterns`). Pattern kinds:
 * - `near`: each concept stands in the same sentence, each within `gap` words of the next; with
 *   `noSiteBetween`, no other body site between them (the pain belongs to the nearest site);
 * - `anywhere`: each concept stands somewhere in what the patient wrote (fever in the reason, a
 *   rash in the description).
 * `unless`: a concept in the same sentence that makes the words mean less: an emergency pattern
 * then only asks for review, a review pattern says nothing. `review`: weaker evidence of the rule
 * ("hit my head" with no danger sign): needs-review rather than emergency.
 */
export interface NearPattern {
  readonly near: readonly ConceptName[];
  readonly gap: number;
  readonly noSiteBetween?: boolean;
  readonly unless?: readonly ConceptName[];
  /** With `unless` standing by, the finding says nothing at all (not even a review): "cut myself shaving". */
  readonly quiet?: boolean;
}
export type Pattern = NearPattern | { readonly anywhere: readonly (ConceptName | NearPattern)[] };

export type RuleDisposition = 'emergency' | 'in-person' | 'needs-review';

export interface ClinicalRule {
  readonly id: string;
  readonly disposition: RuleDisposition;
  /** Suicidal or self-harm statements: the answer names the 988 Lifeline as well as 911. */
  readonly crisis?: boolean;
  readonly label: string;
  readonly sources: readonly SourceKey[];
  readonly codes: readonly (readonly string[])[];
  readonly patterns: readonly Pattern[];
  readonly review?: readonly Pattern[];
  /** Diagnoses (ICD-10-CM prefixes) that call for the same disposition when recorded in a visit. */
  readonly icd10Prefixes?: readonly string[];
}

const near = (gap: number, ...concepts: ConceptName[]): NearPattern => ({ near: concepts, gap });
const word = (...concepts: ConceptName[]): NearPattern => ({ near: concepts, gap: 0 });
const hitHead = near(5, 'hit', 'head');

export const CLINICAL_RULES: readonly ClinicalRule[] = [
  {
    id: 'chest-pain',
    disposition: 'emergency',
    label: 'Chest pain',
    sources: ['carebridgeGuidance', 'heartAttackSigns'],
    codes: [['chest-pain']],
    patterns: [
      { near: ['chestSite', 'chestQuality'], gap: 6, noSiteBetween: true, unless: ['anxietyTrigger', 'coughTrigger'] },
      word('heartAttack'),
      near(4, 'ribs', 'chestQualityStrong'),
      near(4, 'chestQuality', 'radiates', 'armOrJaw'),
      // A chest that feels wrong with the company heart attacks keep (sweat, nausea, breathlessness).
      { anywhere: [{ near: ['chestSite', 'chestVague'], gap: 5, unless: ['respiratoryInfection'] }, 'cardiacAssociated'] },
    ],
    review: [
      { near: ['chestSite', 'chestQuality'], gap: 6, noSiteBetween: true },
      { near: ['chestSite', 'chestVague'], gap: 5, unless: ['respiratoryInfection'] },
      word('palpitations'),
    ],
  },
  {
    id: 'difficulty-breathing',
    disposition: 'emergency',
    label: 'Difficulty breathing',
    sources: ['carebridgeGuidance'],
    codes: [['difficulty-breathing']],
    patterns: [{ near: ['breath', 'breathTrouble'], gap: 3, unless: ['mildOrExertion'] }, { near: ['airHunger'], gap: 0, unless: ['mildOrExertion'] },
      { anywhere: ['airHunger', 'sudden'] }, near(3, 'blueSkin', 'blueColour'), near(6, 'wheeze', 'breathSeverity'), near(6, 'inhaler', 'breathSeverity')],
    review: [{ near: ['wheeze'], gap: 0, unless: ['respiratoryInfection', 'mildOrExertion'] }, near(3, 'breath', 'breathVague'), near(3, 'breath', 'breathTrouble'), word('airHunger')],
  },
  {
    id: 'one-sided-weakness-or-numbness',
    disposition: 'emergency',
    label: 'Weakness or numbness on one side (BE-FAST: face, arm)',
    sources: ['carebridgeGuidance', 'beFast'],
    codes: [['one-sided-weakness-or-numbness']],
    patterns: [
      { near: ['face', 'droop'], gap: 5, noSiteBetween: true },
      { near: ['limb', 'weakness'], gap: 4, unless: ['injuryContext', 'postureContext'] },
      // Whatever the patient blames, a limb that went weak or numb suddenly is BE-FAST's "arm".
      { anywhere: [near(4, 'limb', 'weakness'), 'sudden'] },
      near(4, 'oneSide', 'weakness'),
      near(4, 'oneSide', 'droop'),
      near(6, 'oneSide', 'tingling'),
      word('stroke'),
    ],
    review: [{ near: ['limbOrFaceWide', 'tingling'], gap: 4, unless: ['postureContext', 'injuryContext'] }, { near: ['limb', 'weakness'], gap: 4 }],
  },
  {
    id: 'slurred-speech',
    disposition: 'emergency',
    label: 'Slurred speech (BE-FAST: speech)',
    sources: ['carebridgeGuidance', 'beFast'],
    codes: [['slurred-speech']],
    patterns: [{ near: ['speech', 'speechTrouble'], gap: 3, unless: ['talkTo', 'speechBaseline'] }, near(2, 'speechTroubleWeak', 'speechNarrow'), word('speechAlone')],
    review: [{ near: ['speech', 'speechVague'], gap: 3, unless: ['talkTo'] }],
  },
  {
    id: 'seizure',
    disposition: 'emergency',
    label: 'Seizures',
    sources: ['carebridgeGuidance', 'seizureFirstAid'],
    codes: [['seizure']],
    patterns: [
      word('seizure'),
      near(7, 'lostConsciousness', 'shaking'),
      // Two signs of one fit: movement with unresponsiveness, stiffening, eyes rolling, a bitten tongue...
      { near: ['seizureMotion', 'seizureSign'], gap: 12, unless: ['notSeizure'] },
      { near: ['seizureTone', 'seizureMotion'], gap: 12, unless: ['notSeizure'] },
      { near: ['seizureTone', 'seizureSign'], gap: 12, unless: ['notSeizure'] },
      { near: ['fitWord', 'seizureSign'], gap: 10, unless: ['notSeizure'] },
      { near: ['fitWord', 'seizureMotion'], gap: 10, unless: ['notSeizure'] },
    ],
    review: [{ near: ['seizureMotion', 'seizureSign'], gap: 12 }, word('unresponsive'), word('seizureTone'), word('motionStrong')],
  },
  {
    id: 'concussion',
    disposition: 'emergency',
    label: 'Concussion (head injury with a danger sign)',
    sources: ['carebridgeGuidance', 'concussionDangerSigns'],
    codes: [['concussion']],
    patterns: [word('knockedOut'), { anywhere: ['headInjury', 'headDangerSign'] }, { anywhere: [hitHead, 'headDangerSign'] }, { anywhere: ['trauma', 'headDangerSign'] }],
    review: [word('headInjury'), hitHead, near(4, 'head', 'injuryEvent')],
  },
  {
    id: 'fever-with-rash',
    disposition: 'emergency',
    label: 'Fever with a rash (or a rash that does not fade under pressure)',
    sources: ['carebridgeGuidance', 'glassTest'],
    codes: [['fever-with-rash'], ['fever', 'skin-rash']],
    patterns: [{ anywhere: ['fever', 'rash'] }, near(6, 'rash', 'nonBlanching'), near(6, 'rash', 'notFading', 'pressing')],
  },
  {
    id: 'severe-bleeding',
    disposition: 'emergency',
    label: 'Severe bleeding',
    sources: ['carebridgeGuidance', 'bleeding'],
    codes: [['severe-bleeding']],
    patterns: [near(5, 'bleeding', 'heavyFlow'), near(4, 'blood', 'heavyFlow'), word('bloodUp'), near(5, 'vomitOrCough', 'blood'), near(3, 'soakThrough', 'dressing'), near(8, 'wound', 'flowStrong')],
    review: [word('bleeding'), word('blood')],
  },
  {
    id: 'serious-burn',
    disposition: 'emergency',
    label: 'Serious burns',
    sources: ['carebridgeGuidance', 'burns'],
    codes: [['serious-burn']],
    patterns: [
      { near: ['burn', 'burnSevere'], gap: 8, unless: ['sunContext'] },
      { near: ['burnCause', 'burnInjury'], gap: 8, unless: ['sunContext'] },
      { anywhere: [{ near: ['burnCauseHot', 'burnInjury'], gap: 8, unless: ['sunContext'] }, 'burnSevere'] },
      near(6, 'corrosive', 'eyeOrFace'),
      { near: ['burnCause', 'onBody'], gap: 6, unless: ['sunContext'] },
      { near: ['burnCause', 'eyeOrFace'], gap: 6, unless: ['sunContext'] },
    ],
    review: [{ near: ['burn'], gap: 0, unless: ['sunContext'] }, near(8, 'burnCause', 'burnInjury'), { near: ['burnCauseHot', 'burnInjury'], gap: 8, unless: ['sunContext'] }],
  },
  {
    id: 'broken-bone-or-dislocation',
    disposition: 'emergency',
    label: 'Broken bones or dislocated joints',
    sources: ['carebridgeGuidance', 'brokenBone'],
    codes: [['broken-bone-or-dislocation']],
    patterns: [
      near(4, 'bone', 'boneOut'),
      near(6, 'limbOrJoint', 'deformed'),
      { near: ['broken', 'limbOrJoint'], gap: 4, unless: ['minorBone'] },
      word('dislocation'),
      // An injury that may have broken something and a limb that cannot take weight (Ottawa-style).
      { anywhere: ['injurySound', 'cannotBearWeight'] },
      { anywhere: ['injuryEvent', 'cannotBearWeight'] },
      near(8, 'broken', 'cannotBearWeight'),
    ],
    review: [word('boneWords'), near(8, 'injurySound', 'limbOrJoint')],
  },
  {
    id: 'anaphylaxis',
    disposition: 'emergency',
    label: 'Severe allergic reaction (anaphylaxis)',
    sources: ['anaphylaxis'],
    codes: [['severe-allergic-reaction']],
    patterns: [
      word('anaphylaxis'),
      near(3, 'gaveEpinephrine', 'epinephrine'),
      { near: ['throatOrTongue', 'swellingOrClosing'], gap: 4, unless: ['throatInfection'] },
      { anywhere: [near(4, 'lipsOrFace', 'swollen'), 'allergen'] },
      { anywhere: ['hives', 'systemic', 'allergen'] },
      { anywhere: ['cannotSwallow', 'allergen'] },
      { anywhere: ['hives', 'allergen', 'systemic'] },
      { anywhere: ['allergicWord', 'exposure', 'systemic'] },
    ],
    review: [{ near: ['swollenAirway', 'swollen'], gap: 4, unless: ['localCause'] }, { anywhere: ['hives', 'exposure'] }],
  },
  {
    id: 'sudden-vision-or-balance-loss',
    disposition: 'emergency',
    label: 'Sudden loss of vision or balance (BE-FAST: balance, eyes)',
    sources: ['beFast'],
    codes: [['sudden-vision-or-balance-loss']],
    patterns: [word('visionLoss'), { near: ['eye', 'eyeLoss'], gap: 6, unless: ['glasses'] }, near(6, 'sudden', 'balanceLoss'), near(8, 'vertigo', 'balanceLoss'), near(8, 'dizzyWord', 'balanceLoss')],
    review: [word('balanceLoss'), word('vertigo'), near(6, 'eye', 'eyeLoss'), { near: ['eye', 'eyeVague'], gap: 4, unless: ['glasses'] }],
  },
  {
    id: 'suicidal-or-self-harm',
    disposition: 'emergency',
    crisis: true,
    label: 'Thoughts of suicide or self-harm',
    sources: ['lifeline988'],
    codes: [['suicidal-thoughts']],
    patterns: [word('suicidal'), near(6, 'tookPills', 'onPurpose'), { near: ['cutSelf'], gap: 0, unless: ['accidental'], quiet: true }],
    review: [word('despair')],
  },
  {
    id: 'abdominal-pain',
    disposition: 'in-person',
    label: 'Abdominal pain (the abdomen must be examined)',
    sources: ['carebridgeGuidance'],
    codes: [['abdominal-pain']],
    patterns: [{ near: ['abdomen', 'abdominalQuality'], gap: 8, noSiteBetween: true }, word('abdominalPainTerm')],
    // ICD-10-CM R10 "Abdominal and pelvic pain" (https://www.icd10data.com/ICD10CM/Codes/R00-R99/R10-R19/R10-).
    icd10Prefixes: ['R10'],
  },
  {
    id: 'unplaced-symptom',
    disposition: 'needs-review',
    label: 'Words the rules cannot place with confidence (pain with no site, severe pain, fainting, "emergency")',
    sources: ['whenInDoubt'],
    codes: [],
    patterns: [{ near: ['pain'], gap: 0, unless: ['bodySite', 'painAsModifier'] }, word('severePain'), word('faint'), word('urgentWords'), word('unresponsive'), word('sudden'), { near: ['severeWord', 'bodySite'], gap: 4 }, { near: ['severeWord', 'pain'], gap: 4 }],
  },
];

export const RULE_IDS = CLINICAL_RULES.map((r) => r.id);

export function ruleById(id: string): ClinicalRule | undefined {
  return CLINICAL_RULES.find((r) => r.id === id);
}
