package taxonomy

// Kinds is the event-kind vocabulary: what conduct an event records.
//
// Strikes at a distance, fighting on the ground and the interception of a
// strike are kept apart on purpose: a ceasefire on strikes is not broken by a
// shoot-down, and ground fighting is out of scope of an energy moratorium.
var Kinds = newVocabulary("event kind", []Term{
	{"strike", "A strike at a distance, of any means."},
	{"strike.air", "Bombing or rocket fire from crewed aircraft."},
	{"strike.drone", "Strike by an armed or one-way attack drone (e.g. Shahed, Lyutyi)."},
	{"strike.missile", "Strike by cruise or ballistic missile."},
	{"strike.artillery", "Shelling by artillery, mortars or multiple rocket launchers."},

	{"ground", "Fighting on the ground."},
	{"ground.clash", "Armed clash between forces."},
	{"ground.territory", "A change of territorial control."},

	{"explosion", "Remote explosives, landmines, improvised devices, grenades."},
	{"violence_civilians", "Direct violence against civilians: attacks, abductions, sexual violence."},
	{"sabotage", "Sabotage and arson by infiltrators."},

	{"interception", "A strike intercepted or disrupted: shoot-downs, electronic warfare."},

	{"protest", "Peaceful protest."},
	{"riot", "Violent demonstration or mob violence."},

	{"strategic", "Non-violent strategic development: agreements, arrests, looting, base established."},
	{"ceasefire_declared", "A declaration of ceasefire or truce."},
	{"other", "Anything else."},
})

// textStrikeKinds are the kinds whose records' text may report a strike the
// codes do not say: a clash whose notes tell of shelling damage to a plant,
// an explosion that was a shell. Protests, strategic developments and
// interceptions are not read for strikes.
var textStrikeKinds = []string{"ground", "explosion", "violence_civilians", "sabotage", "other"}

// MayHideStrike reports whether a record of this kind may allege, in its
// text, a strike its codes do not say.
func MayHideStrike(kind string) bool {
	_, ok := CoveredBy(kind, textStrikeKinds)
	return ok
}
