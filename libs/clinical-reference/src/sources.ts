/**
 * Where each rule comes from. `retrieved` is the date the page was read for this library (from the
 * stored public copy the search tool serves; the live page may have changed since). `verified:
 * false` marks what the library assumes without a public source to point at; say so when citing it.
 * None of these rules has had clinical review by the medical director yet.
 */
export interface ClinicalSource {
  readonly id: string;
  readonly title: string;
  readonly publisher: string;
  readonly url: string;
  readonly retrieved: string;
  readonly verified: boolean;
  readonly note?: string;
}

export const SOURCES = {
  carebridgeGuidance: {
    id: 'carebridge-guidance',
    title:
      'Carebridge triage guidance: chest pain, difficulty breathing, weakness or numbness on one side, slurred speech, seizures, concussion, fever with a rash, severe bleeding, serious burns, broken bones or dislocated joints are emergencies; abdominal pain is seen in person; cough, allergies, minor back pain, sprains and strains, skin conditions, mental health, medication questions, test results and follow-up are fit for telemedicine',
    publisher: 'Carebridge (issues 3 and 15)',
    url: 'carebridge:issues/15',
    retrieved: '2026-12-07',
    verified: true,
    note: 'Our own guidance. The same emergency list appears on a hospital emergency-services page (https://memorialhermannkingwood.com/Emergency-Services, read 2026-12-07).',
  },
  whenInDoubt: {
    id: 'carebridge-when-in-doubt',
    title: 'Triage never blocks on ambiguity: when in doubt, needs-review, with how to get urgent help',
    publisher: 'Carebridge (issue 15)',
    url: 'carebridge:issues/15',
    retrieved: '2026-12-07',
    verified: false,
    note: 'A product decision, not a clinical fact; which words count as "in doubt" is our judgement.',
  },
  lifeline988: {
    id: '988-lifeline',
    title: '988 Suicide & Crisis Lifeline: call or text 988, or chat at 988lifeline.org, 24/7; call 911 in immediate danger',
    publisher: 'Vibrant Emotional Health / SAMHSA (as relayed by Wyoming Department of Health)',
    url: 'https://health.wyo.gov/publichealth/prevention/wivpp/suicide-prevention/988-suicide-crisis-lifeline',
    retrieved: '2026-12-07',
    verified: true,
  },
  beFast: {
    id: 'be-fast',
    title: 'BE-FAST (Balance, Eyes, Face, Arm, Speech, Time): Reducing the Proportion of Strokes Missed Using the FAST Mnemonic. Aroor S, Singh R, Goldstein LB. Stroke 2017;48(2):479-481',
    publisher: 'American Heart Association (Stroke)',
    url: 'https://scholars.duke.edu/display/pub1277824',
    retrieved: '2026-12-07',
    verified: true,
  },
  heartAttackSigns: {
    id: 'aha-heart-attack-warning-signs',
    title: 'Heart attack warning signs: pressure, squeezing, fullness or pain in the centre of the chest; discomfort in arms, back, neck, jaw or stomach; shortness of breath',
    publisher: 'American Heart Association (as published by Princeton Health)',
    url: 'http://www.princetonhcs.org/phcs-home/what-we-do/university-medical-center-of-princeton-at-plainsboro/what-we-do/clinical-centers-for-care/center-for-emergency-care/signs-of-a-heart-attack.aspx',
    retrieved: '2026-12-07',
    verified: true,
  },
  concussionDangerSigns: {
    id: 'cdc-heads-up-danger-signs',
    title: 'Concussion danger signs: loss of consciousness, repeated vomiting, one pupil larger, drowsiness, worsening headache, confusion, seizures',
    publisher: 'CDC HEADS UP',
    url: 'https://www.cdc.gov/headsup/basics/concussion_danger_signs.html',
    retrieved: '2026-12-07',
    verified: true,
  },
  seizureFirstAid: {
    id: 'cdc-seizure-first-aid',
    title: 'Seizure first aid: when to call 911 (first seizure, longer than 5 minutes, trouble breathing or waking, injury)',
    publisher: 'CDC',
    url: 'https://www.cdc.gov/epilepsy/communications/features/firstaid.htm',
    retrieved: '2026-12-07',
    verified: true,
  },
  glassTest: {
    id: 'meningitis-now-glass-test',
    title: 'Fever with spots or a rash that do not fade under pressure is a medical emergency (the glass test)',
    publisher: 'Meningitis Now',
    url: 'https://www.meningitisnow.org/meningitis-explained/signs-and-symptoms/glass-test/',
    retrieved: '2026-12-07',
    verified: true,
  },
  bleeding: {
    id: 'first-aid-bleeding',
    title: "Call 911 if you can't stop the bleeding; pulsing, spurting bleeding that can't be stopped with direct pressure",
    publisher: 'StayWell first-aid library (as published by Crestner Health)',
    url: 'https://healthhub.crestnerhealth.com/urgent-care/treatment/first-aid-bleeding?language_content_entity=en',
    retrieved: '2026-12-07',
    verified: true,
  },
  burns: {
    id: 'mayo-burns-first-aid',
    title: 'Major burns: deep, dry and leathery, charred or white/brown/black patches, larger than 3 inches, on hands, feet, face, groin or a major joint; electrical and chemical burns',
    publisher: 'Mayo Clinic first aid (as published by Koç University Hospital)',
    url: 'https://www.kuh.ku.edu.tr/mayo-clinic-care-network/mayo-clinic-health-information-library/first-aid/burns-first-aid',
    retrieved: '2026-12-07',
    verified: true,
  },
  brokenBone: {
    id: 'medlineplus-broken-bone',
    title: 'Broken bone: a visibly out-of-place or misshapen limb or joint, bone protruding; a dislocated joint is an emergency too',
    publisher: 'MedlinePlus Medical Encyclopedia (A.D.A.M.)',
    url: 'https://medlineplus.gov/ency/article/000001.htm',
    retrieved: '2026-12-07',
    verified: true,
  },
  anaphylaxis: {
    id: 'webmd-anaphylaxis',
    title: 'Anaphylaxis: call 911 for tightness in the throat, trouble breathing or swallowing, swollen lips, hives with dizziness; use the epinephrine injector and call 911',
    publisher: 'WebMD First Aid',
    url: 'http://www.webmd.com/allergies/anaphylaxis-15/treating-life-threatening',
    retrieved: '2026-12-07',
    verified: true,
  },
  negex: {
    id: 'negex',
    title: 'A simple algorithm for identifying negated findings and diseases in discharge summaries. Chapman WW et al. J Biomed Inform 2001;34(5):301-310, doi:10.1006/jbin.2001.1029',
    publisher: 'Journal of Biomedical Informatics',
    url: 'https://doi.org/10.1006/jbin.2001.1029',
    retrieved: '2026-12-07',
    verified: true,
  },
  context: {
    id: 'context',
    title: 'ConText: An algorithm for determining negation, experiencer, and temporal status from clinical reports. Harkema H, Dowling JN, Thornblade T, Chapman WW. J Biomed Inform 2009;42(5):839-851, doi:10.1016/j.jbi.2009.05.002',
    publisher: 'Journal of Biomedical Informatics',
    url: 'https://pmc.ncbi.nlm.nih.gov/articles/PMC2757457',
    retrieved: '2026-12-07',
    verified: true,
  },
} as const satisfies Record<string, ClinicalSource>;

export type SourceKey = keyof typeof SOURCES;

/** The version of the rules and lexicon together: recorded on every triage answer and event. */
export const CLINICAL_REFERENCE_VERSION = 'carebridge-clinical-reference/2026-12-07.2';
