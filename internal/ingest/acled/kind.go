package acled

import (
	"strings"

	"github.com/truce-monitor/truce/internal/event"
	"github.com/truce-monitor/truce/internal/ingest"
)

// Classify maps an ACLED event to a taxonomy.Kinds id, and says why.
//
// The sub-event type decides, with the notes read where ACLED lumps kinds
// the taxonomy keeps apart:
//   - "Air/drone strike" is strike.drone when the notes name a drone (drone,
//     UAV, unmanned), else strike.air.
//   - "Shelling/artillery/missile attack" is strike.missile when the notes
//     name a missile, else strike.artillery.
//   - "Disrupted weapons use" is interception for shoot-downs ("Interception:"
//     notes, "shot down", "intercept"), explosion for accidental
//     detonations, and strategic for defusals and weapons seizures.
//   - "Agreement" is ceasefire_declared when the notes name a ceasefire or
//     truce, else strategic.
//
// Excessive force against protesters is violence_civilians: the conduct is
// force used on civilians. A chemical weapon attack is the generic "strike".
// An unknown sub-event type falls back on the event type, and an unknown
// event type gives "other": new ACLED vocabulary never fails a row.
func Classify(eventType, subEventType, notes string) (string, event.Reason) {
	sub := strings.TrimSpace(subEventType)
	bySub := func(kind string) (string, event.Reason) {
		return kind, event.Reason{Term: kind, Field: "sub_event_type", Match: sub}
	}
	byNotes := func(kind, word, rule string) (string, event.Reason) {
		return kind, event.Reason{Term: kind, Field: "notes", Match: word, Rule: rule}
	}
	switch {
	case strings.EqualFold(sub, "Air/drone strike"):
		if w := ingest.FirstFold(notes, "drone", "uav", "unmanned"); w != "" {
			return byNotes("strike.drone", w, "Air/drone strike naming a drone")
		}
		return bySub("strike.air")
	case strings.EqualFold(sub, "Shelling/artillery/missile attack"):
		if ingest.ContainsFold(notes, "missile") {
			return byNotes("strike.missile", "missile", "Shelling/artillery/missile attack naming a missile")
		}
		return bySub("strike.artillery")
	case strings.EqualFold(sub, "Disrupted weapons use"):
		if w := ingest.FirstFold(notes, "interception", "shot down", "intercept", "downed"); w != "" {
			return byNotes("interception", w, "Disrupted weapons use: shoot-down")
		}
		if w := ingest.FirstFold(notes, "detonation", "detonated"); w != "" {
			return byNotes("explosion", w, "Disrupted weapons use: detonation")
		}
		return bySub("strategic")
	case strings.EqualFold(sub, "Agreement"):
		if w := ingest.FirstFold(notes, "ceasefire", "cease-fire", "truce"); w != "" {
			return byNotes("ceasefire_declared", w, "Agreement naming a ceasefire")
		}
		return bySub("strategic")
	}
	if kind, ok := lookupFold(subKinds, sub); ok {
		return bySub(kind)
	}
	et := strings.TrimSpace(eventType)
	if kind, ok := lookupFold(typeKinds, et); ok {
		return kind, event.Reason{Term: kind, Field: "event_type", Match: et, Rule: "unknown sub_event_type"}
	}
	return "other", event.Reason{Term: "other", Field: "sub_event_type", Match: sub, Rule: "unknown event type"}
}

// lookupFold finds key in m, trying ACLED's own spelling first so the usual
// case costs one map lookup and no allocation.
func lookupFold(m map[string]string, key string) (string, bool) {
	if v, ok := m[key]; ok {
		return v, true
	}
	for k, v := range m {
		if strings.EqualFold(k, key) {
			return v, true
		}
	}
	return "", false
}

// subKinds maps the sub-event types that need no notes.
var subKinds = map[string]string{
	"Armed clash":                         "ground.clash",
	"Government regains territory":        "ground.territory",
	"Non-state actor overtakes territory": "ground.territory",
	"Non-violent transfer of territory":   "ground.territory",
	"Remote explosive/landmine/IED":       "explosion",
	"Grenade":                             "explosion",
	"Suicide bomb":                        "explosion",
	"Chemical weapon":                     "strike",
	"Attack":                              "violence_civilians",
	"Abduction/forced disappearance":      "violence_civilians",
	"Sexual violence":                     "violence_civilians",
	"Excessive force against protesters":  "violence_civilians",
	"Excessive force against protestors":  "violence_civilians",
	"Peaceful protest":                    "protest",
	"Protest with intervention":           "protest",
	"Violent demonstration":               "riot",
	"Mob violence":                        "riot",
	"Arrests":                             "strategic",
	"Change to group/activity":            "strategic",
	"Headquarters or base established":    "strategic",
	"Looting/property destruction":        "strategic",
	"Other":                               "strategic",
}

// typeKinds is the fallback on the event type.
var typeKinds = map[string]string{
	"Battles":                    "ground",
	"Explosions/Remote violence": "strike",
	"Violence against civilians": "violence_civilians",
	"Protests":                   "protest",
	"Riots":                      "riot",
	"Strategic developments":     "strategic",
}
