/**
 * The phrasing test set of issue 15: how patients write what the guidance lists, in their words.
 *
 * Written before the lexicon existed, from the public pages cited in src/sources.ts (heart-attack
 * warning signs, BE-FAST, CDC concussion danger signs, the meningitis glass test, first-aid pages on
 * bleeding, burns, fractures and anaphylaxis, the 988 Lifeline) and from judgement about how people
 * type: lower case, no punctuation, misspellings, a parent writing about a child, Spanish. It is not
 * a list the lexicon was fitted to: a phrasing the triage gets wrong stays here and shows in the
 * metrics (tools/triage-metrics.ts), it is not rewritten until it passes.
 *
 * `expect`: the emergency rule the phrasing describes, 'abdominal-pain' (in person), or
 * 'telemedicine' (fit for a video visit). `also`: further rules the phrasing truly describes (a
 * throat closing is also difficulty breathing), so they do not count against those rules'
 * specificity. `context`: the telemedicine phrasings that carry red-flag words negated or in the past.
 */
export type Expected =
  | 'chest-pain'
  | 'difficulty-breathing'
  | 'one-sided-weakness-or-numbness'
  | 'slurred-speech'
  | 'seizure'
  | 'concussion'
  | 'fever-with-rash'
  | 'severe-bleeding'
  | 'serious-burn'
  | 'broken-bone-or-dislocation'
  | 'anaphylaxis'
  | 'sudden-vision-or-balance-loss'
  | 'suicidal-or-self-harm'
  | 'abdominal-pain'
  | 'telemedicine';

export interface Phrasing {
  readonly text: string;
  readonly expect: Expected;
  readonly lang: 'en' | 'es';
  readonly also?: readonly Expected[];
  readonly context?: 'negated' | 'historical';
}

export const en = (expect: Expected, texts: readonly string[], also?: readonly Expected[]): Phrasing[] =>
  texts.map((text) => ({ text, expect, lang: 'en', ...(also && { also }) }));
export const es = (expect: Expected, texts: readonly string[], also?: readonly Expected[]): Phrasing[] =>
  texts.map((text) => ({ text, expect, lang: 'es', ...(also && { also }) }));
export const ctx = (context: 'negated' | 'historical', lang: 'en' | 'es', texts: readonly string[]): Phrasing[] =>
  texts.map((text) => ({ text, expect: 'telemedicine', lang, context }));

