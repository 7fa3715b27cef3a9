package app

import (
	"context"
	"strconv"
	"sync"
	"time"

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
	// failed: a version's terms could not be read, and its findings have
	// no sentence (a page with them is not worth keeping).
	failed bool
}

func (a *App) sentences() *sentences {
	return &sentences{a: a, regions: a.names.regions(), terms: map[string]*report.Terms{}}
}

// maxTerms bounds the agreement versions whose terms an App keeps.
const maxTerms = 128

// termsMemo keeps the terms of agreement versions read for sentences,
// shared by the copies of an App: a stored version never changes, and
// parsing it again for every page of a list was a sixth of the page's
// time.
type termsMemo struct {
	mu    sync.Mutex
	terms map[string]*report.Terms // agreement@version
}

func (m *termsMemo) get(key string) *report.Terms {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.terms[key]
}

func (m *termsMemo) put(key string, t *report.Terms) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.terms == nil || len(m.terms) >= maxTerms {
		m.terms = map[string]*report.Terms{} // rarely reached: start again
	}
	m.terms[key] = t
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
	if t := s.termsOf(ctx, f.AgreementID, f.Version); t != nil {
		f.Summary = report.Sentence(f, *t)
		return
	}
	s.failed = true
}

// termsOf are the terms of version version of agreement id: read once a
// call, kept by the App once read; nil if they cannot be read.
func (s *sentences) termsOf(ctx context.Context, id string, version int) *report.Terms {
	key := id + "@" + strconv.Itoa(version)
	t, ok := s.terms[key]
	if !ok {
		if t = s.a.memo.get(key); t == nil {
			if t = s.load(ctx, id, version); t != nil {
				s.a.memo.put(key, t)
			}
		}
		s.terms[key] = t
	}
	return t
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
	t := &report.Terms{Parties: map[string]string{}, Commitments: map[string]string{}, Zones: map[string]*time.Location{}, Regions: s.regions}
	for _, p := range ag.Parties {
		t.Parties[p.ID] = p.Name
	}
	for _, c := range ag.Commitments {
		t.Commitments[c.ID] = c.Title
	}
	if all, err := ag.AllTerms(); err == nil {
		for _, r := range all {
			// Loaded here, once a version: loading a zone reads a file.
			if loc, err := time.LoadLocation(r.Window.TimeZone); err == nil && r.Window.TimeZone != "" {
				t.Zones[r.Reading] = loc
			}
		}
	}
	return t
}
