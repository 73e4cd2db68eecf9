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
  /** Intensity words that, beside a body site, make an unplaced complaint worth a look. */
  severeWord: { terms: ['severe', 'extreme', 'terrible', 'horrible', 'awful', 'unbearable', 'worst', 'intense', 'agonizing', 'fuerte', 'terrible', 'horrible', 'insoportable', 'intenso', 'intensa'] },
  urgentWords: { terms: ['emergency', 'urgent', 'ambulance', '911', 'er', 'emergencia', 'urgente', 'ambulancia', 'urgencias'] },

  // --- chest (heart-attack warning signs)
  ribs: { terms: ['ribs', 'rib', 'costillas'] },
  chestQualityStrong: { terms: ['pressure', 'heavy', 'heaviness', 'weight', 'tight', 'tightness', 'tightening', 'squeez*', 'crush*', 'belt', 'band', 'vise', 'vice', 'pressing', 'presion', 'opresion', 'aprieta', 'apret*', 'aplast*'] },
  chestSite: { terms: ['chest', 'ticker', 'breastbone', 'breast bone', 'sternum', 'ribcage', 'rib cage', 'heart', 'pecho', 'torax', 'esternon', 'corazon'], except: ['heart rate', 'heart medication', 'heart medicine', 'heart pills', 'heart doctor', 'heart healthy', 'heart health', 'broken heart', 'heartbroken', 'chest congestion', 'chest cold', 'chest xray', 'chest x ray', 'chest cough'] },
  chestQuality: {
    terms: [
      ...PAIN_WORDS, 'pressure', 'heavy', 'heaviness', 'weight', 'tight', 'tightness', 'squeez*', 'crush*', 'elephant', 'sitting on',
      'burning', 'band', 'fullness', 'presion', 'opresion', 'apret*', 'pesadez', 'peso', 'aplast*', 'ardor',
      'clench*', 'grip*', 'vise', 'vice', 'constrict*', 'compress*', 'standing on', 'stab*', 'pinch*', 'strain*', 'tightening', 'tighter',
      'heavier', 'weigh*', 'killing me', 'belt', 'brick', 'stone', 'rock', 'piedra', 'ladrillo', 'punz*', 'pressing', 'pressing down', 'pushing', 'push* down', 'throbbing', 'oprim*', 'pesad*', 'quema', 'arde', 'aprieta', 'me esta matando',
    ],
  },
  heartAttack: { terms: ['someone sitting on me', 'someone standing on me', 'elephant sitting', 'elephant on', 'heart attack', 'cardiac arrest', 'angina', 'infarto', 'ataque al corazon', 'ataque cardiaco'] },
  radiates: { terms: ['radiat*', 'spread*', 'going down', 'goes down', 'shooting down', 'shoots', 'travels', 'down my', 'going to', 'goes to', 'going into', 'goes into', 'up to', 'into my', 'up my', 'up into', 'through to', 'se pasa', 'se corre', 'se extiende', 'irradia*', 'baja por', 'se va al', 'se va a', 'hasta'] },
  armOrJaw: { terms: ['arm', 'jaw', 'left shoulder', 'brazo', 'mandibula', 'quijada', 'hombro izquierdo'] },

  // --- breathing
  breath: { terms: ['breath', 'breathe', 'breathing', 'breaths', 'air', 'oxygen', 'lungs', 'inhal*', 'respir*', 'aire', 'aliento'], except: ['bad breath', 'breath smells', 'breath stinks', 'smelly breath', 'breath mint*', 'mal aliento', 'air conditioning', 'air conditioner', 'air purifier', 'air quality', 'fresh air'] },
  breathTrouble: {
    terms: [
      'short', 'shortness', 'hard', 'harder', 'hardly', 'difficult', 'difficulty', 'trouble', 'struggl*', 'can not', 'unable', 'not able', 'barely',
      'labored', 'laboured', 'catch', 'enough', 'gasp*', 'dificultad', 'cuesta', 'no puedo', 'no puede', 'falta', 'no me entra', 'no le entra',
      'fast', 'rapid', 'quick', 'heaving', 'grunt*', 'noisy', 'shallow', 'stopping for', 'stop for', 'pause*', 'fight*',
      'pant*', 'gulp*', 'hungry for', 'out of', 'winded', 'straw', 'through a straw', 'need a breath', 'words at a time', 'words before',
      'not go in', 'not going in', 'not get in', 'will not go', 'stuck', 'sentence', 'bad', 'really bad', 'terrible', 'awful', 'worse', 'worst',
      'effort', 'hard work', 'working hard', 'esfuerzo', 'agarrar', 'mal', 'muy mal', 'rapid*', 'agitad*', 'dificil', 'trabajo', 'se detiene', 'para de',
    ],
  },
  airHunger: { terms: ['gasping', 'choking', 'suffocat*', 'drowning', 'short of breath', 'out of breath', 'breathless', 'shortness of breath', 'sob', 'air hunger', 'nostrils flaring', 'flaring nostrils', 'nostrils are flaring', 'nose flaring', 'ribs pull*', 'ribs suck*', 'sucking in', 'retraction*', 'head bobbing', 'grunting', 'me ahogo', 'se ahoga', 'ahogando', 'ahogo', 'asfixi*', 'falta de aire', 'me falta el aire', 'le falta el aire', 'sin aire', 'tiraje', 'aleteo nasal', 'not breathing', 'winded', 'not getting enough air', 'not getting air', 'turning blue', 'turning gray', 'turning grey', 'going blue', 'going gray', 'se esta poniendo morad*', 'se puso azul', 'se puso morad*', 'stopped breathing', 'stopping breathing', 'stop breathing', 'pauses in breathing', 'huffing and puffing', 'panting', 'can not stop panting', 'no air', 'not enough air', 'no aire', 'sin aire', 'hunden las costillas', 'se le hunden', 'costillas se hunden', 'se le marcan las costillas', 'stops breathing', 'no respira', 'dejo de respirar'], except: ['breathing in my sleep', 'breathing in his sleep', 'breathing in her sleep', 'breathing at night', 'breathing while i sleep', 'breathing when i sleep', 'short of breath when i exercise', 'out of breath after running'] },
  blueSkin: { terms: ['lips', 'lip', 'face', 'fingertips', 'fingernails', 'labios', 'cara', 'unas'] },
  blueColour: { terms: ['blue', 'bluish', 'purple', 'gray', 'grey', 'azul*', 'morad*'] },
  wheeze: { terms: ['wheez*', 'whistl*', 'silbido*'] },

  // --- stroke (BE-FAST)
  face: { terms: ['face', 'mouth', 'smile', 'eyelid', 'lip', 'cara', 'boca', 'sonrisa', 'labio', 'rostro'] },
  droop: {
    terms: ['droop*', 'sag*', 'torci*', 'lopsided', 'uneven', 'crooked', 'slant*', 'twisted', 'fallen', 'pulled down', 'pulling down', 'pulled to one side', 'hanging', 'dropped', 'can not smile', 'could not smile', 'numb', 'numbness', 'paraly*', 'will not close', 'can not close', 'no cierra', 'no se cierra', 'durmi*', 'duerm*', 'caido', 'caida', 'se cayo', 'cayo', 'torcida', 'chueca', 'colgad*', 'dormid*', 'paraliz*', 'adormecid*', 'entumid*'],
  },
  limb: { terms: ['arm', 'leg', 'hand', 'arms', 'legs', 'brazo', 'pierna', 'mano'] },
  weakness: {
    terms: [
      'weak', 'weakness', 'numb', 'numbness', 'can not lift', 'will not lift', 'can not move', 'can not raise', 'can not grip', 'can not feel',
      'limp', 'dead', 'paraly*', 'no puedo levantar', 'no puedo mover', 'no puede mover', 'no puede levantar', 'no responde', 'debil',
      'debilidad', 'adormecid*', 'entumid*', 'dormid*', 'paraliz*', 'sin fuerza',
      'gave out', 'giving out', 'gives out', 'gave way', 'clumsy', 'drag*', 'flop*', 'useless', 'will not work', 'not working',
      'can not hold', 'keeps dropping', 'dropping things', 'drops things', 'can not use', 'lost feeling', 'no feeling', 'no strength',
      'durmi*', 'duerm*', 'no mueve', 'no la mueve', 'no lo mueve', 'no puedo mover', 'no siento', 'no sient*',
      'lost strength', 'losing strength', 'will not grip', 'will not hold', 'will not move', 'would not move', 'does not move', 'not moving', 'hangs', 'hanging', 'just hangs', 'hangs limp', 'cuelga', 'colgando', 'could not move', 'could not lift', 'could not feel', 'unable to move', 'unable to lift', 'unable to feel', 'dead weight', 'no pude mover',
    ],
  },
  oneSide: {
    terms: ['one side', 'side of my body', 'side of his body', 'side of her body', 'side of the body', 'side of my face', 'side of his face', 'side of her face', 'half my body', 'half my face', 'half of my', 'half of his', 'half of her', 'half his', 'half her', 'left side', 'right side', 'whole left', 'whole right', 'un lado', 'lado izquierdo', 'lado derecho', 'mitad del cuerpo', 'mitad de la cara', 'mitad de su', 'medio cuerpo', 'la mitad'],
  },
  stroke: { terms: ['stroke', 'mini stroke', 'derrame cerebral', 'embolia', 'ictus', 'accidente cerebrovascular'], except: ['heat stroke', 'golpe de calor'] },
  /** Pain or an injury beside a limb that will not move: more likely a sprain than a stroke. */
  injuryContext: { terms: [...PAIN_WORDS, 'sprain*', 'strain*', 'injur*', 'fell', 'fall', 'gym', 'workout', 'lesion', 'golpe', 'torcedura', 'esguince'] },

  // --- speech (BE-FAST)
  speech: { terms: ['speech', 'speak*', 'talk*', 'word*', 'sentence*', 'saying', 'say', 'says', 'habl*', 'palabra*', 'lengua', 'pronunci*', 'decir'] },
  speechNarrow: { terms: ['speech', 'speaking', 'words out', 'habla'] },
  speechTrouble: {
    terms: [
      'slur*', 'garbl*', 'jumbl*', 'mumbl*', 'come out wrong', 'coming out wrong', 'not make sense', 'not making sense', 'can not get',
      'can not find', 'can not speak', 'can not talk', 'funny', 'drunk', 'not understand', 'arrastr*', 'trab*', 'enredad*', 'no puedo',
      'no puede', 'no se le entiende', 'no se entiende', 'rara', 'raro',
      'gibberish', 'nonsense', 'thick', 'blurry', 'slurry',  'not real words', 'made up words', 'fake words', 'not coming out', 'not come out', 'not comes out', 'not coming out right', 'off', 'heavy', 'borracho', 'borracha', 'balbuce*', 'nothing she says', 'nothing he says', 'nothing i say', 'makes no sense', 'make no sense', 'can not form', 'could not form', 'can not make sentences', 'can not put together', 'mixed up', 'mixing up', 'mix up', 'mixes up', 'wrong word*', 'come out', 'comes out', 'coming out',
      'hard to understand', 'can not understand', 'nobody can understand', 'understand him', 'understand her', 'weird', 'strange', 'scrambled',
      'mess* up', 'no le salen', 'no me salen', 'no salen', 'no le sale', 'no se le entiende', 'no entiende', 'incoherent*', 'sin sentido',
    ],
  },
  speechTroubleWeak: { terms: ['trouble', 'difficulty', 'hard', 'problem*', 'dificultad'] },
  talkTo: { terms: ['talk about', 'talk to', 'speak to', 'speak with', 'talk with', 'talk it', 'talk things', 'hablar con', 'hablar sobre'] },
  /** Speech trouble in one phrase: slurring, gibberish, "sounds drunk". */
  speechAlone: { terms: ['is mumbling', 'keeps mumbling', 'mumbling nonsense', 'tongue feels heavy', 'heavy tongue', 'tongue is heavy', 'thick tongue', 'lengua pesada', 'lengua trabada', 'como borracho', 'como borracha', 'balbucea', 'slurring', 'slurred', 'slurry', 'gibberish', 'word salad', 'aphasia', 'sounds drunk', 'sound drunk', 'sounds like she is drunk', 'sounds like he is drunk', 'talking nonsense', 'speaking nonsense', 'habla arrastrada', 'arrastra las palabras', 'habla enredado', 'habla enredada'] },

  // --- seizure
  seizure: {
    except: ['seizure medication', 'seizure medications', 'seizure meds', 'seizure med', 'seizure medicine', 'seizure pills', 'seizure drug', 'seizure drugs', 'anti seizure', 'antiseizure', 'seizure free', 'seizure action plan', 'seizure prescription'],
    terms: ['seiz*', 'convul*', 'epileptic', 'epilepsy attack', 'grand mal', 'had a fit', 'having a fit', 'fitting', 'kind of fit', 'ataque epileptico', 'crisis epileptica', 'convulsion*', 'convulsionando', 'tonic clonic', 'febrile fit'],
  },
  lostConsciousness: {
    terms: ['blacked out', 'black out', 'passed out', 'pass out', 'faint*', 'collaps*', 'unconscious', 'lost consciousness', 'desmay*', 'perd* conocimiento', 'inconsciente'],
  },
  shaking: { terms: ['shak*', 'jerk*', 'twitch*', 'stiff*', 'rigid', 'tembl*', 'sacud*', 'convuls*', 'thrash*', 'spasm*', 'flail*'] },

  seizureMotion: { terms: ['jerk*', 'shaking', 'shook', 'thrash*', 'twitch*', 'convuls*', 'tembl*', 'sacud*', 'spasm*', 'flail*'] },
  seizureSign: {
    terms: [
      'unresponsive', 'not responding', 'not respond*', 'eyes rolled', 'eyes rolling', 'rolled back', 'roll back', 'foam*', 'bit his tongue',
      'bit her tongue', 'bit my tongue', 'bit tongue', 'bit the tongue', 'biting', 'wet himself', 'wet herself', 'wet myself', 'peed himself',
      'peed herself', 'peed myself', 'lost control of', 'whole body', 'uncontrollab*', 'fell to the ground', 'fell to the floor', 'on the floor',
      'collaps*', 'passed out', 'blacked out', 'lost consciousness', 'unconscious', 'staring', 'stared', 'went blank', 'blanked out',
      'on the ground', 'fell down', 'dropped to', 'ojos para atras', 'se le fueron los ojos', 'ojos volteados', 'en el suelo', 'en el piso', 'blanking out', 'zoned out', 'spaced out', 'staring spell', 'unaware', 'ojos en blanco', 'espuma', 'no responde', 'todo el cuerpo', 'se mordio', 'se orino', 'rigida', 'rigido', 'tieso',
      'tiesa', 'se puso rigid*', 'se desmayo',
    ],
  },
  seizureTone: { terms: ['were stiff', 'was stiff', 'became stiff', 'body stiff', 'went stiff', 'stiffened', 'stiffening', 'stiff as', 'went rigid', 'rigid*', 'tensed up', 'arched', 'se puso rigid*', 'se puso ties*', 'tieso', 'tiesa', 'rigida', 'rigido'] },
  fitWord: { terms: ['fit', 'fits', 'ataque', 'episode', 'spell'] },
  notSeizure: { terms: ['chill*', 'cold', 'anxiety', 'anxious', 'nervous', 'panic', 'tremor*', 'escalofrio*', 'frio', 'ansiedad', 'nervios', 'panico', 'coughing', 'laugh*', 'hiccup*', 'tantrum', 'rabieta'], except: ['cold sweat', 'cold sweats', 'cold and clammy', 'went cold'] },
  unresponsive: { terms: ['unresponsive', 'not responding', 'will not wake', 'can not wake', 'can not be woken', 'no responde', 'no despierta'] },

  // --- head injury (CDC HEADS UP)
  knockedOut: { terms: ['concuss*', 'knocked out', 'knocked unconscious', 'knocked me out', 'conmocion', 'noquead*'] },
  hit: { terms: ['hit', 'hits', 'hitting', 'punch*', 'kick*', 'elbowed', 'assault*', 'beaten', 'bump*', 'bang*', 'smack*', 'slam*', 'smash*', 'struck', 'knock*', 'whack*', 'bonk*', 'conk*', 'fell on', 'landed on', 'blow to', 'ball to', 'to the', 'headbutt*', 'collid*', 'golpe*', 'pego', 'pegue', 'pegaron', 'choc*', 'di un golpe'] },
  head: { terms: ['head', 'skull', 'cabeza', 'craneo'] },
  headInjury: { terms: ['head injury', 'head trauma', 'head wound', 'traumatismo craneal', 'golpe en la cabeza'] },
  headDangerSign: {
    terms: [
      'blacked out', 'passed out', 'lost consciousness', 'unconscious', 'vomit*', 'throwing up', 'threw up', 'throw up', 'confus*',
      'drowsy', 'sleepy', 'can not stay awake', 'can not wake', 'can not remember', 'not remember', 'memory', 'pupil*', 'headache getting worse',
      'worse headache', 'confundid*', 'somnolient*', 'no recuerda', 'no se acuerda', 'perd* conocimiento', 'desmay*', 'vomit*',
      'can not think straight', 'can not think clearly', 'keeps falling asleep', 'falling asleep', 'dozing off', 'headache that keeps getting worse', 'headache keeps getting worse', 'headache is getting worse', 'worsening headache', 'puk*', 'barf*', 'same question*', 'repeating', 'repeats himself', 'repeats herself', 'keeps asking', 'acting strange', 'acting weird',
      'not acting', 'foggy', 'out of it', 'dazed', 'not making sense', 'stay awake', 'hard to wake', 'will not wake', 'seeing double',
      'double vision', 'slurr*', 'seizure', 'agitated', 'dormid*', 'muy dormido', 'muy dormida', 'vomito', 'vomitando', 'no despierta',
      'pupil', 'knocked out', 'blacked out', 'lost conscious*',
    ],
  },

  // --- fever with rash (glass test)
  fever: {
    terms: ['fever', 'feverish', 'febrile', 'high temperature', 'high temp', 'running a temperature', 'running a temp', 'temperature of', 'temp of', 'temp #num', 'temperature #num', 'burning up', 'hot to the touch', 'hot to touch', 'is hot', 'feels hot', 'so hot', 'a temp', 'has a temp', 'high temp', 'very hot', 'burning hot', 'esta caliente', 'muy caliente', 'temp is', 'temperature is', 'fiebre', 'calentura', 'temperatura alta', 'temperatura', 'febril', 'ardiendo en fiebre', 'esta ardiendo'],
    except: ['hay fever', 'fiebre del heno'],
  },
  rash: { terms: ['rash', 'spots', 'spotty', 'dots', 'marks', 'bumps', 'blotch*', 'splotch*', 'patches', 'welts', 'hives', 'petechia*', 'purpura', 'bruises', 'bruising', 'pinprick*', 'pin prick', 'sarpullido', 'salpullido', 'erupcion', 'roncha*', 'mancha*', 'manchit*', 'puntit*', 'puntos', 'granit*', 'moreton*'], except: ['spots in my vision', 'dark spots', 'age spots', 'sun spots', 'stretch marks'] },
  nonBlanching: { terms: ['not blanch', 'non blanching', 'nonblanching', 'glass test'] },
  notFading: { terms: ['not fade', 'not go away', 'not disappear', 'still there', 'no desaparece', 'no se quita', 'no se va'] },
  pressing: { terms: ['press*', 'glass', 'presion*', 'apret*', 'vaso'] },

  // --- bleeding
  vomitOrCough: { terms: ['vomit*', 'throw* up', 'threw up', 'puk*', 'cough*', 'spit*', 'vomito', 'vomitando', 'tosiendo', 'escupiendo', 'tos'] },
  wound: { terms: ['cut', 'cuts', 'wound', 'gash', 'laceration', 'slash*', 'sliced', 'stab*', 'corte', 'cortada', 'herida', 'tajo'] },
  flowStrong: { terms: ['gush*', 'spurt*', 'squirt*', 'pouring', 'pours', 'pumping', 'pulsing', 'a chorros', 'chorrea*', 'borbot*'] },
  soakThrough: { terms: ['soak*', 'through', 'filling', 'fill*', 'empapa*', 'traspasa*'] },
  dressing: { terms: ['pad', 'pads', 'tampon*', 'towel*', 'bandage*', 'gauze', 'shirt', 'toalla*', 'venda*', 'gasa*'] },
  bleeding: {
    terms: ['bleed*', 'hemorrhag*', 'haemorrhag*', 'nosebleed*', 'sangra', 'sangrando', 'sangrado', 'sangrar', 'hemorragia'],
    except: ['bleeding gums when brushing', 'bleeding gums', 'gums bleed', 'gums bleeding'],
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
      'empapa*', 'abundante', 'will not stop', 'keeps coming', 'keeps going', 'running down', 'dripping', 'pulsing', 'pumping',
      'clots', 'clot', 'coagulos', 'through three', 'through two', 'puddle', 'nonstop', 'non stop', 'full of', 'badly', 'really bad', 'through my', 'through his', 'through her', 'massive', 'huge', 'will not quit', 'not quit', 'like crazy', 'like a faucet', 'a ton', 'tons of', 'for #num minutes', 'over #num minutes', 'for #num min', 'for hours', 'for an hour', 'all day', 'sin parar',
    ],
  },

  // --- burns
  burn: { terms: ['burn', 'burns', 'burned', 'burnt', 'charred', 'scald*', 'quem*'], except: ['sunburn', 'heartburn', 'razor burn', 'burn when i pee', 'burns when i pee', 'burning when i pee', 'burns when i urinate', 'quema al orinar', 'ardor al orinar'] },
  burnSevere: {
    terms: [
      'white', 'leathery', 'char*', 'black*', 'bigger than', 'larger than', 'size of', 'big', 'large', 'huge', 'whole', 'entire',
      'chemical', 'electric*', 'third degree', '3rd degree', 'deep', 'not hurt', 'not even hurt', 'severe', 'serious', 'face', 'both hands',
      'groin', 'genital*', 'carboniz*', 'negra', 'negro', 'blanca', 'mas grande', 'grande', 'quimic*', 'electric*', 'tercer grado',
      'profunda', 'grave', 'cara', 'bad', 'badly', 'really bad',
      'blister*', 'peel*', 'skin came off', 'skin is coming off', 'raw', 'can not feel', 'numb', 'boiling', 'hot oil', 'grease', 'fire',
      'flame*', 'explosion', 'firework*', 'acid', 'bleach', 'lye', 'drain cleaner', 'half', 'all over', 'covering', 'chest', 'back',
      'ampolla*', 'se levanto la piel', 'piel levantada', 'se me levanto', 'hirviendo', 'aceite', 'fuego', 'toda', 'todo',
    ],
  },

  burnCause: {
    except: ['fire ant', 'fire ants', 'acid reflux', 'stomach acid', 'acid indigestion', 'uric acid', 'folic acid', 'hyaluronic acid', 'salicylic acid', 'glycolic acid', 'acid peel', 'acido urico', 'acido folico', 'reflujo'],
    terms: [
      'boiling', 'scald*', 'hot oil', 'hot water', 'hot grease', 'caught fire', 'in a fire', 'from a fire', 'the fire', 'a fire', 'house fire', 'on fire', 'flame*', 'chemical', 'acid', 'bleach', 'lye',
      'drain cleaner', 'oven cleaner', 'electric*', 'electrocut*', 'power line', 'live wire', 'lightning', 'firework*', 'explosion', 'exploded', 'hirviendo', 'aceite caliente', 'fuego', 'quimic*', 'acido', 'cloro',
    ],
  },
  /** Hot things that burn small as often as large: serious with a sign of extent or depth. */
  onBody: { terms: ['me cayo', 'le cayo', 'cayo encima', 'me echo', 'le echo', 'on himself', 'on herself', 'on myself', 'on me', 'on him', 'on her', 'on my', 'on his', 'on the baby', 'all over', 'encima', 'se le cayo', 'se echo', 'se me cayo', 'sobre'] },
  burnCauseHot: { terms: ['iron', 'stove', 'oven', 'pan', 'grill', 'kettle', 'curling iron', 'hot', 'radiator', 'steam', 'stovetop', 'plancha', 'estufa', 'horno', 'sarten', 'vapor', 'caliente'] },
  burnInjury: {
    terms: [
      'blister*', 'peel*', 'skin came off', 'skin coming off', 'skin is coming off', 'skin fell off', 'white', 'leathery', 'char*', 'black',
      'raw', 'burn', 'burns', 'burned', 'burnt', 'ampolla*', 'se levanto la piel', 'piel levantada', 'se le levanto la piel', 'se me levanto la piel', 'quem*',
    ],
    except: ['heartburn'],
  },
  corrosive: { terms: ['chemical', 'acid', 'bleach', 'lye', 'drain cleaner', 'oven cleaner', 'ammonia', 'quimic*', 'acido', 'cloro'] },
  eyeOrFace: { terms: ['eye', 'eyes', 'face', 'ojo', 'ojos', 'cara'] },
  sunContext: { terms: ['sun', 'sunburn', 'tanning', 'beach', 'sol', 'playa', 'slightly', 'small', 'minor', 'mild', 'tiny', 'little', 'a bit', 'pequena', 'pequeno', 'un poco', 'poquito', 'leve'] },

  // --- broken bones and dislocations
  trauma: { terms: ['crash*', 'accident', 'collision', 'windshield', 'windscreen', 'steering wheel', 'dashboard', 'whiplash', 'fell off', 'fell down', 'fell from', 'fall from', 'knocked down', 'hit by', 'assault*', 'beaten', 'punched', 'accidente', 'choque', 'me cai', 'se cayo'] },
  inhaler: { terms: ['inhaler', 'nebulizer', 'puffer', 'albuterol', 'rescue inhaler', 'inhalador', 'nebulizador'] },
  injuryEvent: { terms: ['snap*', 'crack*', 'pop', 'popped', 'fell', 'fall', 'tripped', 'twisted', 'rolled', 'landed', 'crash*', 'accident', 'hit by', 'me cai', 'se cayo', 'cai', 'choque', 'torci', 'tronido', 'crujido'] },
  cannotBearWeight: {
    terms: [
      'can not walk', 'could not walk', 'can not stand', 'can not get up', 'could not get up', 'can not put weight', 'can not put any weight', 'can not bear weight', 'can not stand on', 'can not walk on', 'can not move it',
      'can not move my', 'can not use my', 'unable to walk', 'unable to move', 'no puedo apoyar', 'no la puedo mover', 'no lo puedo mover',
      'no puedo mover', 'no puede mover', 'no puede apoyar',
    ],
  },
  injurySound: { terms: ['heard a snap', 'heard a crack', 'heard a pop', 'felt a snap', 'felt a crack', 'felt a pop', 'snapped', 'cracked', 'crack', 'snap', 'tronido', 'crujido', 'crujio', 'trono'] },
  bone: { terms: ['bone', 'hueso'] },
  boneOut: { terms: ['hueso salido', 'hueso de fuera', 'hueso afuera', 'sticking out', 'poking out', 'poking through', 'through the skin', 'protrud*', 'can see', 'see the', 'showing', 'se ve', 'sale', 'salido', 'afuera', 'compound', 'exposed'] },
  limbOrJoint: {
    terms: ['arm', 'leg', 'wrist', 'ankle', 'finger', 'toe', 'shoulder', 'knee', 'knee cap', 'elbow', 'hip', 'hand', 'foot', 'collarbone', 'forearm', 'shin', 'pinky', 'thumb', 'kneecap', 'femur', 'thigh', 'antebrazo', 'espinilla', 'brazo', 'pierna', 'muneca', 'tobillo', 'dedo', 'hombro', 'rodilla', 'codo', 'cadera', 'mano', 'pie', 'clavicula'],
  },
  deformed: {
    terms: [
      'strange angle', 'weird angle', 'wrong angle', 'odd angle', 'funny angle', 'wrong way', 'bent', 'deform*', 'misshapen', 'crooked',
      'out of place', 'popped out', 'out of socket', 'out of joint', 'pointing the wrong', 'dislocat*', 'fuera de lugar', 'de lugar', 'salio',
      'zafo', 'zafado', 'deforme', 'chueco', 'chueca', 'dislocad*',
      'wrong direction', 'facing the wrong', 'sticking out', 'poking out', 'moved to the side', 'moved out', 'shifted', 'slid out', 'out of position', 'dinner fork', 'looks like a fork', 'looks wrong', 'looks weird', 'looks funny', 'looks odd', 'looks strange', 'hanging funny', 'hanging weird', 'hanging wrong', 'hanging down',
      'bent backwards', 'backwards', 'se ve raro', 'se ve chueco', 'out of shape', 'sideways', 'bent back', 'wonky', 'odd shape', 'wrong shape', 'bump where', 'lump where', 'slipped out', 'came out',
      'pops out', 'deformad*', 'torcid*', 'se salio', 'se zafo', 'fuera de su lugar',
    ],
  },
  broken: { terms: ['broke', 'broken', 'break', 'fractur*', 'snapped', 'cracked', 'shatter*', 'roto', 'rota', 'quebr*', 'rompi*', 'fractur*'] },
  dislocation: { terms: ['dislocat*', 'dislocad*', 'luxacion'] },

  // --- anaphylaxis
  anaphylaxis: { terms: ['anaphyla*', 'anafila*', 'severe allergic reaction', 'serious allergic reaction', 'reaccion alergica grave', 'reaccion alergica severa', 'reaccion alergica fuerte'] },
  gaveEpinephrine: { terms: ['used', 'use', 'gave', 'give', 'inject*', 'took', 'had to use', 'usar', 'use', 'puse', 'inyect*', 'aplique', 'aplico'] },
  epinephrine: { terms: ['epipen', 'epi pen', 'epinephrine', 'adrenaline', 'auto injector', 'autoinjector', 'epinefrina', 'adrenalina'] },
  throatOrTongue: { terms: ['throat', 'tongue', 'airway', 'garganta', 'lengua'] },
  swellingOrClosing: {
    terms: ['swell*', 'swollen', 'closing', 'close up', 'closing up', 'tight', 'tightness', 'thick', 'puff*', 'cerrando', 'cierra', 'cerrada', 'hinch*', 'inflamad*', 'apretad*', 'narrow*', 'blocked'],
  },
  /** A sore throat with swollen glands is an infection, not a closing airway. */
  throatInfection: { terms: ['sore', 'strep', 'gland*', 'tonsil*', 'amigdal*', 'ganglio*', 'cold', 'flu', 'resfriado', 'gripe'] },
  lipsOrFace: { terms: ['lip', 'lips', 'face', 'mouth', 'tongue', 'throat', 'labio', 'labios', 'cara', 'boca', 'lengua', 'garganta'] },
  swollen: { terms: ['swell*', 'swollen', 'puff*', 'blow* up', 'huge', 'enormous', 'fat', 'twice the size', 'double the size', 'hinch*', 'inflamad*', 'enorme*'] },
  allergen: {
    terms: [
      'allerg*', 'reaction', 'sting*', 'stung', 'bee', 'wasp', 'hornet', 'peanut*', 'nut', 'nuts', 'cashew*', 'shellfish', 'shrimp',
      'ate', 'eating', 'after taking', 'antibiotic*', 'penicillin', 'hives', 'the shot', 'alergi*', 'alergic*', 'reaccion', 'picadura',
      'pico', 'abeja', 'avispa', 'mani', 'cacahuate*', 'mariscos', 'camaron*', 'comer', 'comi',
      'walnut*', 'almond*', 'pecan*', 'pistachio*', 'sesame', 'crab', 'lobster', 'shellfish', 'peanut butter', 'yellow jacket', 'fire ant*',
      'new medication', 'new medicine', 'new med', 'new meds', 'new pill', 'new drug', 'amoxicillin', 'sulfa', 'contrast', 'latex',
      'had some', 'medicamento nuevo', 'nueva medicina', 'despues de comer', 'nueces', 'picaron',
    ],
  },
  allergicWord: { terms: ['allerg*', 'alergic*', 'alergi*', 'reaction', 'reaccion'] },
  exposure: { terms: ['stung', 'sting', 'bee', 'wasp', 'hornet', 'ate', 'eating', 'after eating', 'had some', 'after taking', 'after the shot', 'picadura', 'pico', 'comi', 'comer', 'despues de'] },
  hives: { terms: ['hives', 'welts', 'itchy everywhere', 'itchy all over', 'itching all over', 'ronchas', 'urticaria', 'comezon en todo'] },
  systemic: { terms: ['faint*', 'dizzy', 'lightheaded', 'light headed', 'vomit*', 'throwing up', 'pass out', 'passed out', 'cough*', 'wheez*', 'short of breath', 'hoarse', 'throat', 'mareo', 'mareado', 'mareada', 'desmay*', 'tos', 'ronco', 'ronca', 'garganta'] },
  cannotSwallow: { terms: ['hard to swallow', 'can not swallow', 'trouble swallowing', 'difficulty swallowing', 'no puedo tragar', 'no puede tragar'] },

  // --- vision and balance (BE-FAST)
  eyeVague: { terms: ['weird', 'strange', 'funny', 'off', 'wrong', 'missing', 'shadow', 'curtain', 'flash*', 'spots', 'blurry', 'blurred', 'rara', 'raro', 'borros*', 'sombra'] },
  motionStrong: { terms: ['jerk*', 'convuls*', 'thrash*', 'flail*', 'sacud*'] },
  dizzyWord: { terms: ['dizzy', 'lightheaded', 'light headed', 'woozy', 'mareado', 'mareada', 'mareo'] },
  vertigo: { terms: ['spinning', 'spins', 'spin', 'vertigo', 'whirling', 'da vueltas', 'todo gira', 'gira todo', 'girando', 'vertigo'] },
  visionLoss: {
    terms: [
      'lost vision', 'lost my vision', 'loss of vision', 'lost sight', 'lost my sight', 'vision loss', 'went blind', 'gone blind', 'blind in',
      'double vision', 'seeing double', 'see double', 'curtain', 'vision went black', 'vision went dark', 'perd* vista', 'perdida de vision',
      'vision doble', 'veo doble', 'quede ciego', 'quede ciega', 'cortina',
      'blindness', 'sudden blind*', 'curtain came down', 'curtain went down', 'curtain coming down', 'curtain over', 'vision is fading', 'vision faded', 'vision fading', 'vision went down', 'two of everything', 'see two', 'seeing two', 'double', 'shadow over', 'half of what i see', 'part of my vision', 'lost part',
      'went dark', 'went black', 'went blank', 'blacked out vision', 'can not see anything', 'no veo nada', 'perdi la vista', 'todo doble',
    ],
  },
  eye: { terms: ['eye', 'vision', 'sight', 'everything i see', 'what i see', 'ojo', 'vista', 'vision'] },
  eyeLoss: { terms: ['lost', 'loss', 'fading', 'faded', 'fade', 'went down', 'blind', 'black', 'dark', 'double', 'can not see', 'gone', 'missing', 'shadow', 'cut off', 'nothing', 'perd*', 'doble', 'cieg*', 'no veo', 'no puedo ver', 'negro', 'oscur*', 'sombra'] },
  /** Glasses, blur: a check-up question rather than sudden vision loss. */
  glasses: { terms: ['glasses', 'contacts', 'contact lenses', 'prescription', 'blurry', 'reading', 'lentes', 'anteojos', 'gafas', 'borros*'] },
  sudden: { terms: ['sudden*', 'all of a sudden', 'all at once', 'out of nowhere', 'out of the blue', 'came on', 'just now', 'de repente', 'de golpe', 'de pronto', 'de la nada', 'repentin*', 'derepente'] },
  balanceLoss: {
    terms: [
      'lost balance', 'loss of balance', 'lose balance', 'losing balance', 'can not keep balance', 'off balance', 'falling to one side',
      'trouble walking', 'can not walk straight', 'unsteady', 'stumbling', 'perd* equilibrio', 'perdida de equilibrio', 'no puedo caminar derecho',
      'no puedo caminar bien', 'sin equilibrio', 'can not stand without', 'can not walk without', 'stand without falling', 'walk without falling',
      'leaning to one side', 'leaning to the side', 'leaning over', 'tilting', 'falling to the side', 'se va de lado', 'se ladea', 'can not get up', 'no me puedo levantar',
      'veering', 'keep falling', 'keeps falling', 'falling over', 'fall over', 'wobbly', 'can not stand', 'can not stand up', 'can not walk',
      'no me puedo parar', 'no puedo estar de pie', 'no puedo pararme', 'me caigo',
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
      'no point in living', 'no point living', 'no point in going on', 'not see the point', 'see no point', 'no reason to go on',
      'life is not worth', 'life not worth', 'not worth it anymore', 'happier if i was gone', 'happier if i were gone', 'better if i was gone',
      'better if i were gone', 'happier without me', 'better without me', 'if i was not here', 'if i were not here', 'if i was not around',
      'if i was dead', 'if i were dead', 'if i died', 'want to be gone', 'be gone forever', 'disappear forever', 'disappear for good',
      'never wake up', 'not wake up', 'sleep forever', 'end it', 'end things', 'end everything', 'ending it', 'ending things', 'taking my own life',
      'taking my life', 'unalive', 'want to be dead', 'ready to die', 'wish i could die', 'wish i was not alive', 'wish i were not alive',
      'pills saved', 'saved up pills', 'stockpil*', 'enough pills to', 'done with life', 'done living', 'tired of living', 'tired of being alive',
      'burn myself', 'burning myself', 'cut my wrists', 'slit my wrists', 'jump off', 'hang myself', 'shoot myself',
      'no tengo ganas de vivir', 'sin ganas de vivir', 'ganas de morir', 'me quiero morir', 'morirme', 'suicidarme', 'no quiero estar aqui',
      'no quiero existir', 'desaparecer para siempre', 'me corto brazos', 'me corto piernas', 'me corto munecas', 'me cortaba brazos', 'me cortaba piernas', 'me lastimo', 'me hago dano', 'mejor sin mi',
      'cansado de vivir', 'cansada de vivir', 'terminar con todo', 'quitarme la vida',
      'everything to end', 'it all to end', 'all to end', 'want it to be over', 'want it all over', 'cut my arms', 'cut my wrist*',
      'cutting my arms', 'cutting my wrist*', 'cut my thighs', 'cutting my thighs', 'took too many', 'too many pills', 'too many of my pills',
      'took a bunch of pills', 'took all of my', 'tome muchas pastillas', 'me tome todas', 'nobody would miss me', 'no one would miss me',
      'nadie me extranaria', 'nadie me va a extranar',
      'using it on myself', 'use it on myself', 'gun to my head', 'noose', 'not safe with myself', 'not safe around myself',
      'not feel safe with myself', 'not trust myself', 'goodbye letter', 'goodbye note', 'suicide note', 'saying goodbye to everyone',
      'say goodbye to everyone', 'giving away my things', 'giving away my stuff', 'researching ways', 'looking up ways', 'searching how to',
      'bought a gun', 'buying a gun', 'stop forever', 'end forever', 'make it all stop', 'think about dying', 'thinking of dying', 'think of dying',
      'dream about dying', 'fantasize about dying', 'no estoy segura conmigo', 'no estoy seguro conmigo', 'carta de despedida', 'despedirme de todos',
      'regalando mis cosas', 'pienso en morirme', 'pensando en matarme',
      'want #num die', 'rather die', 'would rather be dead', 'prefer to die', 'prefiero morir*', 'see a way out', 'not see a way out', 'not see any way out', 'no way out', 'only way out', 'except dying', 'jump in front of', 'step in front of', 'drive off a', 'crash my car on purpose',
      'life is pointless', 'want out of life', 'estar muert*', 'mejor muert*', 'better to be dead', 'rather be dead', 'cortandome', 'me estoy cortando', 'me he estado cortando', 'me sigo cortando',
      'me quiero matar', 'me voy a matar', 'quiero matarme', 'me mato', 'dejar de existir', 'no quiero existir', 'no le veo sentido', 'sin sentido la vida',
      'la vida no tiene sentido', 'no vale la pena', 'stop existing', 'not exist anymore', 'cease to exist', 'take all my pills', 'planning to take',
      'not want to be around', 'not be around anymore', 'no longer be here', 'life has no meaning', 'life is meaningless', 'no meaning',
      'kill herself', 'kill himself', 'kill themselves', 'killing herself', 'killing himself', 'end her life', 'end his life', 'hurt herself',
      'hurt himself', 'harm herself', 'harm himself', 'hurting herself', 'hurting himself', 'take her own life', 'take his own life',
      'matarse', 'suicidarse', 'quitarse la vida', 'hacerse dano',
      'thinking about dying', 'thoughts of dying', 'thoughts about dying', 'how to do it',
      'how i would do it', 'not want to go on', 'not want to keep living', 'not want to continue living', 'wish i could disappear',
      'want to disappear', 'just disappear', 'not come back', 'never come back', 'pensando en morir', 'pienso en morir', 'pienso en la muerte',
      'seguir viviendo', 'no quiero seguir', 'no quiero estar viva', 'no quiero estar vivo',
    ],
    except: ['suicide prevention', 'end it with', 'ending things with', 'end things with', 'end it early', 'die my hair', 'die her hair', 'die his hair'],
  },
  cutSelf: { terms: ['cut myself', 'cuts myself', 'cut herself', 'cut himself', 'burned myself', 'burn myself on purpose'] },
  accidental: {
    terms: [
      'shaving', 'cooking', 'accident*', 'by mistake', 'slipped', 'while', 'on a', 'on the', 'with the knife', 'kitchen', 'chopping', 'cutting',
      'glass', 'fence', 'paper', 'stove', 'oven', 'iron', 'pan', 'afeitando', 'cocinando', 'sin querer', 'vidrio', 'cuchillo',
    ],
  },
  tookPills: { terms: ['took', 'swallowed', 'pills', 'tome', 'pastillas'] },
  /** Words a clinician should read when they stand alone: hopelessness, being a burden, giving up. */
  despair: {
    terms: [
      'thoughts of death', 'thinking about death', 'hopeless', 'worthless', 'pointless', 'i want out', 'goodbye', 'bridge', 'train tracks', 'rope', 'razor', 'despedida', 'a burden', 'can not go on', 'can not do this anymore', 'can not take it anymore', 'give up on life',
      'giving up', 'i am done', 'what is the point', 'no point', 'not worth it', 'empty inside', 'trapped', 'dark thoughts', 'disappear',
      'die', 'dying', 'be dead', 'sin esperanza', 'no puedo mas', 'no aguanto mas', 'rendirme', 'desaparecer', 'morir', 'muerto', 'muerta',
    ],
    except: ['dying to', 'battery', 'hair dye', 'die my hair', 'die her hair', 'die his hair', 'could die of', 'die of embarrassment', 'die laughing', 'died laughing'],
  },
  onPurpose: { terms: ['on purpose', 'intentionally', 'a proposito', 'adrede'] },

  // --- abdomen (in person)
  abdomen: {
    terms: [
      'appendix', 'under my ribs', 'below my ribs', 'under the ribs', 'below the ribs', 'under my rib cage', 'upper right side', 'right upper side', 'lower belly',
      'debajo de las costillas', 'bajo vientre',
      'stomach', 'belly', 'abdomen', 'abdominal', 'tummy', 'gut', 'belly button', 'navel', 'lower right side', 'lower left side',
      'lower right', 'lower left', 'right lower side', 'estomago', 'barriga', 'panza', 'vientre', 'ombligo', 'boca del estomago',
    ],
    except: ['stomach bug', 'upset stomach'],
  },
  abdominalQuality: { terms: [...PAIN_WORDS, 'killing me', 'colic*', 'retortijon*', 'colico*'] },
  abdominalPainTerm: { terms: ['stomachache', 'bellyache', 'tummyache', 'appendicitis', 'apendicitis', 'dolor abdominal', 'abdominal pain'] },

  // --- the review net: a red-flag body system with a symptom word that no confident pattern placed
  chestVague: {
    terms: [
      'feel*', 'weird', 'strange', 'funny', 'off', 'wrong', 'racing', 'pounding', 'flutter*', 'skip*', 'palpitat*', 'irregular', 'sensation',
      'not right', 'rara', 'raro', 'extrano', 'acelerado', 'palpit*', 'late* fuerte', 'brinca',
    ],
  },
  respiratoryInfection: { terms: ['cough*', 'cold', 'congest*', 'phlegm', 'mucus', 'flu', 'tos', 'flema', 'moco*', 'resfriado', 'gripe'], except: ['cold sweat', 'cold sweats', 'cold and clammy', 'cold clammy', 'sweating cold'] },
  cardiacAssociated: { terms: ['sweat*', 'clammy', 'cold sweat', 'nause*', 'short of breath', 'lightheaded', 'light headed', 'faint*', 'sudor', 'sudando', 'suda*', 'nausea*', 'mareo'] },
  palpitations: { terms: ['palpitations', 'heart racing', 'heart is racing', 'heart pounding', 'heart is pounding', 'skipping beats', 'palpitaciones'] },
  breathVague: { terms: ['fast', 'heavy', 'noisy', 'weird', 'funny', 'strange', 'hurts', 'pain*', 'tight*', 'wheez*', 'rattl*', 'whistl*', 'rapido', 'raro', 'rara', 'duele', 'silb*'] },
  breathSeverity: { terms: ['barely speak', 'barely talk', 'can barely', 'so bad', 'full sentence*', 'can not talk', 'can not speak', 'can not say', 'not helping', 'not working', 'really bad', 'every breath', 'worse and worse', 'no puedo hablar'] },
  tingling: { terms: ['tingl*', 'pins and needles', 'prickl*', 'hormigue*', 'cosquill*', 'numb*', 'entumid*', 'heavy', 'asleep', 'pesad*', 'dormid*'] },
  limbOrFaceWide: { terms: ['arm', 'arms', 'leg', 'legs', 'hand', 'hands', 'face', 'foot', 'feet', 'finger*', 'cheek', 'brazo', 'pierna', 'mano', 'cara', 'pie', 'dedos'] },
  postureContext: { terms: ['standing', 'all day', 'long day', 'fell asleep', 'falls asleep', 'sitting too long', 'sit too long', 'sat too long', 'sitting for hours', 'sleeping on', 'slept on', 'crossed', 'cross legged', 'carpal', 'typing', 'computer', 'mouse', 'keyboard', 'cold', 'diabet*', 'neuropathy', 'at night', 'for months', 'for weeks', 'for years'] },
  /** Breathlessness the patient ties to effort or calls mild: reviewed rather than sent to the ER. */
  mildOrExertion: { terms: ['i get', 'since covid', 'after covid', 'long covid', 'panic attack', 'anxiety attack', 'when i panic', 'when i am anxious', 'climbing', 'stairs', 'walking up', 'a bit', 'a little', 'slightly', 'mild', 'mildly', 'when i run', 'running', 'exercise', 'exercising', 'workout', 'gym', 'jogging', 'hiking', 'un poco', 'al correr', 'ejercicio'] },
  /** Speech that was always so, or is so in a second language: reviewed, not an emergency. */
  speechBaseline: { terms: ['second language', 'english is not', 'my accent', 'accent', 'since childhood', 'all my life', 'my whole life', 'always had', 'sometimes', 'when nervous', 'when i am nervous', 'when tired', 'stutter*', 'segundo idioma'] },
  /** Chest pain that coughing brings on. */
  minorBone: { terms: ['toe', 'toes', 'pinky toe', 'little toe', 'dedo del pie'] },
  coughTrigger: { terms: ['when i have a cold', 'with a cold', 'with my cold', 'during a cold', 'push up*', 'pushups', 'bench press', 'lifting weights', 'pulled a muscle', 'pulled muscle', 'muscle strain', 'sore muscles', 'after the gym', 'from the gym', 'workout', 'chest day', 'when i cough', 'when coughing', 'from coughing', 'from the cough', 'with coughing', 'after coughing', 'al toser', 'de tanto toser', 'cuando toso'] },
  /** Chest symptoms the patient ties to a recurring trigger of anxiety. */
  anxietyTrigger: { terms: ['when i am anxious', 'when i get anxious', 'when i feel anxious', 'when i am stressed', 'when i get stressed', 'when i am nervous', 'during panic attacks', 'during a panic attack', 'when i panic', 'when i have anxiety', 'cuando me pongo nervios*', 'cuando tengo ansiedad', 'cuando me estreso'] },
  /** A swelling with a local cause (a cold sore, a tooth, a stye, a bite). */
  localCause: { terms: ['cold sore', 'fever blister', 'tooth', 'dental', 'dentist', 'filling', 'bite', 'bitten', 'stye', 'pimple', 'botox', 'filler', 'herpes', 'muela', 'diente'] },
  speechVague: { terms: ['stutter*', 'slow*', 'trouble', 'difficulty', 'hard', 'problem*', 'dificultad', 'cuesta'] },
  boneWords: {
    except: ['heart is broken', 'broken heart', 'broke my heart', 'broken tooth', 'broke a tooth', 'cracked tooth', 'chipped tooth', 'broken glasses', 'broke my glasses', 'broken phone', 'broke up', 'broken out', 'broke out', 'cracked lips', 'cracked skin', 'cracked heels', 'broken skin', 'broken nail', 'broke a nail'],
    terms: ['fractur*', 'broke', 'broken', 'snapped', 'dislocat*', 'deform*', 'bent', 'roto', 'rota', 'quebr*', 'fractur*', 'zafo', 'tronido'],
  },
  swollenAirway: { terms: ['tongue', 'throat', 'lips', 'lip', 'lengua', 'garganta', 'labios', 'labio'] },

  // --- other doubts
  faint: { terms: ['faint*', 'passed out', 'pass out', 'blacked out', 'collaps*', 'unconscious', 'desmay*', 'perd* conocimiento'] },
  bloodUp: { terms: ['vomiting blood', 'throwing up blood', 'coughing up blood', 'cough up blood', 'vomito con sangre', 'vomitando sangre', 'tosiendo sangre', 'coffee grounds', 'black tarry', 'tarry stool*'] },
} as const satisfies Record<string, Concept>;

export type ConceptName = keyof typeof CONCEPTS;
