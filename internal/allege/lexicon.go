package allege

// role is what a lexicon entry tells about a clause.
type role uint8

const (
	roleAction      role = iota + 1 // an act; value: its kind
	roleMeans                       // the weapon; value: the strike kind it makes
	roleIntercept                   // a shoot-down or interception
	roleAttempt                     // the act was tried and stopped
	roleConsequence                 // a loss of supply; value: the target it implies
	roleResponse                    // "in response to": the clause up to the next comma is another act
	rolePrep                        // introduces the target: party words after it own the target
	roleNumber                      // a number in words; value: its digits
	roleParty                       // a party word from the caller's table; value: party id or enemy/self
	roleDescribes                   // a participle describing the target: targets after it are not hit
	rolePlan                        // the act is planned or feared, not done: no allegation
	roleExclude                     // shadows the shorter hits it contains
)

// entry is one line of the lexicon.
type entry struct {
	lang    string // en, uk, ru
	pattern string // package ac syntax
	role    role
	value   string
}

// Kinds named by the lexicon.
const (
	kStrike    = "strike"
	kDrone     = "strike.drone"
	kMissile   = "strike.missile"
	kArtillery = "strike.artillery"
	kAir       = "strike.air"
	kGround    = "ground.clash"
	kSabotage  = "sabotage"
	kExplosion = "explosion"
)

// Targets implied by consequences.
const (
	cElectricity = "energy.electricity"
	cGas         = "energy.oil_gas"
	cEnergy      = "energy"
)

