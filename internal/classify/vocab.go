package classify

import "slices"

// Taxonomy ids used by the vocabulary, short so the table reads as a table.
const (
	tEnergy       = "energy"
	tRefinery     = "energy.refinery"
	tOilGas       = "energy.oil_gas"
	tPipeline     = "energy.oil_gas.pipeline"
	tStorage      = "energy.oil_gas.storage"
	tPumping      = "energy.oil_gas.pumping"
	tElectricity  = "energy.electricity"
	tGeneration   = "energy.electricity.generation"
	tTransmission = "energy.electricity.transmission"
	tNuclear      = "energy.nuclear"
	tHydro        = "energy.hydro"

	tCivilian    = "civilian"
	tResidential = "civilian.residential"
	tMedical     = "civilian.medical"
	tEducation   = "civilian.education"
	tReligious   = "civilian.religious"
	tCommercial  = "civilian.commercial"
	tAgriculture = "civilian.agriculture"
	tHumanitar   = "civilian.humanitarian"
	tPeople      = "civilian.people"

	tInfra      = "infrastructure"
	tRail       = "infrastructure.transport.rail"
	tRoad       = "infrastructure.transport.road"
	tPort       = "infrastructure.transport.port"
	tAirport    = "infrastructure.transport.airport"
	tWater      = "infrastructure.water"
	tTelecom    = "infrastructure.telecom"
	tIndustrial = "infrastructure.industrial"
	tGovernment = "infrastructure.government"

	tPersonnel = "military.personnel"
	tEquipment = "military.equipment"
	tBase      = "military.base"
	tLogistics = "military.logistics"

	// A depot of military fuel is both: the taxonomy lists fuel depots under
	// energy storage and under military logistics.
	tFuelMil = tStorage + " " + tLogistics

	exclude = "" // an entry that only shadows the shorter hits it contains
)

// Entry is one line of the dictionary.
type Entry struct {
	Lang    string // "en", "uk" or "ru"
	Pattern string // package ac syntax: stem by default, '$' for a whole word, {a|b} alternatives
	Terms   string // space-separated taxonomy ids; empty for an exclusion
}

// Rule is the entry's id as recorded in event.Reason.Rule, e.g. "en:substation".
func (e Entry) Rule() string { return e.Lang + ":" + e.Pattern }

// Vocabulary returns a copy of the built-in dictionary, for callers that
// extend it and compile their own with NewWith.
func Vocabulary() []Entry { return slices.Clone(vocabulary) }

