package app

import (
	"context"
	"strconv"
	"sync"

	"github.com/truce-monitor/truce/internal/geo"
	"github.com/truce-monitor/truce/internal/report"
	"github.com/truce-monitor/truce/internal/strictyaml"
)

// sentences gives findings their plain sentence: the terms of each
// agreement version read once per call, as findings stream by.
type sentences struct {
	a       *App
	regions map[string]string
	terms   map[string]*report.Terms // agreement@version
}

func (a *App) sentences() *sentences {
	return &sentences{a: a, regions: a.names.regions(), terms: map[string]*report.Terms{}}
}

// regionNames are the built-in gazetteer's admin-1 names by code, made
// once and shared by the copies of an App.
type regionNames struct {
	once  sync.Once
	names map[string]string
}

func (r *regionNames) regions() map[string]string {
	r.once.Do(func() {
		r.names = map[string]string{}
		for _, u := range geo.Builtin().Units() {
			r.names[u.ID] = u.Name
		}
	})
	return r.names
}

// say sets f's Summary. A version that cannot be read leaves it empty: the
// sentence is a courtesy, the finding is whole without it.
func (s *sentences) say(ctx context.Context, f *Finding) {
	key := f.AgreementID + "@" + strconv.Itoa(f.Version)
	t, ok := s.terms[key]
	if !ok {
		t = s.load(ctx, f.AgreementID, f.Version)
		s.terms[key] = t
	}
	if t != nil {
		f.Summary = report.Sentence(f, *t)
	}
}

func (s *sentences) load(ctx context.Context, id string, version int) *report.Terms {
	v, err := s.a.st.GetAgreementVersion(ctx, id, version)
	if err != nil {
		return nil
	}
	ag, err := parseStored(v, strictyaml.DefaultLimits())
	if err != nil {
		return nil
	}
	t := &report.Terms{Parties: map[string]string{}, Commitments: map[string]string{}, Zones: map[string]string{}, Regions: s.regions}
	for _, p := range ag.Parties {
		t.Parties[p.ID] = p.Name
	}
	for _, c := range ag.Commitments {
		t.Commitments[c.ID] = c.Title
	}
	if all, err := ag.AllTerms(); err == nil {
		for _, r := range all {
			t.Zones[r.Reading] = r.Window.TimeZone
		}
	}
	return t
}