// lexicon is the built-in vocabulary of acts, weapons, interceptions,
// attempts and consequences, in the three languages of the sources. Party
// words are not here: who "the enemy" is depends on who speaks, so each
// mapping ships its own table (see docs/allegations.md).
//
// Principles: a verb or noun of an act in its inflected forms ("удар",
// "ударов", "ударили"); a weapon word alone is not an act ("беспилотник"
// appears in tallies and in features), it only names the means of one; words
// that are ambiguous alone ("уничтожен", "destroyed") count as interceptions
// only together with a weapon word, which Read checks.
var lexicon = []entry{
	// ------------------------------------------------------------ Russian
	{"ru", "удар{|а|у|ом|е|ы|ов|ам|ами|ах|ил|ила|или|ить|ят|ял|яли|ять}$", roleAction, kStrike},
	{"ru", "нанес{|ен|ены|ли|ла|ти}$ удар", roleAction, kStrike},
	{"ru", "авиаудар", roleAction, kAir},
	{"ru", "атак", roleAction, kStrike},
	{"ru", "атаков", roleAction, kStrike},
	{"ru", "обстрел", roleAction, kArtillery},
	{"ru", "налет", roleAction, kAir},
	{"ru", "авианалет", roleAction, kAir},
	{"ru", "бомбардир", roleAction, kAir},
	{"ru", "бомбил", roleAction, kAir},
	{"ru", "поражен{|ы|о|а}$", roleAction, kStrike},
	{"ru", "поразил", roleAction, kStrike},
	{"ru", "ущерб", roleAction, kStrike},
	{"ru", "{поврежд|повредил|повреди}", roleAction, kStrike},
	{"ru", "прилет", roleAction, kStrike},
	{"ru", "диверси", roleAction, kSabotage},
	{"ru", "{подорв|взорва}", roleAction, kExplosion},
	{"ru", "штурм", roleAction, kGround},
	{"ru", "контратак", roleAction, kGround},
	{"ru", "наступлени", roleAction, kGround},
	{"ru", "бо{й|и|ев|ях|ями}$", roleAction, kGround},
	{"ru", "беспилотн", roleMeans, kDrone},
	{"ru", "бпла$", roleMeans, kDrone},
	{"ru", "бла$", roleMeans, kDrone},
	{"ru", "дрон", roleMeans, kDrone},
	{"ru", "ракет", roleMeans, kMissile},
	{"ru", "крылат", roleMeans, kMissile},
	{"ru", "{атакмс|хаймарс|шторм шэдоу}", roleMeans, kMissile},
	{"ru", "артиллер", roleMeans, kArtillery},
	{"ru", "миномет", roleMeans, kArtillery},
	{"ru", "рсзо$", roleMeans, kArtillery},
	{"ru", "систем{|ы|ами|ам} залпового огня", roleMeans, kArtillery},
	{"en", "{himars|mlrs|atacms}$", roleMeans, kMissile},
	{"ru", "снаряд", roleMeans, kArtillery},
	{"ru", "авиабомб", roleMeans, kAir},
	{"ru", "авиаци", roleMeans, kAir},
	{"ru", "сбит{|ы|о|а}$", roleIntercept, ""},
	{"ru", "сбил{|и|а}$", roleIntercept, ""},
	{"ru", "перехвач", roleIntercept, ""},
	{"ru", "уничтожен{|ы|о|а}$", roleIntercept, "weapon"},
	{"ru", "подавлен{|ы|о|а}$", roleIntercept, "weapon"},
	{"ru", "попытк", roleAttempt, ""},
	{"ru", "пресечен", roleAttempt, ""},
	{"ru", "предотвращ", roleAttempt, ""},
	{"ru", "отражен{|ы|о|а}$", roleAttempt, ""},
	{"ru", "без {электроснабжения|электричества|света|электроэнергии}", roleConsequence, cElectricity},
	{"ru", "обесточ", roleConsequence, cElectricity},
	{"ru", "отключени{е|я|ю} {электроснабжения|электроэнергии|света}", roleConsequence, cElectricity},
	{"ru", "без {газа|газоснабжения}", roleConsequence, cGas},
	{"ru", "без {тепла|отопления|теплоснабжения}", roleConsequence, cEnergy},
	{"ru", "в ответ на", roleResponse, ""},
	{"ru", "{выполняющ|обеспечивающ|охраняющ|осуществляющ|прикрывающ}", roleDescribes, ""},
	{"ru", "подготовк{е|у|а|и} к", rolePlan, ""},
	{"ru", "{планиру|намерева|готовит|готовят|готовящ|в случае}", rolePlan, ""},
	{"ru", "по$", rolePrep, ""},
	{"ru", "против$", rolePrep, ""},
	// Exclusions: training and features, not acts.
	{"ru", "ударн", roleExclude, ""}, // "ударных беспилотников": an attack drone is a weapon, not an act
	{"ru", "{учени|учебн|тренировк}", roleExclude, ""},

	// ---------------------------------------------------------- Ukrainian
	{"uk", "удар{|у|ом|і|и|ів|ам|ами|ах|ив|или|ила}$", roleAction, kStrike},
	{"uk", "завда{в|ли|ла|но} удар", roleAction, kStrike},
	{"uk", "вдар{|ив|или|ила|ять}$", roleAction, kStrike},
	{"uk", "атак", roleAction, kStrike},
	{"uk", "атаку{вал|вали|є|ють}", roleAction, kStrike},
	{"uk", "обстріл", roleAction, kArtillery},
	{"uk", "наліт", roleAction, kAir},
	{"uk", "авіаудар", roleAction, kAir},
	{"uk", "пошкодж", roleAction, kStrike},
	{"uk", "влучан", roleAction, kStrike},
	{"uk", "влучил", roleAction, kStrike},
	{"uk", "приліт", roleAction, kStrike},
	{"uk", "штурм", roleAction, kGround},
	{"uk", "наступ{|у|ом|і}$", roleAction, kGround},
	{"uk", "бо{ї|їв|ях}$", roleAction, kGround},
	{"uk", "безпілотн", roleMeans, kDrone},
	{"uk", "бпла$", roleMeans, kDrone},
	{"uk", "шахед", roleMeans, kDrone},
	{"uk", "ракет", roleMeans, kMissile},
	{"uk", "артилер", roleMeans, kArtillery},
	{"uk", "міномет", roleMeans, kArtillery},
	{"uk", "рсзв$", roleMeans, kArtillery},
	{"uk", "каб{|и|ами|ів}$", roleMeans, kAir},
	{"uk", "авіабомб", roleMeans, kAir},
	{"uk", "авіаці", roleMeans, kAir},
	{"uk", "збит{|о|і|ий|а}$", roleIntercept, ""},
	{"uk", "збил{|и|а}$", roleIntercept, ""},
	{"uk", "перехоплен", roleIntercept, ""},
	{"uk", "знешкоджен", roleIntercept, ""},
	{"uk", "знищен{|о|і|ий|а}$", roleIntercept, "weapon"},
	{"uk", "спроб", roleAttempt, ""},
	{"uk", "без {світла|електропостачання|електроенергії|електрики}", roleConsequence, cElectricity},
	{"uk", "знеструмл", roleConsequence, cElectricity},
	{"uk", "без {газу|газопостачання}", roleConsequence, cGas},
	{"uk", "без {тепла|опалення|теплопостачання}", roleConsequence, cEnergy},
	{"uk", "у відповідь на", roleResponse, ""},
	{"uk", "підготовк{у|и|а|і} до", rolePlan, ""},
	{"uk", "{планує|планують|готує|готують|у разі}", rolePlan, ""},
	{"uk", "ударн", roleExclude, ""},

	// ------------------------------------------------------------ English
	{"en", "strik{e|es|ing}$", roleAction, kStrike},
	{"en", "struck", roleAction, kStrike},
	{"en", "attack{|s|ed|ing}$", roleAction, kStrike},
	{"en", "hit{|s|ting}$", roleAction, kStrike},
	{"en", "targeted", roleAction, kStrike},
	{"en", "damag{ed|ing}$", roleAction, kStrike},
	{"en", "shell{ed|ing|s}$", roleAction, kArtillery},
	{"en", "bomb{ed|ing|ardment|ardments}$", roleAction, kAir},
	{"en", "{air strike|airstrike|air raid}", roleAction, kAir},
	{"en", "sabotage", roleAction, kSabotage},
	{"en", "{clash|clashes|clashed|assault|assaults|offensive|fighting}$", roleAction, kGround},
	{"en", "{drone|drones|uav|uavs|shahed|shaheds}$", roleMeans, kDrone},
	{"en", "missile", roleMeans, kMissile},
	{"en", "{artillery|mortar|mortars|mlrs|howitzer|howitzers|rocket launcher|rocket launchers|grad|shells}$", roleMeans, kArtillery},
	{"en", "{aircraft|aviation|glide bomb|glide bombs|guided bomb|guided bombs|jets}$", roleMeans, kAir},
	{"en", "shot down", roleIntercept, ""},
	{"en", "{intercepted|downed|neutralised|neutralized}$", roleIntercept, ""},
	{"en", "destroyed", roleIntercept, "weapon"},
	{"en", "{attempt|attempted|thwarted|repelled|foiled}$", roleAttempt, ""},
	{"en", "without {electricity|power|power supply}", roleConsequence, cElectricity},
	{"en", "{power outage|power outages|power cut|power cuts|blackout|blackouts|cut off power|cut power|lost power|de energi}", roleConsequence, cElectricity},
	{"en", "without {gas|gas supply}", roleConsequence, cGas},
	{"en", "without {heating|heat}", roleConsequence, cEnergy},
	{"en", "{in response to|in retaliation for}", roleResponse, ""},
	{"en", "{preparing to|plans to|planning to|intends to|threatened to|in case of}", rolePlan, ""},
	{"en", "{on|at|against|targeting}$", rolePrep, ""},
	{"en", "{drone strike|missile strike|air strike} warning", roleExclude, ""},
}

