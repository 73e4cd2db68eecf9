// The BLIND set (issue 15's third check). Written on 2026-12-07 by a contributor who never read
// the engine, the lexicon or the other sets, from the public pages listed below; first run against
// the engine only after the second pass of the engine was finished. Its results are REPORTED by
// `npm run triage:metrics` (tools/triage-metrics.ts), never asserted and never used to change the
// lexicon: a phrasing the triage gets wrong stays here, and fitting the engine to it would make
// the set worthless as a check. Results on 2026-12-07 (clinical reference 2026-12-07.2): see
// libs/clinical-reference/README.md.
//
// BLIND evaluation set for the telehealth triage classifier.
// Written without reading any classifier code; phrasings are original (not copied from the sources)
// and imitate how patients actually type into a booking form (lower case, typos, slang,
// parents writing about children, vague/rambling/fragmentary text, Spanish and Spanglish).
// Entries tagged `// hard` are telemedicine hard negatives (red-flag-looking words that are benign).
//
// Public clinical sources consulted (via search, corpus "pages"):
// - AHA heart attack warning signs, as summarised by Pikeville Medical Center "Common symptoms of a heart attack" — https://www.pikevillehospital.org/common-symptoms-of-a-heart-attack/
// - AHA "Answers by Heart: What Are the Warning Signs of Heart Attack?" (copy) — https://docslib.org/doc/8617542/what-are-the-warning-signs-of-heart-attack
// - Circulation (AHA journal) "Warning Signs of a Heart Attack" — https://www.ahajournals.org/doi/10.1161/CIRCULATIONAHA.113.006126
// - Mayo Clinic (es) "Síntomas de un ataque cardíaco: conoce qué es una emergencia médica" — https://www.mayoclinic.org/es-es/diseases-conditions/heart-attack/in-depth/heart-attack-symptoms/art-20047744
// - Eastside Neuro Institute "BE FAST: Recognize the Signs and Symptoms of Stroke" — https://www.eastsideneuroinstitute.org/articles/be-fast-recognize-the-signs-and-symptoms-of-stroke
// - St. Charles Health "Stroke signs and symptoms (B.E. F.A.S.T.)" — https://stcharleshealthcare.org/services/stroke-care/stroke-signs-and-symptoms
// - Crestner HealthHub (es) "Síntomas de un accidente cerebrovascular" — https://healthhub.crestnerhealth.com/brain-health/symptoms/symptoms-stroke?language_content_entity=es
// - NINDS stroke warning signs in Spanish (reprint) — https://dev.portalgeriatrico.com.ar/cuales-son-los-sintomas-de-la-apoplejia
// - CDC HEADS UP "Concussion Danger Signs" — https://www.cdc.gov/headsup/basics/concussion_danger_signs.html
// - Legacy Health "Concussion: When to go to ER" — https://www.legacyhealth.org/Services-and-Resources/services/adult/orthopedics/services-and-treatments/sports-medicine/concussion-services/when-to-go-to-er
// - Meningitis Now "Meningitis Glass Test" — https://meningitisnow.org/meningitis-explained/signs-and-symptoms/glass-test/
// - LearnCPROnline "First aid steps for severe bleeding" — https://www.learncpronline.net/first-aid-steps-for-severe-bleeding/
// - Self Injury Support "First aid for severe bleeding" — https://www.selfinjurysupport.org.uk/FAQs/first-aid-for-severe-bleeding
// - Mayo Clinic "Burns: First aid" (Koç University mirror) — https://www.kuh.ku.edu.tr/mayo-clinic-care-network/mayo-clinic-health-information-library/first-aid/burns-first-aid
// - AdventHealth "When to go to the emergency room for a severe burn" — https://www.adventhealth.com/blog/going-emergency-room-severe-burn-treatment
// - eMedicineHealth "Fractures or Dislocations" — https://www.emedicinehealth.com/wilderness_fractures_or_dislocations/article_em.htm
// - WebMD "Anaphylaxis treatment" — http://www.webmd.com/allergies/anaphylaxis-15/treating-life-threatening
// - Amazing Annie "Know the Signs" (anaphylaxis) — https://www.amazingannie.org/know-the-signs
// - UTMB Health "Epilepsy and seizures: Do I call 911?" — https://utmb.edu/utmbhealth/services/neurology/procedures-conditions/epilepsy-seizures/1000
// - WebMD "Seizures: emergency treatment" — https://www.webmd.com/first-aid/seizures-emergencies-treatment
// - CommonSpirit "Shortness of breath: when to call" — https://www.commonspirit.org/conditions-treatments/shortness-of-breath
// - Kerbside Health "Sudden Vision Loss" — https://kerbsidehealth.com/conditions/sudden-vision-loss
// - Colony Care "988 Suicide & Crisis Lifeline / warning signs" — https://colonycare.net/posts/september-is-national-suicide-prevention-awareness-month/
// - ACEP "Suicide: know the warning signs" — https://emergencyphysicians.org/article/mental-health/suicide-know-the-warning-signs-know-how-to-help
// - Crestner HealthHub (es) "Señales de advertencia de suicidio" — https://healthhub.crestnerhealth.com/mental-health/symptoms/warning-signs-suicide-and-what-do?language_content_entity=es
// - Verywell Health "When to see a healthcare provider for abdominal pain" — https://www.verywellhealth.com/when-to-see-a-doctor-for-abdominal-pain-770762
// - Clikisalud (es) "Cuándo acudir al médico si experimentas dolor abdominal" — https://www.clikisalud.net/salud-general-cuando-acudir-medico-experimentas-dolor-abdominal/
// - Kaiser Permanente (es) "Dolor abdominal, 12 años o más" — https://espanol.kaiserpermanente.org/health/care/
// - CPCMG "Video Visits" (conditions suited to video visits) — https://www.cpcmg.net/video-visits-disclaimer/
// - KARE11 "Planning and preparing for a telehealth visit" — https://www.kare11.com/article/news/health/a-matter-of-health-planning-and-preparing-for-a-telehealth-visit/89-eb5e8ee8-c6c0-4edc-808d-09c51df41851
// - Orderly "Rash telemedicine questionnaire" (when a rash is NOT for telemedicine) — https://portal.orderly.care/questionnaire/rash
// Note: MedlinePlus pages themselves were not returned by the search index (only a git mirror of the HTML);
// the Spanish wording draws on the Mayo Clinic (es), Crestner, Clikisalud and Kaiser (es) pages above.

