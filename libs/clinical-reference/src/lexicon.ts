/**
 * Concept words, lay and clinical, English and Spanish (accents are folded away before matching,
 * so "estómago" is written "estomago"). Rules (rules.ts) combine concepts: a body site near a
 * quality ("chest" + "heavy"), an injury near a sign ("hit" + "head", then "throwing up"), so a
 * phrasing nobody listed still matches when its words carry the meaning. Written from the pages
 * cited in sources.ts (their wording of the warning signs) and from judgement of how people write.
 *
 * `except`: phrases in which the concept's words mean something else ("hay fever", "blood test").
 */
export interface Concept {
  readonly terms: readonly string[];
  readonly except?: readonly string[];
}

const PAIN_WORDS = [
  'pain', 'painful', 'hurt', 'hurts', 'hurting', 'ache', 'aches', 'aching', 'sore', 'soreness', 'cramp*', 'tender', 'discomfort',
  'agony', 'throbbing', 'stabbing', 'sharp pain',
  'dolor', 'duele', 'duelen', 'dolorido', 'adolorido', 'molestia*', 'punzada*', 'punzante',
];

export const CONCEPTS = {
  pain: { terms: PAIN_WORDS, except: ['canker sore', 'cold sore', 'bed sore', 'pressure sore', 'sore spot'] },
  /** "pain" that is not a symptom here: pain medication, a pain clinic. */
  painAsModifier: { terms: ['pain medication', 'pain medicine', 'pain meds', 'pain killer', 'painkiller', 'pain reliever', 'pain management', 'pain clinic', 'pain pills'] },
  bodySite: {
    terms: [
      'head', 'headache', 'migraine', 'face', 'eye', 'ear', 'earache', 'nose', 'sinus', 'tooth', 'teeth', 'toothache', 'jaw', 'mouth', 'lip',
      'tongue', 'throat', 'neck', 'shoulder', 'arm', 'elbow', 'wrist', 'hand', 'finger', 'thumb', 'chest', 'breast', 'rib', 'back',
      'spine', 'hip', 'leg', 'knee', 'ankle', 'foot', 'feet', 'toe', 'calf', 'calves', 'thigh', 'groin', 'pelvis', 'stomach', 'belly',
      'abdomen', 'abdominal', 'tummy', 'side', 'flank', 'bladder', 'joint', 'muscle', 'skin', 'bone', 'heel', 'buttock', 'gum', 'pee',
      'urine', 'urination', 'kidney', 'period', 'cabeza', 'cara', 'ojo', 'oido', 'oreja', 'nariz', 'diente', 'muela', 'mandibula', 'boca',
      'labio', 'lengua', 'garganta', 'cuello', 'hombro', 'brazo', 'codo', 'muneca', 'mano', 'dedo', 'pecho', 'seno', 'costilla',
      'espalda', 'columna', 'cadera', 'pierna', 'rodilla', 'tobillo', 'pie', 'pies', 'talon', 'estomago', 'barriga', 'panza', 'vientre',
      'ingle', 'vejiga', 'articulacion', 'musculo', 'piel', 'hueso', 'orinar',
    ],
  },
  severePain: {
    terms: ['worst pain', 'worst headache', 'unbearable', 'excruciating', 'can not stand the pain', 'insoportable', 'el peor dolor', 'peor dolor de cabeza', 'thunderclap'],
  },
  urgentWords: { terms: ['emergency', 'urgent', 'ambulance', '911', 'er', 'emergencia', 'urgente', 'ambulancia', 'urgencias'] },

  // --- chest (heart-attack warning signs)
  chestSite: { terms: ['chest', 'breastbone', 'sternum', 'pecho', 'torax'] },
  chestQuality: {
    terms: [
      ...PAIN_WORDS, 'pressure', 'heavy', 'heaviness', 'weight', 'tight', 'tightness', 'squeez*', 'crush*', 'elephant', 'sitting on',
      'burning', 'band', 'fullness', 'presion', 'opresion', 'apret*', 'pesadez', 'peso', 'aplast*', 'ardor',
    ],
  },
  heartAttack: { terms: ['heart attack', 'cardiac arrest', 'angina', 'infarto', 'ataque al corazon', 'ataque cardiaco'] },
  radiates: { terms: ['radiat*', 'spread*', 'going down', 'goes down', 'shooting down', 'down my', 'into my', 'se pasa', 'se corre', 'se extiende', 'irradia*', 'baja por', 'se va al'] },
  armOrJaw: { terms: ['arm', 'jaw', 'brazo', 'mandibula', 'quijada'] },

  // --- breathing
  breath: { terms: ['breath', 'breathe', 'breathing', 'air', 'respirar', 'respiro', 'respiracion', 'aire'] },
  breathTrouble: {
    terms: [
      'short', 'shortness', 'hard', 'harder', 'difficult', 'difficulty', 'trouble', 'struggl*', 'can not', 'unable', 'not able', 'barely',
      'labored', 'laboured', 'catch', 'enough', 'gasp*', 'dificultad', 'cuesta', 'no puedo', 'no puede', 'falta', 'no me entra', 'no le entra',
    ],
  },
  airHunger: { terms: ['gasping', 'choking', 'suffocat*', 'drowning', 'me ahogo', 'se ahoga', 'ahogando', 'ahogo', 'asfixi*'] },
  blueSkin: { terms: ['lips', 'lip', 'face', 'fingertips', 'fingernails', 'labios', 'cara', 'unas'] },
  blueColour: { terms: ['blue', 'bluish', 'purple', 'gray', 'grey', 'azul*', 'morad*'] },
  wheeze: { terms: ['wheez*', 'silbido*'] },

  // --- stroke (BE-FAST)
  face: { terms: ['face', 'mouth', 'smile', 'eyelid', 'lip', 'cara', 'boca', 'sonrisa', 'labio', 'rostro'] },
  droop: {
    terms: ['droop*', 'sag*', 'lopsided', 'uneven', 'crooked', 'fallen', 'numb', 'numbness', 'paraly*', 'caido', 'caida', 'se cayo', 'cayo', 'torcida', 'chueca', 'colgad*', 'dormid*', 'paraliz*', 'adormecid*', 'entumid*'],
  },
  limb: { terms: ['arm', 'leg', 'hand', 'brazo', 'pierna', 'mano'] },
  weakness: {
    terms: [
      'weak', 'weakness', 'numb', 'numbness', 'can not lift', 'will not lift', 'can not move', 'can not raise', 'can not grip', 'can not feel',
      'limp', 'dead', 'paraly*', 'no puedo levantar', 'no puedo mover', 'no puede mover', 'no puede levantar', 'no responde', 'debil',
      'debilidad', 'adormecid*', 'entumid*', 'dormid*', 'paraliz*', 'sin fuerza',
    ],
  },
  oneSide: {
    terms: ['one side', 'side of my body', 'side of my face', 'half my body', 'half my face', 'half of my', 'un lado', 'lado izquierdo', 'lado derecho', 'mitad del cuerpo', 'mitad de la cara', 'medio cuerpo'],
  },
  stroke: { terms: ['stroke', 'mini stroke', 'derrame cerebral', 'embolia', 'ictus', 'accidente cerebrovascular'], except: ['heat stroke', 'golpe de calor'] },
  /** Pain or an injury beside a limb that will not move: more likely a sprain than a stroke. */
  injuryContext: { terms: [...PAIN_WORDS, 'sprain*', 'strain*', 'injur*', 'fell', 'fall', 'gym', 'workout', 'lesion', 'golpe', 'torcedura', 'esguince'] },

  // --- speech (BE-FAST)
  speech: { terms: ['speech', 'speak*', 'talk*', 'word*', 'habla*', 'palabra*', 'lengua'] },
  speechNarrow: { terms: ['speech', 'speaking', 'words out', 'habla'] },
  speechTrouble: {
    terms: [
      'slur*', 'garbl*', 'jumbl*', 'mumbl*', 'come out wrong', 'coming out wrong', 'not make sense', 'not making sense', 'can not get',
      'can not find', 'can not speak', 'can not talk', 'funny', 'drunk', 'not understand', 'arrastr*', 'trab*', 'enredad*', 'no puedo',
      'no puede', 'no se le entiende', 'no se entiende', 'rara', 'raro',
    ],
  },
  speechTroubleWeak: { terms: ['trouble', 'difficulty', 'hard', 'problem*', 'dificultad'] },
  talkTo: { terms: ['talk about', 'talk to', 'speak to', 'speak with', 'talk with', 'hablar con', 'hablar de'] },

  // --- seizure
  seizure: {
    terms: ['seiz*', 'convuls*', 'epileptic', 'epilepsy attack', 'grand mal', 'had a fit', 'having a fit', 'fitting', 'ataque epileptico', 'crisis epileptica', 'convulsion*'],
  },
  lostConsciousness: {
    terms: ['blacked out', 'black out', 'passed out', 'pass out', 'faint*', 'collaps*', 'unconscious', 'lost consciousness', 'desmay*', 'perd* conocimiento', 'inconsciente'],
  },
  shaking: { terms: ['shak*', 'jerk*', 'twitch*', 'stiff*', 'rigid', 'tembl*', 'sacud*', 'convuls*'] },

  // --- head injury (CDC HEADS UP)
  knockedOut: { terms: ['concuss*', 'knocked out', 'knocked unconscious', 'knocked me out', 'conmocion', 'noquead*'] },
  hit: { terms: ['hit', 'bump*', 'bang*', 'smack*', 'struck', 'knock*', 'whack*', 'fell on', 'golpe*', 'pego', 'pegue', 'pegaron'] },
  head: { terms: ['head', 'skull', 'cabeza', 'craneo'] },
  headInjury: { terms: ['head injury', 'head trauma', 'head wound', 'traumatismo craneal', 'golpe en la cabeza'] },
  headDangerSign: {
    terms: [
      'blacked out', 'passed out', 'lost consciousness', 'unconscious', 'vomit*', 'throwing up', 'threw up', 'throw up', 'confus*',
      'drowsy', 'sleepy', 'can not stay awake', 'can not wake', 'can not remember', 'not remember', 'memory', 'pupil*', 'headache getting worse',
      'worse headache', 'confundid*', 'somnolient*', 'no recuerda', 'no se acuerda', 'perd* conocimiento', 'desmay*', 'vomit*',
    ],
  },

  // --- fever with rash (glass test)
  fever: {
    terms: ['fever', 'feverish', 'febrile', 'high temperature', 'running a temperature', 'running a temp', 'temperature of', 'temp of', 'temp #num', 'temperature #num', 'fiebre', 'calentura', 'temperatura alta', 'febril'],
    except: ['hay fever', 'fiebre del heno'],
  },
  rash: { terms: ['rash', 'spots', 'spotty', 'blotch*', 'hives', 'petechia*', 'pinprick*', 'pin prick', 'sarpullido', 'erupcion', 'ronchas', 'manchas', 'puntitos'] },
  nonBlanching: { terms: ['not blanch', 'non blanching', 'nonblanching', 'glass test'] },
  notFading: { terms: ['not fade', 'not go away', 'not disappear', 'still there', 'no desaparece', 'no se quita', 'no se va'] },
  pressing: { terms: ['press*', 'glass', 'presion*', 'apret*', 'vaso'] },

  // --- bleeding
  bleeding: {
    terms: ['bleed*', 'hemorrhag*', 'haemorrhag*', 'nosebleed*', 'sangra', 'sangrando', 'sangrado', 'sangrar', 'hemorragia'],
    except: ['bleeding gums when brushing'],
  },
  blood: {
    terms: ['blood', 'sangre'],
    except: ['blood test', 'blood work', 'bloodwork', 'blood pressure', 'blood sugar', 'blood draw', 'blood result', 'blood type', 'blood thinner', 'blood count', 'analisis de sangre', 'prueba de sangre', 'azucar en la sangre', 'presion'],
  },
  heavyFlow: {
    terms: [
      'not stop', 'not stopping', 'not stopped', 'keep* bleeding', 'spurt*', 'gush*', 'pour*', 'squirt*', 'soak*', 'heav*', 'a lot',
      'lots of', 'so much', 'too much', 'everywhere', 'pool*', 'profuse*', 'uncontroll*', 'with pressure', 'despite pressure',
      'through the', 'over an hour', 'for an hour', 'no para', 'no deja de', 'no se detiene', 'chorro*', 'mucho', 'mucha', 'por todos lados',
      'empapa*', 'abundante',
    ],
  },

  // --- burns
  burn: { terms: ['burn', 'burned', 'burnt', 'scald*', 'quem*'] },
  burnSevere: {
    terms: [
      'white', 'leathery', 'char*', 'black*', 'bigger than', 'larger than', 'size of', 'big', 'large', 'huge', 'whole', 'entire',
      'chemical', 'electric*', 'third degree', '3rd degree', 'deep', 'not hurt', 'not even hurt', 'severe', 'serious', 'face', 'both hands',
      'groin', 'genital*', 'carboniz*', 'negra', 'negro', 'blanca', 'mas grande', 'grande', 'quimic*', 'electric*', 'tercer grado',
      'profunda', 'grave', 'cara',
    ],
  },

  // --- broken bones and dislocations
  bone: { terms: ['bone', 'hueso'] },
  boneOut: { terms: ['sticking out', 'poking out', 'through the skin', 'protrud*', 'can see', 'see the', 'showing', 'se ve', 'sale', 'salido', 'afuera'] },
  limbOrJoint: {
    terms: ['arm', 'leg', 'wrist', 'ankle', 'finger', 'toe', 'shoulder', 'knee', 'elbow', 'hip', 'hand', 'foot', 'collarbone', 'brazo', 'pierna', 'muneca', 'tobillo', 'dedo', 'hombro', 'rodilla', 'codo', 'cadera', 'mano', 'pie', 'clavicula'],
  },
  deformed: {
    terms: [
      'strange angle', 'weird angle', 'wrong angle', 'odd angle', 'funny angle', 'wrong way', 'bent', 'deform*', 'misshapen', 'crooked',
      'out of place', 'popped out', 'out of socket', 'out of joint', 'pointing the wrong', 'dislocat*', 'fuera de lugar', 'de lugar', 'salio',
      'zafo', 'zafado', 'deforme', 'chueco', 'chueca', 'dislocad*',
    ],
  },
  broken: { terms: ['broke', 'broken', 'break', 'fractur*', 'snapped', 'cracked', 'roto', 'rota', 'quebr*'] },
  dislocation: { terms: ['dislocat*', 'dislocad*', 'luxacion'] },

  // --- anaphylaxis
  anaphylaxis: { terms: ['anaphyla*', 'anafila*', 'severe allergic reaction', 'serious allergic reaction', 'reaccion alergica grave', 'reaccion alergica severa', 'reaccion alergica fuerte'] },
  gaveEpinephrine: { terms: ['used', 'use', 'gave', 'give', 'inject*', 'took', 'had to use', 'usar', 'use', 'puse', 'inyect*', 'aplique', 'aplico'] },
  epinephrine: { terms: ['epipen', 'epi pen', 'epinephrine', 'adrenaline', 'auto injector', 'autoinjector', 'epinefrina', 'adrenalina'] },
  throatOrTongue: { terms: ['throat', 'tongue', 'airway', 'garganta', 'lengua'] },
  swellingOrClosing: {
    terms: ['swell*', 'swollen', 'closing', 'close up', 'closing up', 'tight', 'tightness', 'thick', 'puffy', 'cerrando', 'cierra', 'cerrada', 'hinch*', 'inflamad*', 'apretad*'],
  },
  /** A sore throat with swollen glands is an infection, not a closing airway. */
  throatInfection: { terms: ['sore', 'strep', 'gland*', 'tonsil*', 'amigdal*', 'ganglio*', 'cold', 'flu', 'resfriado', 'gripe'] },
  lipsOrFace: { terms: ['lip', 'lips', 'face', 'eyes', 'labio', 'labios', 'cara', 'ojos', 'parpados'] },
  swollen: { terms: ['swell*', 'swollen', 'puffy', 'hinch*', 'inflamad*'] },
  allergen: {
    terms: [
      'allerg*', 'reaction', 'sting*', 'stung', 'bee', 'wasp', 'hornet', 'peanut*', 'nut', 'nuts', 'cashew*', 'shellfish', 'shrimp',
      'ate', 'eating', 'after taking', 'antibiotic*', 'penicillin', 'hives', 'the shot', 'alergi*', 'alergic*', 'reaccion', 'picadura',
      'pico', 'abeja', 'avispa', 'mani', 'cacahuate*', 'mariscos', 'camaron*', 'comer', 'comi',
    ],
  },
  hives: { terms: ['hives', 'welts', 'ronchas', 'urticaria'] },
  systemic: { terms: ['faint*', 'dizzy', 'lightheaded', 'vomit*', 'pass out', 'passed out', 'mareo', 'mareado', 'mareada', 'desmay*'] },
  cannotSwallow: { terms: ['hard to swallow', 'can not swallow', 'trouble swallowing', 'difficulty swallowing', 'no puedo tragar', 'no puede tragar'] },

  // --- vision and balance (BE-FAST)
  visionLoss: {
    terms: [
      'lost vision', 'lost my vision', 'loss of vision', 'lost sight', 'lost my sight', 'vision loss', 'went blind', 'gone blind', 'blind in',
      'double vision', 'seeing double', 'see double', 'curtain', 'vision went black', 'vision went dark', 'perd* vista', 'perdida de vision',
      'vision doble', 'veo doble', 'quede ciego', 'quede ciega', 'cortina',
    ],
  },
  eye: { terms: ['eye', 'vision', 'sight', 'ojo', 'vista', 'vision'] },
  eyeLoss: { terms: ['lost', 'loss', 'blind', 'black', 'dark', 'double', 'can not see', 'perd*', 'doble', 'cieg*', 'no veo', 'no puedo ver', 'negro', 'oscur*'] },
  /** Glasses, blur: a check-up question rather than sudden vision loss. */
  glasses: { terms: ['glasses', 'contacts', 'contact lenses', 'prescription', 'blurry', 'reading', 'lentes', 'anteojos', 'gafas', 'borros*'] },
  sudden: { terms: ['sudden*', 'all of a sudden', 'out of nowhere', 'de repente', 'de golpe', 'repentin*', 'derepente'] },
  balanceLoss: {
    terms: [
      'lost balance', 'loss of balance', 'lose balance', 'losing balance', 'can not keep balance', 'off balance', 'falling to one side',
      'trouble walking', 'can not walk straight', 'unsteady', 'stumbling', 'perd* equilibrio', 'perdida de equilibrio', 'no puedo caminar derecho',
      'no puedo caminar bien', 'sin equilibrio',
    ],
  },

  // --- crisis (988)
  suicidal: {
    terms: [
      'suicid*', 'kill myself', 'killing myself', 'end my life', 'ending my life', 'end it all', 'take my own life', 'take my life',
      'not want to live', 'not want to be alive', 'not want to be here', 'not want to wake up', 'want to die', 'wanna die', 'wish i was dead',
      'wish i were dead', 'better off dead', 'better off without me', 'no reason to live', 'not worth living', 'hurt myself', 'hurting myself',
      'harm myself', 'harming myself', 'self harm', 'self harming', 'cutting myself', 'cut myself on purpose', 'overdos*', 'took all my pills',
      'whole bottle of pills', 'suicid*', 'matarme', 'quitarme la vida', 'no quiero vivir', 'quiero morir*', 'acabar con mi vida',
      'acabar con todo', 'hacerme dano', 'lastimarme', 'cortarme', 'mejor muerto', 'mejor muerta', 'no vale la pena vivir', 'sobredosis',
    ],
  },
  tookPills: { terms: ['took', 'swallowed', 'pills', 'tome', 'pastillas'] },
  onPurpose: { terms: ['on purpose', 'intentionally', 'a proposito', 'adrede'] },

  // --- abdomen (in person)
  abdomen: {
    terms: [
      'stomach', 'belly', 'abdomen', 'abdominal', 'tummy', 'gut', 'belly button', 'navel', 'lower right side', 'lower left side',
      'lower right', 'lower left', 'right lower side', 'estomago', 'barriga', 'panza', 'vientre', 'ombligo', 'boca del estomago',
    ],
    except: ['stomach bug', 'upset stomach'],
  },
  abdominalQuality: { terms: [...PAIN_WORDS, 'killing me', 'colic*', 'retortijon*', 'colico*'] },
  abdominalPainTerm: { terms: ['stomachache', 'bellyache', 'tummyache', 'appendicitis', 'apendicitis', 'dolor abdominal', 'abdominal pain'] },

  // --- other doubts
  faint: { terms: ['faint*', 'passed out', 'pass out', 'blacked out', 'collaps*', 'unconscious', 'desmay*', 'perd* conocimiento'] },
  bloodUp: { terms: ['vomiting blood', 'throwing up blood', 'coughing up blood', 'cough up blood', 'vomito con sangre', 'vomitando sangre', 'tosiendo sangre'] },
} as const satisfies Record<string, Concept>;

export type ConceptName = keyof typeof CONCEPTS;