// numbers are numbers in words, in the forms counts take ("шесть атак",
// "шести ударов", "six attacks").
var numbers = []entry{
	{"en", "one$", roleNumber, "1"}, {"en", "two$", roleNumber, "2"}, {"en", "three$", roleNumber, "3"},
	{"en", "four$", roleNumber, "4"}, {"en", "five$", roleNumber, "5"}, {"en", "six$", roleNumber, "6"},
	{"en", "seven$", roleNumber, "7"}, {"en", "eight$", roleNumber, "8"}, {"en", "nine$", roleNumber, "9"},
	{"en", "ten$", roleNumber, "10"}, {"en", "eleven$", roleNumber, "11"}, {"en", "twelve$", roleNumber, "12"},
	{"en", "dozen$", roleNumber, "12"}, {"en", "twenty$", roleNumber, "20"}, {"en", "thirty$", roleNumber, "30"},
	{"en", "forty$", roleNumber, "40"}, {"en", "fifty$", roleNumber, "50"}, {"en", "hundred$", roleNumber, "100"},
	{"ru", "{один|одна|одну|одного}$", roleNumber, "1"}, {"ru", "{два|две|двух}$", roleNumber, "2"},
	{"ru", "{три|трех}$", roleNumber, "3"}, {"ru", "{четыре|четырех}$", roleNumber, "4"},
	{"ru", "{пять|пяти}$", roleNumber, "5"}, {"ru", "{шесть|шести}$", roleNumber, "6"},
	{"ru", "{семь|семи}$", roleNumber, "7"}, {"ru", "{восемь|восьми}$", roleNumber, "8"},
	{"ru", "{девять|девяти}$", roleNumber, "9"}, {"ru", "{десять|десяти}$", roleNumber, "10"},
	{"ru", "{двадцать|двадцати}$", roleNumber, "20"}, {"ru", "{тридцать|тридцати}$", roleNumber, "30"},
	{"ru", "{сорок|сорока}$", roleNumber, "40"}, {"ru", "{пятьдесят|пятидесяти}$", roleNumber, "50"},
	{"ru", "{сто|ста}$", roleNumber, "100"},
	{"uk", "{один|одна|одну|одного}$", roleNumber, "1"}, {"uk", "{два|дві|двох}$", roleNumber, "2"},
	{"uk", "{три|трьох}$", roleNumber, "3"}, {"uk", "{чотири|чотирьох}$", roleNumber, "4"},
	{"uk", "{п'ять|п'яти}$", roleNumber, "5"}, {"uk", "{шість|шести}$", roleNumber, "6"},
	{"uk", "{сім|семи}$", roleNumber, "7"}, {"uk", "{вісім|восьми}$", roleNumber, "8"},
	{"uk", "{дев'ять|дев'яти}$", roleNumber, "9"}, {"uk", "{десять|десяти}$", roleNumber, "10"},
	{"uk", "{двадцять|двадцяти}$", roleNumber, "20"}, {"uk", "{тридцять|тридцяти}$", roleNumber, "30"},
	{"uk", "{сто|ста}$", roleNumber, "100"},
}
