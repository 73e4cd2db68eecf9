import { type Phrasing, ctx, en, es } from './phrasing-set';

/**
 * A second held-out set (issue 15, second pass), written BEFORE the engine's second pass and
 * without running it: new wording for every rule (not sentences of the phrasing set or of the
 * first held-out set), the way patients and parents type (fragments, no punctuation, slang,
 * misspellings, Spanish), and telemedicine phrasings that carry red-flag words in an innocent or
 * negated sense, to measure specificity. Like held-out-set.ts, it is a measure, not a target: a
 * phrasing the triage gets wrong stays here as written and shows in `npm run triage:metrics`.
 */
export const SECOND_SET: readonly Phrasing[] = [
  ...en('chest-pain', [
    "there's an ache in the middle of my chest that spreads to my shoulder blade and I'm all sweaty",
    "my chest feels so tight I can't stand up straight",
    'dull pressure behind my breast bone every time I walk the dog, today it wont ease off',
    'left side of my chest is burning and my jaw aches too',
    'my heart hurts and I feel like I am going to pass out',
    'my dad says his chest feels tight and his left arm is tingling',
  ]),
  ...es('chest-pain', ['siento como un peso en el pecho desde la mañana', 'me duele el corazón y el dolor se me va a la espalda']),

  ...en('difficulty-breathing', [
    "I'm wheezing so bad I can't talk in full sentences",
    'every breath is a struggle',
    "my baby's nostrils are flaring and she's breathing super fast",
    "feel like I'm suffocating, can't get air in",
    'winded just walking to the bathroom, cant catch a breath',
  ]),
  ...es('difficulty-breathing', ['mi esposo no puede respirar y tiene los labios morados', 'me falta el aire hasta cuando estoy sentada']),

  ...en('one-sided-weakness-or-numbness', [
    "my right hand went numb and clumsy and I can't hold a pen",
    "mom's face looks droopy on one side",
    'tingling and weakness down the left side of my body came on suddenly',
    "I can't feel my left leg and it drags when I walk",
    'right side of my face feels numb and my eye on that side wont close',
  ]),
  ...es('one-sided-weakness-or-numbness', ['se me durmió la mitad del cuerpo de repente', 'mi abuela tiene la boca torcida y no mueve el brazo izquierdo']),

  ...en('slurred-speech', [
    "my husband suddenly can't get his words out right",
    'talking gibberish since lunch',
    'his speech is thick and hard to understand all of a sudden',
    'I know what I want to say but the wrong words come out',
    'she is slurring and mixing up her words',
  ]),
  ...es('slurred-speech', ['mi papá habla raro y no se le entiende nada', 'de pronto no puedo pronunciar las palabras']),

  ...en('seizure', [
    'my son fell to the ground and his whole body was jerking for 2 minutes',
    "she's convulsing right now what do I do",
    'had some kind of fit, bit my tongue and wet myself',
    'he was unresponsive and shaking uncontrollably',
    'my daughter went rigid and her arms started thrashing',
  ]),
  ...es('seizure', ['a mi hija le dio un ataque, se puso rígida y temblaba', 'mi esposo está convulsionando']),

  ...en('concussion', [
    'my son took a hard hit to the head at hockey and now he keeps asking the same questions',
    'fell down the stairs, smacked my head, threw up twice',
    "she bumped her head at the playground and is so drowsy she won't stay awake",
    'car accident, my head hit the steering wheel and I blacked out for a bit',
    'banged my head on a shelf and now I feel foggy and confused',
  ]),
  ...es('concussion', ['me di un golpe en la cabeza y estoy mareado y vomitando', 'mi hijo se cayó de la bicicleta, se golpeó la cabeza y está muy dormido']),

  ...en('fever-with-rash', [
    'temperature of 102 and bright red spots on her belly',
    "my son has a high temp and tiny purple marks that don't go away when I press",
    'burning up with fever and covered in blotches',
    "he's hot to the touch and has bumps all over his chest",
    'fever for 2 days and now a rash on her arms and legs',
  ]),
  ...es('fever-with-rash', ['mi niña tiene fiebre y le salieron puntitos rojos', 'calentura y ronchas en todo el cuerpo']),

  ...en('severe-bleeding', [
    'my leg is gushing blood after the chainsaw slipped',
    'cut my finger deep and it keeps pouring blood even with pressure',
    'the wound is bleeding through three towels',
    "I'm throwing up blood",
    'soaking a pad every 30 minutes and passing big clots',
  ]),
  ...es('severe-bleeding', ['me corté el brazo con un vidrio y sale mucha sangre', 'estoy vomitando sangre']),

  ...en('serious-burn', [
    "spilled boiling soup on my toddler's chest, blisters all over",
    'burn from a hot pan covering my whole palm, skin is peeling off',
    "my hand got caught in a fire, the skin is white and I can't feel it",
    'splashed drain cleaner on my face and it is burning',
    'got scalded by steam, the burn is big and blistering',
  ]),
  ...es('serious-burn', ['me quemé con agua hirviendo y se me levantó la piel', 'quemadura con ampollas en toda la espalda']),

  ...en('broken-bone-or-dislocation', [
    'fell off my bike and my wrist is swollen and looks out of shape',
    "heard a snap in my leg and I can't put any weight on it",
    'my shoulder slipped out of the socket',
    'my pinky is bent sideways after catching a ball',
    'compound fracture on his shin, bone poking through',
  ]),
  ...es('broken-bone-or-dislocation', ['me caí y creo que me fracturé la pierna, no la puedo mover', 'mi hijo se cayó y el codo se ve deformado']),

  ...en('anaphylaxis', [
    'after eating walnuts my throat feels tight and my voice is hoarse',
    'got stung and now my face is swelling up and I feel lightheaded',
    "eyes and lips puffed up after the new medication and I'm itchy everywhere",
    "my daughter had some peanut butter and now she's coughing and covered in welts",
  ]),
  ...en('anaphylaxis', ["I'm having an allergic reaction and it's hard to breathe"], ['difficulty-breathing']),
  ...es('anaphylaxis', ['comí camarones y se me hincharon los labios y la garganta', 'me picó una avispa y me siento mareada con ronchas']),

  ...en('sudden-vision-or-balance-loss', [
    'all at once I see two of everything',
    "woke up and the room is spinning so bad I can't stand",
    'lost part of my vision, like a shadow over my eye',
    "suddenly I can't walk straight and keep veering to the left",
    "I suddenly can't see anything out of my right eye",
  ]),
  ...es('sudden-vision-or-balance-loss', ['de repente veo todo doble', 'de pronto todo me da vueltas y no me puedo parar']),

  ...en('suicidal-or-self-harm', [
    "I don't see the point in living anymore",
    "I've been thinking everyone would be happier if I was gone",
    'I have pills saved up to end it',
    'I want to go to sleep and never wake up',
    "I've been hurting myself with a razor",
    "life isn't worth it, I'm done",
    'thinking of taking my own life tonight',
  ]),
  ...es('suicidal-or-self-harm', ['ya no tengo ganas de vivir', 'pienso en matarme', 'me corto los brazos para sentirme mejor']),

  ...en('abdominal-pain', [
    'bad cramps in my lower belly since yesterday',
    'my stomach has been aching on the right side',
    'sharp stabbing in my gut when I move',
    'my kid says his tummy hurts near his belly button',
    'abdomen is sore and bloated, cant eat',
  ]),
  ...es('abdominal-pain', ['me duele la panza del lado derecho', 'tengo cólicos fuertes en el vientre']),

  ...en('telemedicine', [
    "I'd like a refill for my blood pressure pills",
    'rash between my fingers that itches at night',
    "my throat is scratchy and I'm congested",
    'question about my birth control side effects',
    'need help sleeping, I wake up at 3am every night',
    'mild sunburn on my shoulders',
    'sore lower back from sitting at a desk',
    "I twisted my knee a bit, it's a little swollen but walking fine",
    'my seasonal allergies are acting up, itchy watery eyes',
    'feeling stressed and overwhelmed at work, would like to talk to someone',
    'my toddler has a runny nose and a mild cough, eating well',
    'stye on my eyelid',
    'heartburn after spicy food',
    'I burned my tongue on hot coffee',
    'bleeding gums when I floss',
    'I have a cold and my chest feels a bit congested',
    'my arm is sore after the vaccine',
    'pins and needles in my feet when I sit cross legged',
    'headache behind my eyes from screen time',
  ]),
  ...es('telemedicine', ['necesito renovar mi receta de la presión', 'me siento ansiosa y no duermo bien']),
  ...ctx('negated', 'en', [
    'no chest pain, no shortness of breath, just a cough that keeps me up',
    'fever went away, no rash, still a bit tired',
    "I didn't hit my head, I just twisted my ankle",
    'no numbness, no weakness, my neck is stiff from sleeping wrong',
    'I cut myself shaving and it stopped bleeding right away',
  ]),
  ...ctx('historical', 'en', [
    'had a seizure back in 2015, none since, need a driving form signed',
    'years ago I broke my wrist, now it aches when it rains',
    'had pneumonia last year, breathing is fine now, want a checkup',
  ]),
  ...ctx('negated', 'es', ['no tengo dolor de pecho, solo quiero una receta', 'tengo tos y mocos, sin fiebre']),
  ...ctx('historical', 'es', ['tuve una fractura hace años, ahora quiero hablar de mi espalda']),
];