// vocabulary is the built-in dictionary. Order does not matter for matching;
// it is the order of docs/classifier.md.
//
// Principles (see docs/classifier.md for the reasoning and the measured
// effect): a pattern names a facility, never a commodity or a consequence
// ("fuel prices", "without electricity" are not targets); words that are
// ambiguous alone ("station", "plant", "power", "line", "gas", "energy") only
// appear inside longer phrases; an ambiguous but energy-only phrase maps to the
// parent category ("energy infrastructure" -> energy); and a longer hit that
// contains a shorter one wins (nuclear power plant over power plant, boiler
// house over house, water pipeline over pipeline).
var vocabulary = []Entry{
	// ---------------------------------------------------------------- English
	// Refineries.
	{"en", "refiner{y|ies}$", tRefinery},
	{"en", "oil refining", tRefinery},
	{"en", "oil processing {plant|facilit}", tRefinery},
	// Oil and gas, unspecified.
	{"en", "oil and gas {facilit|infrastructure|installation}", tOilGas},
	{"en", "{oil|gas|fuel} infrastructure", tOilGas},
	{"en", "oil {facilit|installation}", tOilGas},
	{"en", "gas {facilit|installation}", tOilGas},
	{"en", "oil well{|s}$", tOilGas},
	// Pipelines.
	{"en", "pipeline{|s}$", tPipeline},
	{"en", "{gas|oil|petroleum|fuel} pipeline{|s}$", tPipeline},
	{"en", "{gas|oil} pipe{|s}$", tPipeline},
	{"en", "gas main{|s}$", tPipeline},
	{"en", "gas line{|s}$", tPipeline},
	{"en", "water pipeline{|s}$", tWater},
	{"en", "sewage pipeline{|s}$", tWater},
	{"en", "{carbon|co2} pipeline", exclude},
	{"en", "in the pipeline", exclude},
	// Storage and terminals.
	{"en", "{oil|fuel|petroleum|gas|diesel} depot{|s}$", tStorage},
	{"en", "{oil|fuel|petroleum|gas|lng} storage", tStorage},
	{"en", "{oil|fuel|lng|petroleum} terminal{|s}$", tStorage},
	{"en", "oil port{|s}$", tStorage},
	{"en", "tank farm{|s}$", tStorage},
	{"en", "{oil|fuel|storage} tank{|s}$", tStorage},
	{"en", "fuel {stock|dump|reserve}{|s}$", tStorage},
	{"en", "fuel storage facilit", tStorage},
	// Pumping, compressor and metering stations.
	{"en", "{oil|gas} pumping", tPumping},
	{"en", "compressor station{|s}$", tPumping},
	{"en", "gas compressor", tPumping},
	{"en", "gas {metering|measuring|distribution} {station|point|facilit}", tPumping},
	{"en", "{metering|booster} station{|s}$", tPumping},
	{"en", "water pumping", tWater},
	// Electricity, unspecified.
	{"en", "{power|electricity|electrical|electric} infrastructure", tElectricity},
	{"en", "{power|electricity|electrical|electric|power supply} facilit", tElectricity},
	{"en", "{power|energy|electricity} system{|s}$", tElectricity},
	{"en", "electricity {cent|centr}{er|re|ers|res}$", tElectricity},
	// Generation.
	{"en", "power plant{|s}$", tGeneration},
	{"en", "power station{|s}$", tGeneration},
	{"en", "{thermal|coal|gas fired|coal fired|oil fired|diesel} power", tGeneration},
	{"en", "thermoelectric", tGeneration},
	{"en", "thermal plant{|s}$", tGeneration},
	{"en", "{combined|combined heat and|heat and} power", tGeneration},
	{"en", "cogeneration", tGeneration},
	{"en", "tpp{|s}$", tGeneration},
	{"en", "chpp{|s}$", tGeneration},
	{"en", "chp 0", tGeneration}, // "CHP-5"; bare CHP is a Turkish party in ACLED
	{"en", "{heating|boiler|coal} plant{|s}$", tGeneration},
	{"en", "boiler house{|s}$", tGeneration},
	{"en", "{solar|wind} {power|farm|park|plant}", tGeneration},
	{"en", "wind turbine", tGeneration},
	{"en", "{power|electricity} generat", tGeneration},
	{"en", "generating {facilit|capacit}", tGeneration},
	// Transmission and distribution.
	{"en", "substation", tTransmission},
	{"en", "sub station", tTransmission},
	{"en", "transformer", tTransmission},
	{"en", "power line{|s}$", tTransmission},
	{"en", "powerline{|s}$", tTransmission}, // "power-line" is "power line": hyphens fold
	{"en", "power cable", tTransmission},
	{"en", "{power|electricity|electrical} transmission", tTransmission},
	{"en", "transmission {line|tower|network}", tTransmission},
	{"en", "{electric|electricity|electrical|power} {tower|pylon|pole}", tTransmission},
	{"en", "pylon{|s}$", tTransmission},
	{"en", "high{ |}voltage", tTransmission},
	{"en", "{power|electric|electrical|electricity|energy} grid", tTransmission},
	{"en", "grid{|s}$", tTransmission},
	{"en", "grid {square|reference|coordinate}", exclude},
	{"en", "{electricity|power|electric|electrical} network", tTransmission},
	{"en", "{electricity|power|electrical} distribution", tTransmission},
	{"en", "switchyard", tTransmission},
	{"en", "ukrenergo", tTransmission},
	{"en", "rosseti", tTransmission},
	// Energy, unspecified: the text says "energy" and nothing narrower.
	{"en", "energy {infrastructure|facilit|installation|enterprise|asset|object|target|site}", tEnergy},
	{"en", "energy sector$", tEnergy},
	{"en", "fuel and energy", tEnergy},
	{"en", "power unit{|s}$", tEnergy},
	// Nuclear.
	{"en", "{nuclear|atomic} power", tNuclear},
	{"en", "{nuclear|atomic} power {plant|station}{|s}$", tNuclear}, // shadows "power plant"
	{"en", "nuclear {plant|station|facilit|reactor}", tNuclear},
	{"en", "{npp|znpp|chnpp}{|s}$", tNuclear},
	// Hydro.
	{"en", "hydro{ |}electric", tHydro},
	{"en", "hydro{ |}electric power {plant|station}{|s}$", tHydro}, // shadows "power plant"
	{"en", "hydro{ |}power", tHydro},
	{"en", "hydro plant", tHydro},
	{"en", "hpp{|s}$", tHydro},
	{"en", "dam{|s}$", tHydro},
	{"en", "pumped storage", tHydro},
	{"en", "dam square", exclude},

	// Filling stations sell fuel; they are shops, not energy infrastructure.
	{"en", "{gas|petrol|filling|fuel|service} station{|s}$", tCommercial},
	// Stations that are not energy.
	{"en", "{railway|railroad|train|rail} station{|s}$", tRail},
	{"en", "bus station{|s}$", tRoad},
	{"en", "police {station|substation}{|s}$", tGovernment},
	{"en", "ambulance {station|substation}{|s}$", tMedical},
	{"en", "{radio|television|tv} station{|s}$", tTelecom},
	{"en", "{filtration|filter|water treatment|water pumping} station{|s}$", tWater},
	{"en", "{radar|electronic warfare} station{|s}$", tEquipment},
	// Agencies, ministries and prices mention energy but are not targets.
	{"en", "{atomic|nuclear} energy agency", exclude},
	{"en", "{ministry|minister|department} of energy", exclude},
	{"en", "energy {ministry|minister|price|cost|bill}", exclude},

	// Civilian objects.
	{"en", "house{|s}$", tResidential},
	{"en", "housing", tResidential},
	{"en", "home{|s}$", tResidential},
	{"en", "residential", tResidential},
	{"en", "apartment", tResidential},
	{"en", "dwelling", tResidential},
	{"en", "dormitor", tResidential},
	{"en", "high rise", tResidential},
	{"en", "civilian house{|s}$", tResidential},
	{"en", "hospital", tMedical},
	{"en", "clinic{|s}$", tMedical},
	{"en", "polyclinic", tMedical},
	{"en", "medical {facilit|centre|center|institution}", tMedical},
	{"en", "ambulance", tMedical},
	{"en", "maternity", tMedical},
	{"en", "school", tEducation},
	{"en", "kindergarten", tEducation},
	{"en", "universit{y|ies}$", tEducation},
	{"en", "college{|s}$", tEducation},
	{"en", "lyceum", tEducation},
	{"en", "church", tReligious},
	{"en", "mosque", tReligious},
	{"en", "synagogue", tReligious},
	{"en", "cemeter", tReligious},
	{"en", "monaster", tReligious},
	{"en", "cathedral", tReligious},
	{"en", "shop{|s}$", tCommercial},
	{"en", "shopping", tCommercial},
	{"en", "store{|s}$", tCommercial},
	{"en", "supermarket", tCommercial},
	{"en", "market{|s|place}$", tCommercial},
	{"en", "mall{|s}$", tCommercial},
	{"en", "hotel", tCommercial},
	{"en", "restaurant", tCommercial},
	{"en", "cafe{|s}$", tCommercial},
	{"en", "{office|business} {building|centre|center}", tCommercial},
	{"en", "warehouse", tCommercial},
	{"en", "farm{|s|land|lands}$", tAgriculture},
	{"en", "grain", tAgriculture},
	{"en", "silo{|s}$", tAgriculture},
	{"en", "agricultur", tAgriculture},
	{"en", "tractor", tAgriculture},
	{"en", "livestock", tAgriculture},
	{"en", "humanitarian", tHumanitar},
	{"en", "aid convoy", tHumanitar},
	{"en", "evacuation", tHumanitar},
	{"en", "green corridor", tHumanitar},
	{"en", "red cross", tHumanitar},
	{"en", "civilian{|s}$", tPeople},
	{"en", "civilian {car|vehicle}{|s}$", tPeople},
	{"en", "pedestrian", tPeople},
	{"en", "civilian object{|s}$", tCivilian},

	// Other infrastructure.
	{"en", "{civilian|civil|critical} infrastructure{|s}$", tInfra},
	// "The infrastructure of military airfields" is the airfields'.
	{"en", "infrastructure of {military|the military|military importance}", tBase},
	{"en", "infrastructure{|s}$", tInfra},
	{"en", "railway", tRail},
	{"en", "railroad", tRail},
	{"en", "rail{|s|line|lines}$", tRail},
	{"en", "train{|s}$", tRail},
	{"en", "locomotive", tRail},
	{"en", "rolling stock", tRail},
	{"en", "bridge{|s}$", tRoad},
	{"en", "overpass", tRoad},
	{"en", "sea{ |}port{|s}$", tPort},
	{"en", "{river|commercial|grain} port{|s}$", tPort},
	{"en", "port {of|facilit|infrastructure}", tPort},
	{"en", "harbo{u|}r", tPort},
	{"en", "airport", tAirport},
	{"en", "water {supply|treatment|main|mains|tower|utility|infrastructure|facilit}", tWater},
	{"en", "sewage", tWater},
	{"en", "sewer", tWater},
	{"en", "waterworks", tWater},
	{"en", "{tv|television|radio|mobile|cell|communication|communications|telecom} tower{|s}$", tTelecom},
	{"en", "{tv|television} cent{er|re}", tTelecom},
	{"en", "telecom", tTelecom},
	{"en", "broadcast", tTelecom},
	{"en", "factor{y|ies}$", tIndustrial},
	{"en", "industrial", tIndustrial},
	{"en", "{chemical|steel|metallurgical|machine building|cement} plant", tIndustrial},
	{"en", "steelworks", tIndustrial},
	{"en", "azovstal", tIndustrial},
	{"en", "azot plant", tIndustrial},
	{"en", "{administration|administrative|government|council} building", tGovernment},
	{"en", "{city|village|town|regional} council", tGovernment},
	{"en", "{town|city} hall", tGovernment},
	{"en", "{regional|state|military} administration", tGovernment},

	// Military.
	{"en", "position{|s}$", tPersonnel},
	{"en", "troops$", tPersonnel},
	{"en", "soldiers$", tPersonnel},
	{"en", "servicem{a|e}n$", tPersonnel},
	{"en", "military personnel", tPersonnel},
	{"en", "trench{|es}$", tPersonnel},
	{"en", "stronghold{|s}$", tPersonnel},
	{"en", "tank{|s}$", tEquipment},
	{"en", "armo{u|}red", tEquipment},
	{"en", "military {vehicle|equipment|hardware}", tEquipment},
	{"en", "helicopter", tEquipment},
	{"en", "aircraft", tEquipment},
	{"en", "warship", tEquipment},
	{"en", "radar{|s}$", tEquipment},
	{"en", "air defen{c|s}e system", tEquipment},
	{"en", "military {base|facilit|object|infrastructure|unit}", tBase},
	{"en", "air{ |}base", tBase},
	{"en", "airfield", tBase},
	{"en", "barracks", tBase},
	{"en", "command post", tBase},
	{"en", "headquarters", tBase},
	{"en", "training {ground|centre|center|camp}", tBase},
	{"en", "{ammunition|ammo|arms|weapons|military} depot", tLogistics},
	{"en", "ammunition storage", tLogistics},
	{"en", "arsenal", tLogistics},
	{"en", "military industr", tLogistics},
	{"en", "defen{c|s}e {industr|plant|enterprise}", tLogistics},

	// ---------------------------------------------------------------- Russian
	// Refineries. "завод" alone is industry, so the refinery phrase shadows it.
	{"ru", "нпз$", tRefinery},
	{"ru", "нефтеперер", tRefinery}, // short enough for MoD snippets cut mid-word
	{"ru", "нефтеперерабатывающ{ий|его|ему|им|ем|ие|их|ими} завод", tRefinery},
	{"ru", "нефтезавод", tRefinery},
	// Oil and gas, unspecified.
	{"ru", "нефтегазов", tOilGas},
	{"ru", "{топливн|нефтян|газов}{ая|ой|ую|ые|ых|ым|ыми} инфраструктур", tOilGas},
	{"ru", "топливно энергетическ", tEnergy},
	{"ru", "тэк$", tEnergy},
	// Pipelines.
	{"ru", "газопровод", tPipeline},
	{"ru", "нефтепровод", tPipeline},
	{"ru", "трубопровод", tPipeline},
	{"ru", "продуктопровод", tPipeline},
	{"ru", "нефтепродуктопровод", tPipeline},
	// Storage. "горючее" and "ГСМ" are military supply words: both categories.
	{"ru", "нефтебаз", tStorage},
	{"ru", "{нефте|топливо|газо}хранилищ", tStorage},
	{"ru", "хранилищ{е|а|у|ем|ам|ами|ах} {топлива|нефти|нефтепродуктов|газа}", tStorage},
	{"ru", "хранилищ{е|а|у|ем|ам|ами|ах} горючего", tFuelMil},
	{"ru", "резервуар{|ы|ов|ах|ами} с {нефтью|нефтепродуктами|топливом}", tStorage},
	{"ru", "резервуарн{ый|ого|ом|ые|ых} парк", tStorage},
	{"ru", "склад{|а|у|ом|е|ы|ов|ам|ами|ах} {топлива|нефтепродуктов}", tStorage},
	{"ru", "{склад|баз}{|а|у|ом|е|ы|ов|ам|ами|ах|ой} {горючего|гсм}$", tFuelMil},
	{"ru", "топливн{ая|ой|ую|ые|ых|ым} баз", tStorage},
	{"ru", "нефтеналивн", tStorage},
	{"ru", "нефтян{ой|ого|ом|ые|ых|ым} терминал", tStorage},
	{"ru", "пхг$", tStorage},
	// Pumping, compressor and metering.
	{"ru", "{нефте|газо}перекачивающ", tPumping},
	{"ru", "нефтенасосн", tPumping},
	{"ru", "газокомпрессорн", tPumping},
	{"ru", "компрессорн{ая|ой|ую|ые|ых} станци", tPumping},
	{"ru", "газоизмерительн", tPumping},
	{"ru", "газораспределительн", tPumping},
	{"ru", "{нпс|лпдс|грс}$", tPumping},
	{"ru", "гис суджа", tPumping},
	// Electricity, unspecified.
	{"ru", "электроэнергет", tElectricity},
	{"ru", "энергосистем", tElectricity},
	{"ru", "объект{|а|у|ом|е|ы|ов|ам|ами|ах} электроснабжени", tElectricity},
	// Generation.
	{"ru", "электростанци", tGeneration},
	{"ru", "теплоэлектростанци", tGeneration},
	{"ru", "теплоэлектроцентрал", tGeneration},
	{"ru", "{тэц|тэс|грэс}$", tGeneration},
	{"ru", "котельн", tGeneration},
	{"ru", "генерирующ", tGeneration},
	{"ru", "объект{|а|у|ом|е|ы|ов|ам|ами|ах} генерации", tGeneration},
	{"ru", "ветроэлектростанци", tGeneration},
	// Transmission.
	{"ru", "подстанци", tTransmission},
	{"ru", "электроподстанци", tTransmission},
	{"ru", "трансформатор", tTransmission},
	{"ru", "лэп$", tTransmission},
	// Abbreviations as the channels write them: ТЭС, ТЭЦ-5, ГРЭС, ГЭС, АЭС,
	// and a substation by its number ("ПС 110 кВ"); ПС alone abbreviates too
	// much else to be read.
	{"ru", "{тэс|тэц|грэс}$", tGeneration},
	{"ru", "гэс$", tHydro},
	{"ru", "аэс$", tNuclear},
	{"ru", "пс 0", tTransmission},
	{"ru", "электропередач", tTransmission},
	{"ru", "высоковольтн", tTransmission},
	{"ru", "электросет", tTransmission},
	{"ru", "распределительн{ые|ых|ая|ой|ую} электросет", tTransmission},
	{"ru", "россет", tTransmission},
	{"ru", "подстанци{я|и|ю|ей|й|ям|ях} скорой", tMedical}, // ambulance station
	// Energy, unspecified: "объекты энергетики", "удары по энергетике".
	{"ru", "энергетик", tEnergy},
	{"ru", "объект{|а|у|ом|е|ы|ов|ам|ами|ах} энерг", tEnergy}, // "объектам энерг…" cut mid-word
	{"ru", "энергетическ{ий|ого|ому|им|ом|ая|ой|ую|ое|ие|их|ими} {инфраструктур|объект|сооружени|предприяти|мощност}", tEnergy},
	{"ru", "энергообъект", tEnergy},
	{"ru", "энергоинфраструктур", tEnergy},
	{"ru", "энергоблок", tEnergy},
	{"ru", "{министерств|министр}{|о|а|у|ом|е} энергетики", exclude},
	// Nuclear.
	{"ru", "{аэс|заэс}$", tNuclear},
	{"ru", "атомн{ая|ой|ую|ые|ых|ым|ыми} {электростанци|станци}", tNuclear},
	// Hydro.
	{"ru", "{гэс|гаэс}$", tHydro},
	{"ru", "гидроэлектростанци", tHydro},
	{"ru", "гидроузл", tHydro},
	{"ru", "плотин", tHydro},

	// Stations that are not energy; filling stations are shops.
	{"ru", "{азс|агзс}$", tCommercial},
	{"ru", "автозаправ", tCommercial},
	{"ru", "заправочн", tCommercial},
	{"ru", "{фильтровальн|водопроводн|водонасосн}{ая|ой|ую|ые|ых} станци", tWater},
	{"ru", "станци{я|и|ю|ей|й|ям|ями|ях} {рэб|радиоэлектронной борьбы|контрбатарейной борьбы}", tEquipment},
	{"ru", "радиолокационн{ая|ой|ую|ые|ых} станци", tEquipment},
	{"ru", "ж д станци", tRail},
	{"ru", "железнодорожн{ая|ой|ую} станци", tRail},

	// Civilian objects.
	{"ru", "жил{ой|ого|ом|ому|ые|ых|ым|ыми} {дом|сектор|квартал|здани|массив|комплекс}", tResidential},
	{"ru", "многоквартирн", tResidential},
	{"ru", "многоэтаж", tResidential},
	{"ru", "частн{ый|ого|ом|ому|ые|ых|ым|ыми} {дом|сектор|домовладени}", tResidential},
	{"ru", "домовладени", tResidential},
	{"ru", "общежити", tResidential},
	{"ru", "больниц", tMedical},
	{"ru", "госпитал", tMedical},
	{"ru", "поликлиник", tMedical},
	{"ru", "медицинск{ое|ого|ом|ому|ие|их|ий|ую|ая|ой} {учреждени|центр}", tMedical},
	{"ru", "роддом", tMedical},
	{"ru", "скор{ой|ая|ую} помощ", tMedical},
	{"ru", "школ", tEducation},
	{"ru", "детск{ий|ого|ом|ому|ие|их} сад", tEducation},
	{"ru", "детсад", tEducation},
	{"ru", "университет", tEducation},
	{"ru", "колледж", tEducation},
	{"ru", "лице{й|я|ю|ем|и|ев}$", tEducation},
	{"ru", "гимнази", tEducation},
	{"ru", "учебн{ое|ого|ом|ые|ых} заведени", tEducation},
	{"ru", "церк{овь|ви|вей|вям|вях}$", tReligious},
	{"ru", "храм", tReligious},
	{"ru", "мечет", tReligious},
	{"ru", "синагог", tReligious},
	{"ru", "монастыр", tReligious},
	{"ru", "кладбищ", tReligious},
	{"ru", "магазин", tCommercial},
	{"ru", "торгов{ый|ого|ом|ые|ых|ым} {центр|комплекс}", tCommercial},
	{"ru", "тц$", tCommercial},
	{"ru", "рын{ок|ка|ке|ку|ки|ков}$", tCommercial},
	{"ru", "супермаркет", tCommercial},
	{"ru", "гостиниц", tCommercial},
	{"ru", "отел{ь|я|е|и|ей}$", tCommercial},
	{"ru", "ресторан", tCommercial},
	{"ru", "кафе$", tCommercial},
	{"ru", "бизнес центр", tCommercial},
	{"ru", "ферм{а|ы|у|ой|е|ам|ах}$", tAgriculture},
	{"ru", "фермерск", tAgriculture},
	{"ru", "зерн", tAgriculture},
	{"ru", "элеватор", tAgriculture},
	{"ru", "сельскохозяйственн", tAgriculture},
	{"ru", "агропредприяти", tAgriculture},
	{"ru", "трактор", tAgriculture},
	{"ru", "гуманитарн", tHumanitar},
	{"ru", "эвакуаци", tHumanitar},
	{"ru", "мирн{ые|ых|ым|ыми|ое|ого|ому|ым} {жител|населени|гражда}", tPeople},
	{"ru", "гражданск{ие|их|им|ими|ое|ого|ий} {лиц|населени|автомобил|транспорт}", tPeople},
	{"ru", "гражданск{ой|ую|ая|ие|их|ому|ого|ом|ими|ым} инфраструктур", tInfra},
	{"ru", "гражданск{ой|ую|ая|ие|их|ому|ого|ом|ими|ым} объект", tCivilian},

	// Other infrastructure.
	{"ru", "инфраструктур", tInfra},
	{"ru", "критическ{и|ой|ую|ая|ие|их} {важн|инфраструктур}", tInfra},
	{"ru", "железнодорожн", tRail},
	{"ru", "ж д$", tRail},
	{"ru", "вокзал", tRail},
	{"ru", "локомотив", tRail},
	{"ru", "электропоезд", tRail},
	{"ru", "поезд", tRail},
	{"ru", "депо$", tRail},
	{"ru", "мост{|а|у|ом|е|ы|ов|ам|ами|ах}$", tRoad},
	{"ru", "путепровод", tRoad},
	{"ru", "автомобильн{ая|ой|ую|ые|ых} дорог", tRoad},
	{"ru", "порт{|а|у|ом|е|ы|ов|ам|ах}$", tPort},
	{"ru", "причал", tPort},
	{"ru", "аэропорт", tAirport},
	{"ru", "водоснабжени", tWater},
	{"ru", "водопровод", tWater},
	{"ru", "водоканал", tWater},
	{"ru", "водозабор", tWater},
	{"ru", "водоочистн", tWater},
	{"ru", "очистн{ые|ых|ым} сооружени", tWater},
	{"ru", "телевышк", tTelecom},
	{"ru", "телебашн", tTelecom},
	{"ru", "телецентр", tTelecom},
	{"ru", "ретранслятор", tTelecom},
	{"ru", "{вышк|станци}{а|и|у|ой|е|ям|ях|я|ю|ей|й} связи", tTelecom},
	{"ru", "уз{ел|ла|лы|лов|лам} связи", tTelecom},
	{"ru", "завод", tIndustrial},
	{"ru", "фабрик", tIndustrial},
	{"ru", "комбинат", tIndustrial},
	{"ru", "промышленн{ое|ого|ом|ые|ых|ым|ая|ой|ую} {предприяти|зон|объект}", tIndustrial},
	{"ru", "промышленност", tIndustrial},
	{"ru", "промзон", tIndustrial},
	{"ru", "администраци", tGovernment},
	{"ru", "административн{ое|ого|ом|ые|ых|ым} здани", tGovernment},
	{"ru", "мэри{я|и|ю|ей}$", tGovernment},
	{"ru", "{сельсовет|горсовет}", tGovernment},
	{"ru", "{отдел|здани|участк}{|а|е|ы|ов|ом|ени|ения|и|ю} полиции", tGovernment},

	// Military.
	{"ru", "позици{я|и|ю|ей|й|ям|ями|ях}$", tPersonnel},
	{"ru", "живой сил", tPersonnel},
	{"ru", "личн{ый|ого|ому|ым|ом} состав", tPersonnel},
	{"ru", "военнослужащ", tPersonnel},
	{"ru", "опорн{ый|ого|ом|ому|ые|ых|ым|ыми} пункт", tPersonnel},
	{"ru", "боевик", tPersonnel},
	{"ru", "танк{|а|у|ом|е|и|ов|ам|ами|ах}$", tEquipment},
	{"ru", "бронетехник", tEquipment},
	{"ru", "бронемашин", tEquipment},
	{"ru", "{бмп|бтр|сау|рсзо|зрк|рлс|бпла}$", tEquipment},
	{"ru", "беспилотник", tEquipment},
	{"ru", "гаубиц", tEquipment},
	{"ru", "самолет", tEquipment},
	{"ru", "вертолет", tEquipment},
	{"ru", "пусков{ая|ой|ую|ые|ых|ыми} установ", tEquipment},
	{"ru", "катер", tEquipment},
	{"ru", "корабл", tEquipment},
	{"ru", "аэродром", tBase},
	{"ru", "военн{ая|ой|ую|ые|ых|ым} {баз|инфраструктур|объект}", tBase},
	{"ru", "казарм", tBase},
	{"ru", "командн{ый|ого|ом|ому|ые|ых|ым|ыми} пункт", tBase},
	{"ru", "пункт{|а|е|у|ы|ов|ам|ами|ах} {управления|временной дислокации}", tBase},
	{"ru", "штаб{|а|у|ом|е|ы|ов|ам|ах}$", tBase},
	{"ru", "полигон", tBase},
	{"ru", "военкомат", tBase},
	{"ru", "ангар", tBase},
	{"ru", "склад{|а|у|ом|е|ы|ов|ам|ами|ах} {боеприпасов|вооружени|боекомплект|с боеприпасами|с вооружением}", tLogistics},
	{"ru", "арсенал", tLogistics},
	{"ru", "{военно|оборонно} промышленн", tLogistics},
	{"ru", "{впк|опк}$", tLogistics},
	{"ru", "мест{о|а|ам|ами|ах} хранения", tLogistics},
	{"ru", "мест{о|а|ам|ами|ах} хранения {топлива|нефтепродуктов}", tStorage},
	{"ru", "мест{о|а|ам|ами|ах} хранения {горючего|гсм}$", tFuelMil},

	// -------------------------------------------------------------- Ukrainian
	// Refineries.
	{"uk", "{тес|тец}$", tGeneration},
	{"uk", "гес$", tHydro},
	{"uk", "аес$", tNuclear},
	{"uk", "пс 0", tTransmission},
	{"uk", "нпз$", tRefinery},
	{"uk", "нафтопереробн", tRefinery},
	{"uk", "нафтопереробн{ий|ого|ому|им|і|их} завод", tRefinery},
	{"uk", "нафтозавод", tRefinery},
	// Oil and gas, unspecified.
	{"uk", "нафтогазов", tOilGas},
	{"uk", "{паливн|нафтов|газов}{а|ої|у|ій|і|их|им|ими} інфраструктур", tOilGas},
	{"uk", "паливно енергетичн", tEnergy},
	// Pipelines: the root vowel alternates (газопровід, газопроводу).
	{"uk", "{газо|нафто|трубо|продукто}пров{ід|од}", tPipeline},
	{"uk", "газог{ін|он}", tPipeline},
	// Storage.
	{"uk", "нафтобаз", tStorage},
	{"uk", "{нафто|газо|паливо}сховищ", tStorage},
	{"uk", "сховищ{е|а|у|ем|і|ам|ами|ах} {палива|пального|нафти|нафтопродуктів|газу}", tStorage},
	{"uk", "склад{|у|і|ом|и|ів|ам|ами|ах} {палива|пального|нафтопродуктів}", tStorage},
	{"uk", "склад{|у|і|ом|и|ів|ам|ами|ах} пмм$", tFuelMil},
	{"uk", "резервуар{|и|ів|ах|ами} з {нафтою|нафтопродуктами|паливом|пальним}", tStorage},
	{"uk", "резервуарн{ий|ого|ому|і|их} парк", tStorage},
	{"uk", "нафтоналивн", tStorage},
	{"uk", "нафтов{ий|ого|ому|і|их} термінал", tStorage},
	{"uk", "псг$", tStorage},
	// Pumping, compressor and metering.
	{"uk", "{нафто|газо}перекачувальн", tPumping},
	{"uk", "нафтонасосн", tPumping},
	{"uk", "газокомпресорн", tPumping},
	{"uk", "компресорн{а|ої|у|ій|і|их} станці", tPumping},
	{"uk", "газовимірювальн", tPumping},
	{"uk", "газорозподільн", tPumping},
	{"uk", "грс$", tPumping},
	// Electricity, unspecified.
	{"uk", "електроенергет", tElectricity},
	{"uk", "енергосистем", tElectricity},
	{"uk", "об'єкт{|а|у|ом|і|и|ів|ам|ами|ах} електропостачання", tElectricity},
	// Generation.
	{"uk", "електростанці", tGeneration},
	{"uk", "теплоелектростанці", tGeneration},
	{"uk", "теплоелектроцентрал", tGeneration},
	{"uk", "{тец|тес}$", tGeneration},
	{"uk", "котельн", tGeneration},
	{"uk", "генеруюч", tGeneration},
	{"uk", "об'єкт{|а|у|ом|і|и|ів|ам|ами|ах} генерації", tGeneration},
	{"uk", "вітроелектростанці", tGeneration},
	{"uk", "вітропарк", tGeneration},
	// Transmission.
	{"uk", "підстанці", tTransmission},
	{"uk", "електропідстанці", tTransmission},
	{"uk", "трансформатор", tTransmission},
	{"uk", "леп$", tTransmission},
	{"uk", "електропередач", tTransmission},
	{"uk", "високовольтн", tTransmission},
	{"uk", "електромереж", tTransmission},
	{"uk", "мереж{а|і|у|ею|ам|ах} {електропостачання|електропередачі}", tTransmission},
	{"uk", "укренерго", tTransmission},
	{"uk", "підстанці{я|ї|ю|єю|й|ям|ях} швидкої", tMedical},
	// Energy, unspecified.
	{"uk", "енергетик", tEnergy},
	{"uk", "об'єкт{|а|у|ом|і|и|ів|ам|ами|ах} енерг", tEnergy},
	{"uk", "енергетиц", tEnergy}, // "по енергетиці"
	{"uk", "енергетичн{ий|ого|ому|им|ім|а|ої|у|ій|е|і|их|ими} {інфраструктур|об'єкт|обєкт|споруд|підприємств|потужност}", tEnergy},
	{"uk", "енергооб'єкт", tEnergy},
	{"uk", "енергообєкт", tEnergy},
	{"uk", "енергоінфраструктур", tEnergy},
	{"uk", "енергоблок", tEnergy},
	{"uk", "{міністерств|міністр}{|о|а|у|ом|і} енергетики", exclude},
	// Nuclear.
	{"uk", "{аес|заес|чаес|хаес|раес|юуаес}$", tNuclear},
	{"uk", "атомн{а|ої|у|ій|і|их|им|ими} {електростанці|станці}", tNuclear},
	// Hydro.
	{"uk", "{гес|гаес}$", tHydro},
	{"uk", "гідроелектростанці", tHydro},
	{"uk", "гідровузл", tHydro},
	{"uk", "гребл", tHydro},

	// Stations that are not energy; filling stations are shops.
	{"uk", "азс$", tCommercial},
	{"uk", "автозаправ", tCommercial},
	{"uk", "заправн", tCommercial},
	{"uk", "{фільтрувальн|водопровідн}{а|ої|у|ій|і|их} станці", tWater},
	{"uk", "станці{я|ї|ю|єю|й|ям|ях} {реб|радіоелектронної боротьби}", tEquipment},
	{"uk", "радіолокаційн{а|ої|у|ій|і|их} станці", tEquipment},
	{"uk", "залізничн{а|ої|у|ій} станці", tRail},

	// Civilian objects.
	{"uk", "житлов{ий|ого|ому|им|ім|і|их|ими|а|ої|у|ій|е} {будин|будів|сектор|квартал|масив|комплекс|забудов}", tResidential},
	{"uk", "будин{ок|ку|ки|ків|кам|ках|ком}$", tResidential},
	{"uk", "багатоквартирн", tResidential},
	{"uk", "багатоповерх", tResidential},
	{"uk", "приватн{ий|ого|ому|і|их|им|ими} {будин|сектор|садиб|домоволодін}", tResidential},
	{"uk", "гуртожит", tResidential},
	{"uk", "квартир", tResidential},
	{"uk", "лікарн", tMedical},
	{"uk", "шпитал", tMedical},
	{"uk", "госпітал", tMedical},
	{"uk", "полікліні", tMedical},
	{"uk", "амбулатор", tMedical},
	{"uk", "медичн{ий|ого|ому|им|і|их|а|ої|у|ій} {заклад|центр|установ}", tMedical},
	{"uk", "пологов", tMedical},
	{"uk", "швидк{а|ої|у|ій} допомог", tMedical},
	{"uk", "школ", tEducation},
	{"uk", "дитяч{ий|ого|ому|і|их|им} сад", tEducation},
	{"uk", "університет", tEducation},
	{"uk", "коледж", tEducation},
	{"uk", "ліце{й|ю|ї|ях|ям}$", tEducation},
	{"uk", "гімназі", tEducation},
	{"uk", "навчальн{ий|ого|ому|і|их|им} заклад", tEducation},
	{"uk", "церк{ва|ви|ву|вою|ві}$", tReligious},
	{"uk", "церков", tReligious},
	{"uk", "храм", tReligious},
	{"uk", "мечет", tReligious},
	{"uk", "синагог", tReligious},
	{"uk", "монастир", tReligious},
	{"uk", "кладовищ", tReligious},
	{"uk", "цвинтар", tReligious},
	{"uk", "магазин", tCommercial},
	{"uk", "торгов{ий|ого|ому|им|і|их} {центр|комплекс}", tCommercial},
	{"uk", "торговельн{ий|ого|ому|і|их} {центр|комплекс}", tCommercial},
	{"uk", "тц$", tCommercial},
	{"uk", "рин{ок|ку|ки|ків|ком}$", tCommercial},
	{"uk", "супермаркет", tCommercial},
	{"uk", "готел", tCommercial},
	{"uk", "ресторан", tCommercial},
	{"uk", "кафе$", tCommercial},
	{"uk", "бізнес центр", tCommercial},
	{"uk", "ферм{а|и|у|ою|і|ам|ах}$", tAgriculture},
	{"uk", "фермерськ", tAgriculture},
	{"uk", "зерн", tAgriculture},
	{"uk", "елеватор", tAgriculture},
	{"uk", "сільськогосподарськ", tAgriculture},
	{"uk", "агропідприємств", tAgriculture},
	{"uk", "трактор", tAgriculture},
	{"uk", "гуманітарн", tHumanitar},
	{"uk", "евакуаці", tHumanitar},
	{"uk", "{цивільн|мирн}{і|их|им|ими|ий|ого|ому|е} {мешканц|населенн|особ|люд|громадян|жител}", tPeople},
	{"uk", "цивільн{і|их|им|ими|ий|ого|ому} {автомобіл|транспорт}", tPeople},
	{"uk", "цивільн{а|ої|у|ій|і|их|им|ими} інфраструктур", tInfra},
	{"uk", "цивільн{а|ої|у|ій|і|их|им|ими} {об'єкт|обєкт}", tCivilian},

	// Other infrastructure.
	{"uk", "інфраструктур", tInfra},
	{"uk", "критичн{а|ої|у|ій|і|их|о} {інфраструктур|важлив}", tInfra},
	{"uk", "залізничн", tRail},
	{"uk", "залізниц", tRail},
	{"uk", "укрзалізниц", tRail},
	{"uk", "вокзал", tRail},
	{"uk", "локомотив", tRail},
	{"uk", "потяг", tRail},
	{"uk", "поїзд", tRail},
	{"uk", "депо$", tRail},
	// "міст" alone is also "of cities": only the unambiguous forms of "bridge".
	{"uk", "мост{у|ом|и|ів|ами|ах|і}$", tRoad},
	{"uk", "шляхопров{ід|од}", tRoad},
	{"uk", "автомобільн{а|ої|у|ій|і|их} дорог", tRoad},
	{"uk", "автошлях", tRoad},
	{"uk", "порт{|у|і|ом|и|ів|ам|ах}$", tPort},
	{"uk", "причал", tPort},
	{"uk", "аеропорт", tAirport},
	{"uk", "водопостачанн", tWater},
	{"uk", "водог{ін|он}", tWater},
	{"uk", "водопров{ід|од}", tWater},
	{"uk", "водоканал", tWater},
	{"uk", "водозаб{ір|ор}", tWater},
	{"uk", "очисн{і|их|им|ими} споруд", tWater},
	{"uk", "телевеж", tTelecom},
	{"uk", "телецентр", tTelecom},
	{"uk", "ретранслятор", tTelecom},
	{"uk", "{вишк|веж}{а|и|у|ою|і|ам|ах} зв'язку", tTelecom},
	{"uk", "мобільн{ий|ого|ому|им} зв'яз", tTelecom},
	{"uk", "завод", tIndustrial},
	{"uk", "фабрик", tIndustrial},
	{"uk", "комбінат", tIndustrial},
	{"uk", "промислов{е|ого|ому|им|і|их|ий|а|ої|у|ій} {підприємств|об'єкт|обєкт|зон}", tIndustrial},
	{"uk", "промзон", tIndustrial},
	{"uk", "адміністраці", tGovernment},
	{"uk", "адмінбудів", tGovernment},
	{"uk", "адміністративн{а|ої|у|ій|і|их} будів", tGovernment},
	{"uk", "{міськрад|сільрад|міськвиконком}", tGovernment},
	{"uk", "{селищн|міськ|сільськ}{а|ої|у|ій} рад", tGovernment},
	{"uk", "{відділ|відділок|відділку|відділення|будівля|будівлі|будівлю} поліції", tGovernment},

	// Military.
	{"uk", "позиці{я|ї|ю|єю|й|ям|ями|ях}$", tPersonnel},
	{"uk", "особов{ий|ого|ому|им} склад", tPersonnel},
	{"uk", "військовослужбов", tPersonnel},
	{"uk", "окупант", tPersonnel},
	{"uk", "опорн{ий|ого|ому|і|их|им|ими} пункт", tPersonnel},
	{"uk", "бліндаж", tPersonnel},
	{"uk", "танк{|а|у|ом|і|и|ів|ам|ами|ах}$", tEquipment},
	{"uk", "бронетехні", tEquipment},
	{"uk", "{бмп|бтр|сау|рсзв|зрк|рлс|бпла}$", tEquipment},
	{"uk", "безпілотник", tEquipment},
	{"uk", "гаубиц", tEquipment},
	{"uk", "літак", tEquipment},
	{"uk", "гелікоптер", tEquipment},
	{"uk", "вертол{іт|ьот}", tEquipment},
	{"uk", "катер", tEquipment},
	{"uk", "корабл", tEquipment},
	{"uk", "аеродром", tBase},
	{"uk", "військов{а|ої|у|ій|і|их|ий|ого|ому|им} {баз|інфраструктур|об'єкт|обєкт}", tBase},
	{"uk", "казарм", tBase},
	{"uk", "командн{ий|ого|ому|им|і|их} пункт", tBase},
	{"uk", "пункт{|у|і|и|ів|ам|ах} управління", tBase},
	{"uk", "штаб{|у|і|ом|и|ів|ам|ах}$", tBase},
	{"uk", "полігон", tBase},
	{"uk", "тцк$", tBase},
	{"uk", "військкомат", tBase},
	{"uk", "ангар", tBase},
	{"uk", "склад{|у|і|ом|и|ів|ам|ами|ах} {боєприпасів|озброєння|зброї}", tLogistics},
	{"uk", "арсенал", tLogistics},
	{"uk", "{військово|оборонно} промислов", tLogistics},
	{"uk", "оборонн{ого|ий|ому|і|их|ої} {підприємств|промисловост}", tLogistics},
	{"uk", "опк$", tLogistics},
}