export const PHRASINGS: readonly Phrasing[] = [
  // Heart-attack warning signs: pressure, squeezing, fullness or pain in the chest, spreading to arm, jaw, back.
  ...en('chest-pain', [
    'feels like a heavy weight sitting on my chest since lunch',
    "Crushing pain in the center of my chest and I'm sweating a lot",
    'tight band around my chest, pain going down my left arm',
    'my chest hurts really bad when i walk up stairs and it doesnt go away',
    'Pressure in chest radiating to my jaw for the last hour',
    "I think I'm having a heart attack",
    'sharp chest pains on and off all morning',
    'squeezing feeling behind my breastbone, nauseous',
    'cheast pain and my left arm feels heavy',
  ]),
  ...es('chest-pain', ['Tengo un dolor fuerte en el pecho que se me pasa al brazo izquierdo', 'siento presión en el pecho desde hace una hora']),

  ...en('difficulty-breathing', [
    "I can't breathe properly, gasping for air",
    "my lips are turning blue and I'm short of breath",
    "not able to breathe when I lie down, feels like I'm drowning",
    'struggling to catch my breath even sitting still',
    'shortness of breath getting worse since this morning',
    'my son is wheezing and can barely breathe, his ribs pull in with each breath',
    "Having a hard time breathing, inhaler isn't helping",
    'breathing is really difficult, I can only say a few words at a time',
    'i cant get enough air',
  ]),
  ...es('difficulty-breathing', ['No puedo respirar bien y me ahogo', 'mi hija tiene mucha dificultad para respirar']),

  // BE-FAST: Face drooping, Arm (or leg) weakness, numbness on one side.
  ...en('one-sided-weakness-or-numbness', [
    'the left side of my face is drooping and my smile looks crooked',
    "my right arm won't lift and feels heavy",
    'sudden numbness on one side of my body',
    "my husband's face is drooping on one side",
    "I suddenly can't move my left leg and my left arm is weak",
    "woke up with my right hand and arm completely numb, can't grip anything",
    'half my face went numb out of nowhere',
    'weakness in my left arm and leg that started an hour ago',
    'moms mouth is droopy on the right side',
  ]),
  ...es('one-sided-weakness-or-numbness', ['se me cayó un lado de la cara y no puedo levantar el brazo derecho', 'tengo adormecido todo el lado izquierdo del cuerpo']),

  // BE-FAST: Speech.
  ...en('slurred-speech', [
    'my speech is slurred and words come out wrong',
    'My dad is slurring his words and seems confused',
    "i'm having trouble speaking, can't get the words out",
    "suddenly talking funny like I'm drunk but I haven't had anything",
    'garbled speech started 30 minutes ago',
    "She can't speak properly all of a sudden",
    "my words are jumbled and people can't understand me",
    'slured speach since this morning',
    "my wife can't find her words and her speech is mumbled",
  ]),
  ...es('slurred-speech', ['mi papá habla arrastrando las palabras', 'de repente no puedo hablar bien, se me traba la lengua']),

  ...en('seizure', [
    'my daughter had a seizure 10 minutes ago',
    'he blacked out and was shaking all over',
    'convulsions that lasted a few minutes',
    'I think I had a fit, woke up on the floor having bitten my tongue',
    'she collapsed and her arms and legs were jerking',
    'having seizures again today',
    'my son is having a siezure right now',
    'passed out and started twitching and jerking',
    'first ever seizure this morning',
  ]),
  ...es('seizure', ['mi hijo tuvo una convulsión', 'se desmayó y empezó a temblar todo el cuerpo']),

  // CDC HEADS UP danger signs after a bump, blow or jolt to the head.
  ...en('concussion', [
    'fell off a ladder and was knocked out for a minute',
    'hit my head hard and now I keep throwing up',
    'I think I have a concussion from football practice',
    "banged his head on the pavement, now he's confused and drowsy",
    'hit head on the car door, lost consciousness briefly',
    "after the fall she hit her head and can't remember what happened",
    'head injury yesterday, headache getting worse and vomiting',
    'my kid bumped his head and one pupil looks bigger than the other',
    'was knocked unconscious in a car accident this morning',
  ]),
  ...es('concussion', ['me golpeé la cabeza y perdí el conocimiento', 'mi hijo se cayó, se pegó en la cabeza y ha vomitado dos veces']),

  // Fever with a rash; a rash that does not fade under a glass (meningococcal septicaemia).
  ...en('fever-with-rash', [
    "high fever and a rash that doesn't fade when pressed",
    'My baby has a fever and red spots all over her body',
    'fever of 103 with a purple rash on his legs',
    "rash that doesn't go away when I press a glass on it",
    "running a temperature and now there's a rash on my chest and arms",
    'I have a fever since yesterday. This morning I noticed a rash on my stomach.',
    "feverish with tiny pinprick spots that don't blanch",
    'febrile, new rash spreading fast',
    'temp 39.5 and blotchy rash',
  ]),
  ...es('fever-with-rash', ['tiene fiebre y le salieron manchas rojas en la piel', 'fiebre alta y un sarpullido que no desaparece al presionar']),

  ...en('severe-bleeding', [
    "cut my hand with a knife and it won't stop bleeding",
    'blood is spurting from a cut on my leg',
    'bleeding heavily through the towel after 15 minutes of pressure',
    'deep gash on my arm, lots of blood',
    'nosebleed that hasnt stopped for over an hour',
    "bleeding won't stop even with pressure",
    'blood everywhere from a wound on my foot',
    "I'm soaking through a pad every hour, very heavy bleeding",
    'the cut keeps bleeding and bleeding, gushing blood',
  ]),
  ...es('severe-bleeding', ['me corté y no para de sangrar', 'está sangrando mucho de la cabeza']),

  ...en('serious-burn', [
    'burned my arm on the stove, the skin looks white and leathery',
    'burn on my leg bigger than my hand with blisters',
    'my hand got burned and the skin is charred',
    'chemical burn on my face from drain cleaner',
    'electrical burn from an outlet',
    "scalded my child's chest with boiling water, big blisters",
    'third degree burn on my foot',
    "burnt my whole forearm with hot oil, it doesn't even hurt, skin is black",
    'severe burns on both hands from a fire',
  ]),
  ...es('serious-burn', ['me quemé la mano con aceite y la piel está negra', 'quemadura grande en la pierna, más grande que la mano']),

  ...en('broken-bone-or-dislocation', [
    'fell and the bone is sticking out of my arm',
    'my wrist is bent at a strange angle after I fell',
    "I think I broke my leg, can't walk on it",
    'dislocated my shoulder playing basketball',
    'my finger is pointing the wrong way',
    'ankle looks deformed after the fall',
    'knee popped out of place',
    'possible fracture of my wrist, swollen and crooked',
    'his arm is broken, you can see the bone',
  ]),
  ...es('broken-bone-or-dislocation', ['me caí y tengo el brazo roto', 'se me salió el hombro de lugar']),

  ...en('anaphylaxis', [
    'my throat is closing up after eating peanuts',
    'stung by a bee, my tongue is swelling',
    'allergic reaction, lips swollen and hives all over, feel faint',
    'used my epipen 10 minutes ago',
    'anaphylaxis after shrimp',
    'face and throat swelling after taking a new antibiotic',
    'tongue feels thick and throat tight after the shot',
    'severe allergic reaction, hard to swallow',
    "my son ate a cashew and now his lips are puffy and he's vomiting and covered in hives",
  ]),
  ...es('anaphylaxis', ['se me está cerrando la garganta después de comer mariscos', 'me picó una abeja y se me hinchó la lengua']),

  // BE-FAST: Balance and Eyes.
  ...en('sudden-vision-or-balance-loss', [
    'suddenly lost vision in my right eye',
    'sudden double vision and dizziness',
    "all of a sudden I can't keep my balance and keep falling to one side",
    "it's like a curtain came down over my left eye",
    'went blind in one eye for a few minutes',
    'sudden loss of balance and trouble walking',
    "can't see out of my left eye since this morning",
    'seeing double since an hour ago',
    'vision went black in one eye',
  ]),
  ...es('sudden-vision-or-balance-loss', ['de repente perdí la vista de un ojo', 'perdí el equilibrio de repente y no puedo caminar derecho']),

  // 988 Suicide & Crisis Lifeline: thoughts of suicide, self-harm.
  ...en('suicidal-or-self-harm', [
    'I want to kill myself',
    "I've been thinking about ending my life",
    "I don't want to be alive anymore",
    'thoughts of suicide every day',
    "I've been cutting myself again",
    'everyone would be better off without me, i have a plan',
    'I want to die',
    'sucidal thoughts',
    'I took a whole bottle of pills on purpose',
    'want to hurt myself',
  ]),
  ...es('suicidal-or-self-harm', ['ya no quiero vivir', 'he pensado en quitarme la vida', 'quiero hacerme daño']),

  // Abdominal pain: always in person (the abdomen must be examined).
  ...en('abdominal-pain', [
    'stomach pain for two days',
    'sharp pain in my lower right side',
    'my belly hurts a lot after eating',
    'cramping abdominal pain and diarrhea',
    "tummy ache that won't go away",
    'pain around my belly button moving to the right',
    'upper abdominal pain after fatty meals',
    'my stomach is killing me',
    'severe stomach cramps',
    'pain in my abdomen when I press on it',
  ]),
  ...es('abdominal-pain', ['me duele mucho el estómago', 'tengo dolor de barriga desde ayer']),

  // What the guidance lists as fit for telemedicine, in ordinary words.
  ...en('telemedicine', [
    'dry cough for a week',
    'seasonal allergies, sneezing and itchy eyes',
    'minor back pain after gardening',
    'sprained my ankle last weekend, swollen but I can walk on it',
    'pulled a muscle in my calf',
    'itchy rash on my forearm for two weeks',
    'acne getting worse',
    'feeling anxious and not sleeping well',
    "I've been feeling down and want to talk to someone about depression",
    'question about my blood pressure medication dose',
    'can I take ibuprofen with my lisinopril?',
    'want to go over my blood test results',
    'follow-up on my diabetes',
    'refill of my asthma inhaler',
    'sore throat and runny nose',
    'pink eye in my left eye, crusty in the morning',
    'burning when I pee',
    'ear pain since yesterday',
    'cold sore on my lip',
    'my eczema is flaring up',
    'wrist strain from typing',
    'lower back stiffness in the mornings',
    'discuss my cholesterol results',
    'side effects from my antidepressant, feeling nauseous',
    'stress at work, panic attacks before meetings',
    'mild headache and congestion, sinus pressure',
    'insect bite that is itchy',
    'want to talk about quitting smoking',
    'check in after starting metformin',
    'mole that changed color, want someone to look at a photo',
    'toenail fungus',
    'hay fever is bad this spring',
    'my knee aches after running, minor strain',
    'results of my MRI from last week',
  ]),
  ...es('telemedicine', ['tengo tos seca desde hace una semana', 'quiero revisar los resultados de mis análisis de sangre', 'alergias de temporada, estornudos y picazón en los ojos']),

  // Fit for telemedicine although red-flag words appear, negated or in the past (NegEx / ConText).
  ...ctx('negated', 'en', [
    'never had chest pain, it is a sore throat',
    'no fever and no rash, just a stuffy nose',
    'No chest pain or shortness of breath, just a lingering cough',
    'denies difficulty breathing; mild cough',
    "I'm not suicidal, but I have been feeling low",
    'my bleeding stopped right away, it was a small cut, want to know if I need a tetanus shot',
    'no numbness or weakness, just a pinched nerve feeling in my neck',
    'There is no blood and no pain, just a mole I want checked',
    'My speech is fine, no slurring, I just have a canker sore',
    'Not having any trouble breathing, only a runny nose',
    'Rash on my leg but no fever at all',
    'no vomiting, no head injury, just a tension headache',
    'no burns, no blisters, just a mild sunburn',
    'Sprained wrist, not broken, x-ray was normal',
    'No abdominal pain; I need a refill of my birth control',
  ]),
  ...ctx('historical', 'en', [
    'had a seizure as a child, fine since, need a refill of my allergy medicine',
    'broke my arm 10 years ago, now just want to discuss wrist stiffness',
    'I had a concussion in high school, no problems since. Question about my migraine medication.',
    'history of anaphylaxis to peanuts years ago, need a new epipen prescription',
    'I used to get panic attacks years ago, want to restart therapy',
    'my dad had a stroke last year, I want to talk about my own blood pressure',
    'I was hospitalized for a heart attack in 2019, here for my statin follow-up',
    'my seizures have been controlled for years, medication review',
  ]),
  ...ctx('negated', 'es', ['no tengo fiebre ni dolor de pecho, solo tos', 'no me falta el aire, solo congestión nasal']),
  ...ctx('historical', 'es', ['tuve una convulsión de niño, desde entonces nada']),
];