import type { Phrasing } from './phrasing-set';

export const BLIND: readonly Phrasing[] = [
  // ---------------- chest-pain ----------------
  { text: "feels like an elephant is sitting on my chest, started like 20 min ago", expect: "chest-pain", lang: "en" },
  { text: "chest tight and squeezing, sweating buckets, pain going down my left arm", expect: "chest-pain", lang: "en" },
  { text: "my dad is 68 and says his chest feels heavy, hes grey and clammy, keeps saying its just indigestion but hes never like this", expect: "chest-pain", lang: "en" },
  { text: "crushing pressure behind my breastbone on and off since this morning, worse when i go up the stairs", expect: "chest-pain", lang: "en" },
  { text: "pain in the middle of my chest that goes up into my jaw and back, feel like i'm gonna throw up", expect: "chest-pain", lang: "en" },
  { text: "hi need appt asap cheast hurts really bad cant catch my breath", expect: "chest-pain", lang: "en", also: ["difficulty-breathing"] },
  { text: "like a tight band around my ribs in the center and my left arm aches", expect: "chest-pain", lang: "en" },
  { text: "chest pain 8/10", expect: "chest-pain", lang: "en" },
  { text: "wife is 54 with diabetes, says a weird pressure in her chest, super tired and short of breath for about an hour", expect: "chest-pain", lang: "en", also: ["difficulty-breathing"] },
  { text: "i think im having a heart attack??", expect: "chest-pain", lang: "en" },
  { text: "sharp stabbing pain in my chest when i breathe in, came on suddenly after a long flight, one calf is swollen", expect: "chest-pain", lang: "en" },
  { text: "my heart hurts, like someone is squeezing it in a fist", expect: "chest-pain", lang: "en" },
  { text: "pressure in my chest off and on for 2 days, came back tonight worse than before. also need my metformin refilled while im here", expect: "chest-pain", lang: "en" },
  { text: "burning in my chest thats NOT like my usual heartburn, tums did nothing and i feel faint and sweaty", expect: "chest-pain", lang: "en" },
  { text: "ok so this is probably nothing and i hate bothering anyone but since about 6 this morning theres this heavy pressure in the middle of my chest, like when you carry something too heavy, and it kind of goes up my neck. took an aspirin. my daughter says i look pale. anyway i also wanted to ask about my knee at some point", expect: "chest-pain", lang: "en" },
  { text: "me duele mucho el pecho como si me apretaran y me sudan las manos", expect: "chest-pain", lang: "es" },
  { text: "mi mamá tiene un dolor en el pecho que le baja al brazo izquierdo, tiene 70 años", expect: "chest-pain", lang: "es" },
  { text: "siento una presion muy fuerte en el pecho como un peso encima desde hace media hora", expect: "chest-pain", lang: "es" },
  { text: "tengo chest pain desde la mañana y me falta el aire", expect: "chest-pain", lang: "es", also: ["difficulty-breathing"] },

  // ---------------- difficulty-breathing ----------------
  { text: "cant breathe", expect: "difficulty-breathing", lang: "en" },
  { text: "my son is 2 and breathing super fast, his ribs suck in every time he breathes", expect: "difficulty-breathing", lang: "en" },
  { text: "asthma attack, used my inhaler 4 times already, still wheezing and can barely talk", expect: "difficulty-breathing", lang: "en" },
  { text: "her lips look kinda blue and shes gasping for air", expect: "difficulty-breathing", lang: "en" },
  { text: "getting more and more short of breath all day, now i cant even walk to the bathroom without stopping", expect: "difficulty-breathing", lang: "en" },
  { text: "feels like im breathing through a straw", expect: "difficulty-breathing", lang: "en" },
  { text: "i cant finish a sentence without stopping to get air", expect: "difficulty-breathing", lang: "en" },
  { text: "grandpa has copd, his oxygen isnt helping, hes working really hard to breathe and seems confused", expect: "difficulty-breathing", lang: "en" },
  { text: "woke up feeling like i was drowning, cant lie flat, have to sit up to get air, ankles are huge", expect: "difficulty-breathing", lang: "en" },
  { text: "baby making grunting noises with each breath and his nostrils are flaring", expect: "difficulty-breathing", lang: "en" },
  { text: "covid positive, the finger oxygen thing says 86 and im winded just sitting on the couch", expect: "difficulty-breathing", lang: "en" },
  { text: "sob really bad, brething is so hard rn", expect: "difficulty-breathing", lang: "en" },
  { text: "he choked on a piece of meat, got it out but now his breathing is noisy and really labored", expect: "difficulty-breathing", lang: "en" },
  { text: "no puedo respirar bien, siento que me ahogo", expect: "difficulty-breathing", lang: "es" },
  { text: "mi niño respira muy rapido y se le hunden las costillas", expect: "difficulty-breathing", lang: "es" },
  { text: "tengo asma y el inhalador no me esta funcionando, me falta mucho el aire", expect: "difficulty-breathing", lang: "es" },
  { text: "mi abuela tiene los labios morados y casi no puede respirar", expect: "difficulty-breathing", lang: "es" },

  // ---------------- one-sided-weakness-or-numbness ----------------
  { text: "my left arm and leg went numb all of a sudden and i keep dropping stuff", expect: "one-sided-weakness-or-numbness", lang: "en" },
  { text: "moms face is drooping on one side when she smiles", expect: "one-sided-weakness-or-numbness", lang: "en" },
  { text: "woke up and cant move my right hand, feels like it belongs to someone else", expect: "one-sided-weakness-or-numbness", lang: "en" },
  { text: "half my face feels numb and my smile is crooked, started 30 minutes ago", expect: "one-sided-weakness-or-numbness", lang: "en" },
  { text: "husband suddenly weak on his right side, he keeps leaning over in his chair", expect: "one-sided-weakness-or-numbness", lang: "en" },
  { text: "right side of my body feels heavy and tingly, came on in like a minute", expect: "one-sided-weakness-or-numbness", lang: "en" },
  { text: "my left arm just went dead and floppy, i cant lift it over my head", expect: "one-sided-weakness-or-numbness", lang: "en" },
  { text: "numbness down the whole left side, face arm and leg", expect: "one-sided-weakness-or-numbness", lang: "en" },
  { text: "grandma cant hold her cup with her right hand, her mouth is droopy and shes talking funny", expect: "one-sided-weakness-or-numbness", lang: "en", also: ["slurred-speech"] },
  { text: "one side of my face is sagging and im drooling out of that corner", expect: "one-sided-weakness-or-numbness", lang: "en" },
  { text: "my left leg gave out out of nowhere and i cant feel that foot", expect: "one-sided-weakness-or-numbness", lang: "en" },
  { text: "tingling and weakness on one side only. i get migraines but never like this", expect: "one-sided-weakness-or-numbness", lang: "en" },
  { text: "when my dad holds both arms out the left one drifts down, he says its fine but its not", expect: "one-sided-weakness-or-numbness", lang: "en" },
  { text: "se me durmió todo el lado izquierdo del cuerpo de repente", expect: "one-sided-weakness-or-numbness", lang: "es" },
  { text: "a mi papa se le cayo la cara de un lado y no puede mover el brazo", expect: "one-sided-weakness-or-numbness", lang: "es" },
  { text: "no siento la pierna derecha y el brazo derecho está débil desde hace una hora", expect: "one-sided-weakness-or-numbness", lang: "es" },
  { text: "my abuela de repente no puede mover el lado derecho y tiene la cara torcida", expect: "one-sided-weakness-or-numbness", lang: "es" },

  // ---------------- slurred-speech ----------------
  { text: "cant get my words out, i know what i want to say but it comes out wrong", expect: "slurred-speech", lang: "en" },
  { text: "my husband is talking like hes drunk but he hasnt had a drop", expect: "slurred-speech", lang: "en" },
  { text: "speech suddenly slurred and garbled, started about 20 min ago", expect: "slurred-speech", lang: "en" },
  { text: "mom is mixing up words and making no sense, she was totally fine at lunch", expect: "slurred-speech", lang: "en" },
  { text: "my tongue feels thick and my words are coming out mushy, didnt eat anything new, no allergies", expect: "slurred-speech", lang: "en" },
  { text: "he cant repeat a simple sentence back to me when i ask him to", expect: "slurred-speech", lang: "en" },
  { text: "slurring words and confused all of a sudden", expect: "slurred-speech", lang: "en" },
  { text: "sounds like my dad has a mouth full of marbles when he talks, just started", expect: "slurred-speech", lang: "en" },
  { text: "i keep saying the wrong words like fork instead of phone, this started today", expect: "slurred-speech", lang: "en" },
  { text: "grandpa can understand me but he can only make sounds, no real words", expect: "slurred-speech", lang: "en" },
  { text: "wifes speech went weird for 10 min then came back, now its doing it again", expect: "slurred-speech", lang: "en" },
  { text: "my speech is all jumbled and slow and my face feels kinda off", expect: "slurred-speech", lang: "en" },
  { text: "mi esposo habla raro, arrastra las palabras y no ha tomado nada", expect: "slurred-speech", lang: "es" },
  { text: "no me salen las palabras, las digo al reves", expect: "slurred-speech", lang: "es" },
  { text: "a mi mamá de repente no se le entiende lo que dice", expect: "slurred-speech", lang: "es" },
  { text: "tiene la lengua trabada, habla como borracho, empezo hace rato", expect: "slurred-speech", lang: "es" },

  // ---------------- seizure ----------------
  { text: "my son is shaking all over and not answering me", expect: "seizure", lang: "en" },
  { text: "she had a seizure and its been going for like 6 minutes", expect: "seizure", lang: "en" },
  { text: "my friend just collapsed and started jerking, eyes rolled back, never had this before", expect: "seizure", lang: "en" },
  { text: "toddler has a high fever and went stiff and twitchy, lips went blue for a sec", expect: "seizure", lang: "en" },
  { text: "convulsions one after another and hes not waking up in between", expect: "seizure", lang: "en" },
  { text: "husband has epilepsy but this seizure is different than usual and he hit his head on the table", expect: "seizure", lang: "en" },
  { text: "shes having a fit, foaming at the mouth", expect: "seizure", lang: "en" },
  { text: "had my first sezure ever an hour ago, bit my tongue, wet myself, still super confused", expect: "seizure", lang: "en" },
  { text: "my daughter is 7 and about 10 min ago she was watching tv, suddenly stared and her whole body started jerking, maybe 2-3 min. now shes really sleepy and wont really answer me. never done this before, no fever", expect: "seizure", lang: "en" },
  { text: "my teen was shaking on the floor at school and was out for a few minutes", expect: "seizure", lang: "en" },
  { text: "grand mal in the pool, we pulled him out", expect: "seizure", lang: "en" },
  { text: "he seized twice in the last hour", expect: "seizure", lang: "en" },
  { text: "mi hija está convulsionando y no responde", expect: "seizure", lang: "es" },
  { text: "a mi esposo le dio un ataque, se puso tieso y temblaba todo", expect: "seizure", lang: "es" },
  { text: "el bebe tiene fiebre y le dio una convulsion", expect: "seizure", lang: "es" },
  { text: "mi hermano tuvo convulsiones por primera vez, duró como cinco minutos", expect: "seizure", lang: "es" },

  // ---------------- concussion ----------------
  { text: "hit my head playing hockey, blacked out for a bit, now throwing up", expect: "concussion", lang: "en" },
  { text: "my 6yo fell off the monkey bars and hit her head, now super sleepy and hard to wake up", expect: "concussion", lang: "en" },
  { text: "car accident yesterday, banged my head on the window, headache getting worse and worse", expect: "concussion", lang: "en" },
  { text: "son took a helmet to helmet hit at football, hes confused and keeps asking the same questions", expect: "concussion", lang: "en" },
  { text: "fell down the stairs and hit my head, one of my pupils looks bigger than the other", expect: "concussion", lang: "en" },
  { text: "grandma fell and hit her head, she's on blood thinners and now acting confused", expect: "concussion", lang: "en" },
  { text: "baby rolled off the changing table onto tile, wont stop crying and wont nurse", expect: "concussion", lang: "en" },
  { text: "knocked out cold for like a minute after getting hit in the head with a bat", expect: "concussion", lang: "en" },
  { text: "hit head on the cabinet earlier and have vomited 3 times since", expect: "concussion", lang: "en" },
  { text: "concusion?? got elbowed in the head, now my words are slurry", expect: "concussion", lang: "en", also: ["slurred-speech"] },
  { text: "bumped head really hard skiing, now hes restless and agitated and not making sense", expect: "concussion", lang: "en" },
  { text: "kid hit her head at the trampoline park, thrown up twice and really pale", expect: "concussion", lang: "en" },
  { text: "mi hijo se pegó en la cabeza y está vomitando mucho", expect: "concussion", lang: "es" },
  { text: "me caí y me golpeé la cabeza, me desmayé un momento", expect: "concussion", lang: "es" },
  { text: "se cayo de la bici sin casco, ahora tiene mucho sueño y no se quiere despertar", expect: "concussion", lang: "es" },
  { text: "mi papá se dio un golpe en la cabeza, está confundido y el headache está peor", expect: "concussion", lang: "es" },

  // ---------------- fever-with-rash ----------------
  { text: "fever 103 and little purple dots on her legs that dont fade when i press a glass on them", expect: "fever-with-rash", lang: "en" },
  { text: "high temp and a rash popping up all over his body", expect: "fever-with-rash", lang: "en" },
  { text: "kid has a fever and red spots everywhere and is really floppy", expect: "fever-with-rash", lang: "en" },
  { text: "running a fever since last night and now theres a rash spreading on my chest and arms", expect: "fever-with-rash", lang: "en" },
  { text: "fever, stiff neck and these tiny pinprick spots", expect: "fever-with-rash", lang: "en" },
  { text: "temp of 39.5 and a blotchy rash that looks like bruises", expect: "fever-with-rash", lang: "en" },
  { text: "fever plus a rash after starting a new antibiotic, skin peeling around my mouth", expect: "fever-with-rash", lang: "en" },
  { text: "my baby is hot to touch, 102, and now has a rash on her belly that wont go white when i push", expect: "fever-with-rash", lang: "en" },
  { text: "spiking fevers and a red blotchy rash, my joints hurt too", expect: "fever-with-rash", lang: "en" },
  { text: "febrile and rashy since this morning, feel awful", expect: "fever-with-rash", lang: "en" },
  { text: "fever and a rash on my palms and the bottoms of my feet", expect: "fever-with-rash", lang: "en" },
  { text: "tiny dark red spots showed up with his fever, did the glass test and they didnt blanch", expect: "fever-with-rash", lang: "en" },
  { text: "mi hija tiene fiebre y le salieron manchitas moradas que no se quitan al apretar", expect: "fever-with-rash", lang: "es" },
  { text: "tengo calentura y un sarpullido por todo el cuerpo", expect: "fever-with-rash", lang: "es" },
  { text: "el niño tiene fiebre alta y ronchas rojas en todo el cuerpo", expect: "fever-with-rash", lang: "es" },
  { text: "fiebre de 39 y puntitos rojos en las piernas", expect: "fever-with-rash", lang: "es" },

  // ---------------- severe-bleeding ----------------
  { text: "sliced my hand with a knife, blood soaked through 3 towels and its still going", expect: "severe-bleeding", lang: "en" },
  { text: "blood is spurting out of my leg from a chainsaw cut", expect: "severe-bleeding", lang: "en" },
  { text: "deep cut on my forearm, i can see the fat, wont stop bleeding even with pressure", expect: "severe-bleeding", lang: "en" },
  { text: "my son put his arm through a glass door and theres blood everywhere", expect: "severe-bleeding", lang: "en" },
  { text: "nosebleed going for 40 minutes straight, pinching isnt working", expect: "severe-bleeding", lang: "en" },
  { text: "cut my leg shaving, been bleeding 30 min nonstop, im on warfarin", expect: "severe-bleeding", lang: "en" },
  { text: "dog bit my daughter on the face, its gaping and bleeding a lot", expect: "severe-bleeding", lang: "en" },
  { text: "bleeding heavily from a wound and getting dizzy and pale", expect: "severe-bleeding", lang: "en" },
  { text: "big gash on my scalp from a fall, blood pouring down my face", expect: "severe-bleeding", lang: "en" },
  { text: "mandoline slicer took off the tip of my finger, bleeding like crazy", expect: "severe-bleeding", lang: "en" },
  { text: "leg wound bleeding right through the bandage, cant get it to stop", expect: "severe-bleeding", lang: "en" },
  { text: "my husband cut his thigh with a saw and its pumping blood", expect: "severe-bleeding", lang: "en" },
  { text: "me corté la mano con un cuchillo y no para de sangrar", expect: "severe-bleeding", lang: "es" },
  { text: "mi hijo se cortó con un vidrio y sangra muchisimo", expect: "severe-bleeding", lang: "es" },
  { text: "sangrado que no se detiene, ya empapé varias toallas", expect: "severe-bleeding", lang: "es" },
  { text: "mi tio se corto con la maquina en el trabajo, esta sangrando un monton y se esta mareando", expect: "severe-bleeding", lang: "es" },

  // ---------------- serious-burn ----------------
  { text: "spilled boiling water on my toddlers chest, big blisters forming", expect: "serious-burn", lang: "en" },
  { text: "grease fire, burned both hands, the skin is white and leathery", expect: "serious-burn", lang: "en" },
  { text: "burn on my arm is charred black and i cant feel it", expect: "serious-burn", lang: "en" },
  { text: "got shocked by a live wire, theres a burn mark on my hand where it went in", expect: "serious-burn", lang: "en" },
  { text: "splashed drain cleaner on my face and it burns like crazy", expect: "serious-burn", lang: "en" },
  { text: "the burn goes all the way around my forearm and its swelling fast", expect: "serious-burn", lang: "en" },
  { text: "my kid grabbed the curling iron, his whole palm is blistered", expect: "serious-burn", lang: "en" },
  { text: "house fire, burns on my legs, coughing a lot and its hard to breathe", expect: "serious-burn", lang: "en", also: ["difficulty-breathing"] },
  { text: "bad burn from the motorcycle exhaust, bigger than my hand, the skin is just gone", expect: "serious-burn", lang: "en" },
  { text: "hot oil splashed on my face right next to my eye", expect: "serious-burn", lang: "en" },
  { text: "2nd degree burn covering basically my whole thigh", expect: "serious-burn", lang: "en" },
  { text: "steam burn on my face and neck, blistering and my voice is going hoarse", expect: "serious-burn", lang: "en" },
  { text: "me quemé la mano con aceite hirviendo, tengo ampollas grandes", expect: "serious-burn", lang: "es" },
  { text: "al bebe le cayo agua hirviendo en el pecho", expect: "serious-burn", lang: "es" },
  { text: "quemadura en la cara con un químico de limpieza", expect: "serious-burn", lang: "es" },
  { text: "se quemó la pierna con la estufa, la piel está blanca y no siente nada", expect: "serious-burn", lang: "es" },

  // ---------------- broken-bone-or-dislocation ----------------
  { text: "arm is bent the wrong way after falling off the trampoline", expect: "broken-bone-or-dislocation", lang: "en" },
  { text: "bone is sticking out of his leg", expect: "broken-bone-or-dislocation", lang: "en" },
  { text: "shoulder popped out of the socket playing volleyball, cant move it", expect: "broken-bone-or-dislocation", lang: "en" },
  { text: "heard a snap, ankle looks deformed and i cant put any weight on it", expect: "broken-bone-or-dislocation", lang: "en" },
  { text: "grandma fell, hip pain, cant get up, her leg looks shorter and turned out", expect: "broken-bone-or-dislocation", lang: "en" },
  { text: "my finger is pointing sideways after catching a ball", expect: "broken-bone-or-dislocation", lang: "en" },
  { text: "fell off a ladder and my wrist has a weird step in it like a fork", expect: "broken-bone-or-dislocation", lang: "en" },
  { text: "kneecap slid over to the side of my knee and its stuck there", expect: "broken-bone-or-dislocation", lang: "en" },
  { text: "i think i broke my arm, swelling like crazy and theres a bump where there shouldnt be", expect: "broken-bone-or-dislocation", lang: "en" },
  { text: "kids elbow looks lumpy and wrong and he screams if you touch it", expect: "broken-bone-or-dislocation", lang: "en" },
  { text: "broken leg, bone poking through the skin and its bleeding a lot", expect: "broken-bone-or-dislocation", lang: "en", also: ["severe-bleeding"] },
  { text: "big bump on his collarbone after a bike crash, it grinds when he moves", expect: "broken-bone-or-dislocation", lang: "en" },
  { text: "yawned and now my jaw feels dislocated, i cant close my mouth", expect: "broken-bone-or-dislocation", lang: "en" },
  { text: "creo que me rompí el brazo, se ve chueco", expect: "broken-bone-or-dislocation", lang: "es" },
  { text: "se me salió el hombro y no lo puedo mover", expect: "broken-bone-or-dislocation", lang: "es" },
  { text: "mi hijo se cayo y se le ve el hueso salido de la pierna", expect: "broken-bone-or-dislocation", lang: "es" },

  // ---------------- anaphylaxis ----------------
  { text: "ate something with peanuts and my throat feels like its closing", expect: "anaphylaxis", lang: "en" },
  { text: "bee sting and now my lips and tongue are swelling up", expect: "anaphylaxis", lang: "en" },
  { text: "used my epipen 5 min ago, still itchy all over and wheezy", expect: "anaphylaxis", lang: "en", also: ["difficulty-breathing"] },
  { text: "took amoxicillin, now hives everywhere and i feel like im gonna pass out", expect: "anaphylaxis", lang: "en" },
  { text: "my son ate shrimp and his face is puffing up, hes coughing nonstop and throwing up", expect: "anaphylaxis", lang: "en" },
  { text: "allergic reaction, tongue swollen, voice sounds hoarse and its hard to swallow", expect: "anaphylaxis", lang: "en" },
  { text: "got stung by a wasp, whole body red and blotchy, dizzy, heart racing", expect: "anaphylaxis", lang: "en" },
  { text: "severe allergy attack, eyes swollen shut and throat tight", expect: "anaphylaxis", lang: "en" },
  { text: "anaphalaxis again, used epi, my throat still feels weird", expect: "anaphylaxis", lang: "en" },
  { text: "tree nut allergy, ate at a restaurant, lips tingling and swelling and now wheezing", expect: "anaphylaxis", lang: "en", also: ["difficulty-breathing"] },
  { text: "right after the shot at the clinic i got hives and it feels like my throat is getting smaller", expect: "anaphylaxis", lang: "en" },
  { text: "my kid ate a cookie with egg in it, hives and vomiting and now hes super sleepy and pale", expect: "anaphylaxis", lang: "en" },
  { text: "me picó una abeja y se me está cerrando la garganta", expect: "anaphylaxis", lang: "es" },
  { text: "comí mariscos y se me hinchó la lengua y los labios", expect: "anaphylaxis", lang: "es" },
  { text: "mi niño es alergico al mani y comio, tiene ronchas y le cuesta respirar", expect: "anaphylaxis", lang: "es", also: ["difficulty-breathing"] },
  { text: "reaccion alergica fuerte, ya use el epipen y sigo con la garganta apretada", expect: "anaphylaxis", lang: "es" },

  // ---------------- sudden-vision-or-balance-loss ----------------
  { text: "all of a sudden i cant see out of my left eye", expect: "sudden-vision-or-balance-loss", lang: "en" },
  { text: "like a dark curtain coming down over the vision in one eye", expect: "sudden-vision-or-balance-loss", lang: "en" },
  { text: "seeing double out of nowhere and i cant walk straight", expect: "sudden-vision-or-balance-loss", lang: "en" },
  { text: "room is spinning and i keep falling over to the right, cant stand up", expect: "sudden-vision-or-balance-loss", lang: "en" },
  { text: "lost half my vision, i can only see the right side of things", expect: "sudden-vision-or-balance-loss", lang: "en" },
  { text: "sudden blurry vision in both eyes and the worst headache of my life", expect: "sudden-vision-or-balance-loss", lang: "en" },
  { text: "my husband is suddenly stumbling like he cant coordinate his legs, no alcohol", expect: "sudden-vision-or-balance-loss", lang: "en" },
  { text: "flashes of light and then a shadow spreading across my eye", expect: "sudden-vision-or-balance-loss", lang: "en" },
  { text: "went blind in one eye for a few minutes, came back, now its blurry again", expect: "sudden-vision-or-balance-loss", lang: "en" },
  { text: "cant keep my balance, veering into walls, started an hour ago", expect: "sudden-vision-or-balance-loss", lang: "en" },
  { text: "everything suddenly went dim and grey in my right eye", expect: "sudden-vision-or-balance-loss", lang: "en" },
  { text: "mom is suddenly dizzy and clumsy, cant touch her nose with her finger", expect: "sudden-vision-or-balance-loss", lang: "en" },
  { text: "de repente no veo nada de un ojo", expect: "sudden-vision-or-balance-loss", lang: "es" },
  { text: "veo doble de repente y me tambaleo al caminar", expect: "sudden-vision-or-balance-loss", lang: "es" },
  { text: "se me nubló la vista de golpe y perdí el equilibrio", expect: "sudden-vision-or-balance-loss", lang: "es" },
  { text: "mi mamá de repente no puede caminar derecho, se va de lado", expect: "sudden-vision-or-balance-loss", lang: "es" },

  // ---------------- abdominal-pain ----------------
  { text: "stomache ache since yesterday, kinda crampy", expect: "abdominal-pain", lang: "en" },
  { text: "my tummy hurt near my belly button and now its moved to the lower right, hurts to walk", expect: "abdominal-pain", lang: "en" },
  { text: "sharp pain right side under my ribs after eating greasy food", expect: "abdominal-pain", lang: "en" },
  { text: "belly pain and throwing up all night", expect: "abdominal-pain", lang: "en" },
  { text: "pain in my gut on and off for 3 days", expect: "abdominal-pain", lang: "en" },
  { text: "8yo says his tummy hurts really bad, hes lying curled up on the couch", expect: "abdominal-pain", lang: "en" },
  { text: "lower abdominal pain and im 8 weeks pregnant", expect: "abdominal-pain", lang: "en" },
  { text: "upper abdomen pain that goes straight through to my back", expect: "abdominal-pain", lang: "en" },
  { text: "stomach hurts. also want my birth control refilled", expect: "abdominal-pain", lang: "en" },
  { text: "pain low in my belly and side that comes in waves, cant sit still", expect: "abdominal-pain", lang: "en" },
  { text: "bloated and my belly hurts to touch, havent pooped in 5 days", expect: "abdominal-pain", lang: "en" },
  { text: "abdominal cramps and diarrhea with a little blood", expect: "abdominal-pain", lang: "en" },
  { text: "dull ache in my stomach that wakes me up at night", expect: "abdominal-pain", lang: "en" },
  { text: "been having this stomach pain kind of around my belly button, started last night after dinner, thought food poisoning but now its more on the right and it hurts when the car goes over bumps. no diarrhea. i have a work thing at 3 so hoping video is ok", expect: "abdominal-pain", lang: "en" },
  { text: "me duele mucho el estómago desde anoche", expect: "abdominal-pain", lang: "es" },
  { text: "dolor de panza y vomito", expect: "abdominal-pain", lang: "es" },
  { text: "tengo un dolor en el lado derecho de la barriga que no se me quita", expect: "abdominal-pain", lang: "es" },
  { text: "a mi hija le duele la pancita y tiene diarrea", expect: "abdominal-pain", lang: "es" },
  { text: "tengo stomach pain bien fuerte after eating", expect: "abdominal-pain", lang: "es" },

  // ---------------- suicidal-or-self-harm ----------------
  { text: "i dont want to be here anymore", expect: "suicidal-or-self-harm", lang: "en" },
  { text: "thinking about ending it all", expect: "suicidal-or-self-harm", lang: "en" },
  { text: "ive been cutting myself again and its getting worse", expect: "suicidal-or-self-harm", lang: "en" },
  { text: "everyone would be better off without me", expect: "suicidal-or-self-harm", lang: "en" },
  { text: "i have a bottle of pills saved up and i keep thinking about taking them all", expect: "suicidal-or-self-harm", lang: "en" },
  { text: "want to kms honestly", expect: "suicidal-or-self-harm", lang: "en" },
  { text: "my 15yo told me she wants to die and shes been searching ways to do it online", expect: "suicidal-or-self-harm", lang: "en" },
  { text: "i keep thinking about driving my car off the bridge on the way to work", expect: "suicidal-or-self-harm", lang: "en" },
  { text: "need a med refill but also real talk ive been thinking about unaliving myself", expect: "suicidal-or-self-harm", lang: "en" },
  { text: "took way more of my pills than i should on purpose, about an hour ago", expect: "suicidal-or-self-harm", lang: "en" },
  { text: "whats the point of living, ive been writing goodbye letters", expect: "suicidal-or-self-harm", lang: "en" },
  { text: "been burning myself with a lighter to cope", expect: "suicidal-or-self-harm", lang: "en" },
  { text: "i just want to go to sleep and never wake up", expect: "suicidal-or-self-harm", lang: "en" },
  { text: "idk if this is the right place. lost my job in march, my girlfriend left, and most nights i just sit there thinking it would be easier if i wasnt around. ive looked up how many of my pills it would take. i also need my allergy meds but thats not really why im writing", expect: "suicidal-or-self-harm", lang: "en" },
  { text: "ya no quiero vivir", expect: "suicidal-or-self-harm", lang: "es" },
  { text: "he pensado en quitarme la vida", expect: "suicidal-or-self-harm", lang: "es" },
  { text: "me estoy cortando los brazos otra vez", expect: "suicidal-or-self-harm", lang: "es" },
  { text: "mi hijo dice que se quiere matar", expect: "suicidal-or-self-harm", lang: "es" },
  { text: "siento que todos estarían mejor sin mí, ya tengo un plan", expect: "suicidal-or-self-harm", lang: "es" },

  // ---------------- telemedicine: plain ----------------
  { text: "need a refill on my lisinopril, running out friday", expect: "telemedicine", lang: "en" },
  { text: "sore throat and runny nose for 3 days", expect: "telemedicine", lang: "en" },
  { text: "pink eye i think, goopy in the mornings", expect: "telemedicine", lang: "en" },
  { text: "itchy patches on my elbows, eczema flaring again", expect: "telemedicine", lang: "en" },
  { text: "want to talk about starting birth control", expect: "telemedicine", lang: "en" },
  { text: "follow up on my blood work results", expect: "telemedicine", lang: "en" },
  { text: "anxiety has been bad lately, want to talk about options", expect: "telemedicine", lang: "en" },
  { text: "acne getting worse, the otc stuff isnt working", expect: "telemedicine", lang: "en" },
  { text: "cant sleep, insomnia for a few weeks now", expect: "telemedicine", lang: "en" },
  { text: "my kid came home from school with head lice, what do we use", expect: "telemedicine", lang: "en" },
  { text: "sinus pressure and congestion for 10 days", expect: "telemedicine", lang: "en" },
  { text: "mild ankle sprain from jogging, a little swollen, walking on it ok", expect: "telemedicine", lang: "en" },
  { text: "need a work note, i had the flu earlier this week", expect: "telemedicine", lang: "en" },
  { text: "blood pressure check-in, home readings have been good", expect: "telemedicine", lang: "en" },
  { text: "adhd med follow up", expect: "telemedicine", lang: "en" },
  { text: "thyroid med dose adjustment after my last labs", expect: "telemedicine", lang: "en" },
  { text: "dandruff that wont go away", expect: "telemedicine", lang: "en" },
  { text: "want to quit smoking, need help with it", expect: "telemedicine", lang: "en" },
  { text: "toddler has diaper rash", expect: "telemedicine", lang: "en" },
  { text: "depression meds dont seem to work as well anymore, want to adjust", expect: "telemedicine", lang: "en" },
  { text: "ear is itchy and sore on the outside after swimming", expect: "telemedicine", lang: "en" },
  { text: "wart on my finger", expect: "telemedicine", lang: "en" },
  { text: "body aches, chills, cough, i think its the flu", expect: "telemedicine", lang: "en" },
  { text: "referral to dermatology for a mole check", expect: "telemedicine", lang: "en" },
  { text: "my usual migraine, need my sumatriptan refilled", expect: "telemedicine", lang: "en" },
  { text: "refill pls", expect: "telemedicine", lang: "en" },
  { text: "cough thats hanging on after a cold, otherwise feel fine", expect: "telemedicine", lang: "en" },
  { text: "yeast infection again, itchy", expect: "telemedicine", lang: "en" },
  { text: "necesito resurtir mi receta de metformina", expect: "telemedicine", lang: "es" },
  { text: "tengo gripa, mocos y dolor de garganta", expect: "telemedicine", lang: "es" },
  { text: "mi hijo tiene piojos", expect: "telemedicine", lang: "es" },
  { text: "quiero hablar de la ansiedad que tengo", expect: "telemedicine", lang: "es" },
  { text: "tengo ronchitas que pican en los brazos desde que cambié de jabón", expect: "telemedicine", lang: "es" },
  { text: "necesito un refill de mis pastillas de la presión please", expect: "telemedicine", lang: "es" },

  // ---------------- telemedicine: hard negatives ----------------
  { text: "chest congestion and a wet cough for 4 days", expect: "telemedicine", lang: "en" }, // hard
  { text: "heartburn after spicy food, burning up into my throat when i lie down", expect: "telemedicine", lang: "en" }, // hard
  { text: "stuffy nose, cant breathe through my nose at night", expect: "telemedicine", lang: "en" }, // hard
  { text: "my gums bleed a little when i brush", expect: "telemedicine", lang: "en" }, // hard
  { text: "sunburn from the lake yesterday, red and sore", expect: "telemedicine", lang: "en" }, // hard
  { text: "burning when i pee and going all the time", expect: "telemedicine", lang: "en" }, // hard
  { text: "this cough is killing me, been going a week", expect: "telemedicine", lang: "en" }, // hard
  { text: "im dying to get my acne cleared up before my wedding lol", expect: "telemedicine", lang: "en" }, // hard
  { text: "numb tingly feet from my diabetes for years, want to talk about meds for it", expect: "telemedicine", lang: "en" }, // hard
  { text: "both hands go numb when i type a lot, carpal tunnel?", expect: "telemedicine", lang: "en" }, // hard
  { text: "heartbroken after a breakup, cant focus at work, want someone to talk to", expect: "telemedicine", lang: "en" }, // hard
  { text: "my phone screen is broken so im booking from my sisters account, need a refill", expect: "telemedicine", lang: "en" }, // hard
  { text: "want advice on losing belly fat", expect: "telemedicine", lang: "en" }, // hard
  { text: "ive stuttered my whole life, want a speech therapy referral", expect: "telemedicine", lang: "en" }, // hard
  { text: "i get seasick on boats, going on a cruise next month, want the patch", expect: "telemedicine", lang: "en" }, // hard
  { text: "bug bites on my legs, itchy and a bit puffy around each one", expect: "telemedicine", lang: "en" }, // hard
  { text: "pulled a muscle in my back lifting boxes", expect: "telemedicine", lang: "en" }, // hard
  { text: "jammed my finger at volleyball, a bit swollen but i can bend it all the way", expect: "telemedicine", lang: "en" }, // hard
  { text: "breaking out in pimples on my chin", expect: "telemedicine", lang: "en" }, // hard
  { text: "hives from the new laundry detergent, itchy", expect: "telemedicine", lang: "en" }, // hard
  { text: "sore throat, hurts a little to swallow", expect: "telemedicine", lang: "en" }, // hard
  { text: "allergies making my eyes puffy and watery", expect: "telemedicine", lang: "en" }, // hard
  { text: "ran out of my inhaler, asthma is well controlled, just need the refill", expect: "telemedicine", lang: "en" }, // hard
  { text: "razor burn on my neck that keeps getting bumpy", expect: "telemedicine", lang: "en" }, // hard
  { text: "scraped knee at the park, bled a little, now slightly red around it, is it infected?", expect: "telemedicine", lang: "en" }, // hard
  { text: "panic attacks before presentations, want something for performance anxiety", expect: "telemedicine", lang: "en" }, // hard
  { text: "tengo el pecho congestionado y mucha flema", expect: "telemedicine", lang: "es" }, // hard
  { text: "me arde al orinar", expect: "telemedicine", lang: "es" }, // hard
  { text: "tengo agruras después de comer picante", expect: "telemedicine", lang: "es" }, // hard
  { text: "me quemé con el sol en la playa, la piel está roja", expect: "telemedicine", lang: "es" }, // hard

  // ---------------- telemedicine: negated red flags ----------------
  { text: "no chest pain or anything, just need my statin refilled", expect: "telemedicine", lang: "en", context: "negated" },
  { text: "not suicidal, just super stressed and not sleeping", expect: "telemedicine", lang: "en", context: "negated" },
  { text: "itchy rash on my arms, no fever", expect: "telemedicine", lang: "en", context: "negated" },
  { text: "bumped my head on the cabinet, didnt pass out, no throwing up, just a small bump", expect: "telemedicine", lang: "en", context: "negated" },
  { text: "cough and runny nose, no trouble breathing", expect: "telemedicine", lang: "en", context: "negated" },
  { text: "hives from a new soap, no lip or tongue swelling, breathing is fine", expect: "telemedicine", lang: "en", context: "negated" },
  { text: "pink eye, vision is fine, no pain", expect: "telemedicine", lang: "en", context: "negated" },
  { text: "no belly pain, just constipated for a few days", expect: "telemedicine", lang: "en", context: "negated" },
  { text: "bp read high at the pharmacy, no headache, no chest pain, no vision changes", expect: "telemedicine", lang: "en", context: "negated" },
  { text: "i dont want to hurt myself, i just feel really flat and unmotivated lately", expect: "telemedicine", lang: "en", context: "negated" },
  { text: "rolled my ankle, dont think its broken, can walk on it, mild swelling", expect: "telemedicine", lang: "en", context: "negated" },
  { text: "no shortness of breath, just a tickly dry cough for a week", expect: "telemedicine", lang: "en", context: "negated" },
  { text: "nausea from my new metformin, no stomach pain", expect: "telemedicine", lang: "en", context: "negated" },
  { text: "crick in my neck from sleeping funny, no numbness or weakness", expect: "telemedicine", lang: "en", context: "negated" },
  { text: "small kitchen cut, bleeding stopped right away, do i need a tetanus shot", expect: "telemedicine", lang: "en", context: "negated" },
  { text: "toddler has a runny nose and red cheeks rash, no fever at all, acting totally normal", expect: "telemedicine", lang: "en", context: "negated" },
  { text: "headache from staring at screens all day, no vision loss, no dizziness", expect: "telemedicine", lang: "en", context: "negated" },
  { text: "hi, moved here from ohio last month and dont have a pcp yet. i take sertraline 50 for anxiety and im down to my last 5 pills. mood is stable, no thoughts of hurting myself, just need a bridge refill until i get established somewhere. thanks so much", expect: "telemedicine", lang: "en", context: "negated" },
  { text: "tengo tos y mocos, no tengo fiebre ni me falta el aire", expect: "telemedicine", lang: "es", context: "negated" },
  { text: "no me duele el pecho, solo necesito la receta de la presion", expect: "telemedicine", lang: "es", context: "negated" },
  { text: "no me pegué en la cabeza, solo me torcí el tobillo y puedo caminar bien", expect: "telemedicine", lang: "es", context: "negated" },
  { text: "no tengo pensamientos de hacerme daño, pero me siento muy triste últimamente", expect: "telemedicine", lang: "es", context: "negated" },
  { text: "sin dolor de estómago, solo náuseas leves del embarazo", expect: "telemedicine", lang: "es", context: "negated" },
  { text: "salpullido en el cuello que me pica, sin fiebre", expect: "telemedicine", lang: "es", context: "negated" },

  // ---------------- telemedicine: historical red flags ----------------
  { text: "had a febrile seizure when i was 3, nothing since, need a sports physical form signed", expect: "telemedicine", lang: "en", context: "historical" },
  { text: "broke my wrist last summer, cast is off, follow up about the stiffness", expect: "telemedicine", lang: "en", context: "historical" },
  { text: "my dad had a stroke a few years back so i want to check on my own cholesterol", expect: "telemedicine", lang: "en", context: "historical" },
  { text: "had a heart attack in 2019, doing well, need my plavix refill", expect: "telemedicine", lang: "en", context: "historical" },
  { text: "anaphylaxis to peanuts as a kid, need my epipen prescription renewed", expect: "telemedicine", lang: "en", context: "historical" },
  { text: "stomach pain last month went away completely, just want to go over my ultrasound results", expect: "telemedicine", lang: "en", context: "historical" },
  { text: "self-harmed in high school but havent in years, want to restart therapy for anxiety", expect: "telemedicine", lang: "en", context: "historical" },
  { text: "concussion 3 weeks ago from soccer, headaches mostly gone, want to check in about school workload", expect: "telemedicine", lang: "en", context: "historical" },
  { text: "went to the ER last week for chest pain, everything came back normal, no pain since, was told to follow up", expect: "telemedicine", lang: "en", context: "historical" },
  { text: "had stitches last week after cutting my hand, healing fine, when do they come out", expect: "telemedicine", lang: "en", context: "historical" },
  { text: "epilepsy well controlled, last seizure 2 years ago, keppra refill please", expect: "telemedicine", lang: "en", context: "historical" },
  { text: "suicide attempt back in 2016, stable on meds now, need refill and a med check", expect: "telemedicine", lang: "en", context: "historical" },
  { text: "burned my finger on the stove last week, small blister, healing, can someone look on camera", expect: "telemedicine", lang: "en", context: "historical" },
  { text: "my daughter had scarlet fever with the rash last month, all better now, school wants a note", expect: "telemedicine", lang: "en", context: "historical" },
  { text: "dislocated my shoulder 2 years ago, want to ask about pt exercises", expect: "telemedicine", lang: "en", context: "historical" },
  { text: "had my appendix out last year for appendicitis, asking about travel vaccines", expect: "telemedicine", lang: "en", context: "historical" },
  { text: "was hospitalized for an asthma attack a few months ago, breathing fine now, inhaler refill", expect: "telemedicine", lang: "en", context: "historical" },
  { text: "my mom had a mini stroke last year, i take care of her, i want to talk about my own stress", expect: "telemedicine", lang: "en", context: "historical" },
  { text: "hace años tuve convulsiones, ya no, necesito renovar mi receta", expect: "telemedicine", lang: "es", context: "historical" },
  { text: "hace dos años tuve ideas suicidas, ahora estoy bien, quiero seguimiento con el psiquiatra", expect: "telemedicine", lang: "es", context: "historical" },
  { text: "me fracturé el tobillo hace 6 meses, ya camino bien, quiero preguntar por terapia", expect: "telemedicine", lang: "es", context: "historical" },
  { text: "mi papá tuvo un infarto hace tiempo, yo quiero revisar mi colesterol", expect: "telemedicine", lang: "es", context: "historical" },
  { text: "el mes pasado tuve una reacción alérgica fuerte, ya estoy bien, quiero referido al alergólogo", expect: "telemedicine", lang: "es", context: "historical" },
];
