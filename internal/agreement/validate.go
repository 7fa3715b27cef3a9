package agreement

import (
	"fmt"
	"math"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/truce-monitor/truce/internal/strictyaml"
	"github.com/truce-monitor/truce/internal/taxonomy"
)

var (
	agreementIDRe  = regexp.MustCompile(`^[a-z0-9][a-z0-9-]*$`)
	partyIDRe      = regexp.MustCompile(`^[A-Z][A-Z0-9_]*$`)
	commitmentIDRe = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]*$`)
	countryRe      = regexp.MustCompile(`^[A-Z]{2}$`)
)

// checker accumulates problems while validating one agreement.
type checker struct {
	a        *Agreement
	pos      *strictyaml.Positions
	out      Problems
	sources  map[string]bool
	parties  map[string]bool // bound-able parties
	everyone map[string]bool // parties, mediators and guarantors
}

func (c *checker) errorf(path, format string, args ...any) {
	c.out = append(c.out, c.pos.Problem(path, format, args...))
}

func validate(a *Agreement, pos *strictyaml.Positions) Problems {
	c := &checker{a: a, pos: pos, sources: map[string]bool{}, parties: map[string]bool{}, everyone: map[string]bool{}}
	if a.Format != FormatVersion {
		c.errorf("format", "format must be %d, found %d", FormatVersion, a.Format)
	}
	if !agreementIDRe.MatchString(a.ID) {
		c.errorf("id", "id %q must be a lower-case slug such as energy-moratorium-2025", a.ID)
	}
	if a.Version < 1 {
		c.errorf("version", "version must be 1 or more, found %d", a.Version)
	}
	if strings.TrimSpace(a.Title) == "" {
		c.errorf("title", "title is required")
	}
	if !slices.Contains(statuses, a.Status) {
		c.errorf("status", "status %q is not one of %s", a.Status, joinQuoted(statuses))
	}
	c.checkSources()
	c.checkParties()
	c.checkWindow()
	if r := a.Release; r != nil {
		if r.Kind != ReleaseNone && r.Kind != ReleaseCounterpartyMayWithdraw {
			c.errorf("release.kind", "release kind %q is not one of %q, %q", r.Kind, ReleaseNone, ReleaseCounterpartyMayWithdraw)
		}
		c.ref("release.source", r.Source)
	}
	c.checkCommitments()
	c.checkReadings()
	c.checkProposals()
	c.checkHistory()
	return c.out
}

func joinQuoted[T ~string](vs []T) string {
	q := make([]string, len(vs))
	for i, v := range vs {
		q[i] = fmt.Sprintf("%q", v)
	}
	return strings.Join(q, ", ")
}

// ref checks that a term cites a declared source.
func (c *checker) ref(path, id string) {
	switch {
	case id == "":
		c.errorf(path, "%s: source is required (every term cites the document it rests on)", strictyaml.ParentPath(path))
	case !c.sources[id]:
		c.errorf(path, "source %q is not declared under sources", id)
	}
}

func (c *checker) date(path, s string) bool {
	if _, err := time.Parse(time.DateOnly, s); err != nil {
		c.errorf(path, "date %q is not a date like 2025-03-18", s)
		return false
	}
	return true
}

func (c *checker) checkSources() {
	if len(c.a.Sources) == 0 {
		c.errorf("sources", "at least one source is required")
	}
	for i, s := range c.a.Sources {
		p := strictyaml.JoinIndex("sources", i)
		switch {
		case s.ID == "":
			c.errorf(p+".id", "source id is required")
		case c.sources[s.ID]:
			c.errorf(p+".id", "duplicate source id %q", s.ID)
		}
		c.sources[s.ID] = true
		c.date(p+".date", s.Date)
		if s.URL != "" {
			if u, err := url.Parse(s.URL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
				c.errorf(p+".url", "url %q is not an http(s) address", s.URL)
			}
		}
		if s.URL == "" && s.Title == "" {
			c.errorf(p, "source %q needs a url or a title", s.ID)
		}
	}
}

func (c *checker) checkParties() {
	if len(c.a.Parties) == 0 {
		c.errorf("parties", "at least one party is required")
	}
	aliasOwner := map[string]string{} // source kind + alias -> party
	groups := []struct {
		key  string
		list []Party
	}{{"parties", c.a.Parties}, {"mediators", c.a.Mediators}, {"guarantors", c.a.Guarantors}}
	for _, g := range groups {
		for i, p := range g.list {
			path := strictyaml.JoinIndex(g.key, i)
			switch {
			case !partyIDRe.MatchString(p.ID):
				c.errorf(path+".id", "party id %q must be upper-case letters and digits, such as RU or UA", p.ID)
			case c.everyone[p.ID]:
				c.errorf(path+".id", "party %q is declared twice", p.ID)
			}
			c.everyone[p.ID] = true
			if g.key == "parties" {
				c.parties[p.ID] = true
			}
			if strings.TrimSpace(p.Name) == "" {
				c.errorf(path+".name", "party %q needs a name", p.ID)
			}
			for kind, aliases := range p.Aliases {
				for j, alias := range aliases {
					k := kind + "\x00" + alias
					if other, dup := aliasOwner[k]; dup && other != p.ID {
						c.errorf(strictyaml.JoinIndex(path+".aliases."+kind, j), "%s alias %q already names party %s", kind, alias, other)
					}
					aliasOwner[k] = p.ID
				}
			}
		}
	}
}

// checkWindowFields validates a window; path is where it is written.
func (c *checker) checkWindowFields(path string, w Window, requireStart bool) {
	loc, err := time.LoadLocation(w.TimeZone)
	switch {
	case w.TimeZone == "":
		c.errorf(path+".time_zone", "time_zone is required (an IANA name such as Europe/Kyiv)")
		return
	case err != nil || w.TimeZone == "Local":
		c.errorf(path+".time_zone", "unknown time zone %q (use an IANA name such as Europe/Moscow)", w.TimeZone)
		return
	}
	var start time.Time
	if w.Start == "" {
		if requireStart {
			c.errorf(path, "window start is required unless the status is proposed or rejected")
		}
	} else if start, err = ParseLocal(w.Start, loc); err != nil {
		c.errorf(path+".start", "start: %v", err)
		return
	}
	if w.Duration != "" && w.End != "" {
		c.errorf(path+".end", "give duration or end, not both")
		return
	}
	if w.Duration != "" {
		if _, _, err := ParseDuration(w.Duration); err != nil {
			c.errorf(path+".duration", "duration: %v", err)
		}
	}
	if w.End != "" {
		end, err := ParseLocal(w.End, loc)
		if err != nil {
			c.errorf(path+".end", "end: %v", err)
			return
		}
		if !start.IsZero() && !end.After(start) {
			c.errorf(path+".end", "end %s is not after start %s", w.End, w.Start)
		}
	}
	r, err := w.Resolve()
	if err != nil {
		return
	}
	for i, x := range w.Extended {
		until, err := ParseLocal(x.Until, loc)
		if err != nil {
			c.errorf(strictyaml.JoinIndex(path+".extended", i)+".until", "until: %v", err)
			continue
		}
		if !r.End.IsZero() && until.UTC().Before(r.End) && !r.Extended {
			c.errorf(strictyaml.JoinIndex(path+".extended", i)+".until", "extension until %s ends before the window does", x.Until)
		}
	}
}

func (c *checker) checkWindow() {
	w := c.a.Window
	requireStart := c.a.Status != StatusProposed && c.a.Status != StatusRejected
	c.checkWindowFields("window", w, requireStart)
	if requireStart && w.Duration == "" && w.End == "" {
		c.errorf("window", "window needs a duration or an end")
	}
	c.ref("window.source", w.Source)
	if w.Extension != nil {
		c.ref("window.extension.source", w.Extension.Source)
	}
	for i, x := range w.Extended {
		c.ref(strictyaml.JoinIndex("window.extended", i)+".source", x.Source)
	}
}

func (c *checker) terms(path string, vocab *taxonomy.Vocabulary, ids []string) {
	for i, id := range ids {
		if vocab.Has(id) {
			continue
		}
		msg := fmt.Sprintf("unknown %s %q", vocab.Name(), id)
		if s := vocab.Suggest(id); len(s) > 0 {
			msg += fmt.Sprintf(" (did you mean %s?)", strings.Join(s, ", "))
		}
		c.errorf(strictyaml.JoinIndex(path, i), "%s; `truce agreement schema` lists them all", msg)
	}
}

func (c *checker) geography(path string, g *Geography) {
	if g == nil {
		return
	}
	for i, cc := range g.Countries {
		if !countryRe.MatchString(cc) {
			c.errorf(strictyaml.JoinIndex(path+".countries", i), "country %q is not an ISO 3166-1 alpha-2 code such as UA", cc)
		}
	}
	if g.Polygon != nil {
		if at, err := checkPolygon(g.Polygon); err != nil {
			c.errorf(path+".polygon"+at, "polygon: %v", err)
		}
	}
}

func (c *checker) checkCommitments() {
	if len(c.a.Commitments) == 0 && c.a.Status != StatusProposed && c.a.Status != StatusRejected {
		c.errorf("commitments", "at least one commitment is required")
	}
	first := map[string]int{}
	for i, cm := range c.a.Commitments {
		p := strictyaml.JoinIndex("commitments", i)
		switch {
		case !commitmentIDRe.MatchString(cm.ID):
			c.errorf(p+".id", "commitment id %q must be letters, digits, dots, dashes or underscores", cm.ID)
		default:
			if j, dup := first[cm.ID]; dup {
				what := "duplicate"
				if c.a.Commitments[j].Withdrawn != nil || cm.Withdrawn != nil {
					what = "reused"
				}
				pos, _ := c.pos.Lookup(strictyaml.JoinIndex("commitments", j) + ".id")
				c.errorf(p+".id", "%s commitment id %q (first used at line %d): ids are never reused, give a new id", what, cm.ID, pos.Line)
			} else {
				first[cm.ID] = i
			}
		}
		if strings.TrimSpace(cm.Title) == "" {
			c.errorf(p+".title", "commitment %q needs a title", cm.ID)
		}
		if len(cm.Bound) == 0 {
			c.errorf(p+".bound", "commitment %q binds no party", cm.ID)
		}
		for j, party := range cm.Bound {
			switch {
			case c.parties[party]:
			case cm.IsObligation() && c.everyone[party]:
				// A mediator or guarantor may undertake to do something.
			default:
				msg := fmt.Sprintf("commitment %q binds undeclared party %q", cm.ID, party)
				if c.everyone[party] {
					msg += " (it is a mediator or guarantor, not a party)"
				}
				c.errorf(strictyaml.JoinIndex(p+".bound", j), "%s", msg)
			}
		}
		if c.checkObligation(p, cm) {
			c.ref(p+".source", cm.Source)
			c.checkWithdrawn(p, cm)
			continue
		}
		if len(cm.Prohibited.Kinds) == 0 {
			c.errorf(p+".prohibited.kinds", "commitment %q prohibits no event kind", cm.ID)
		}
		c.terms(p+".prohibited.kinds", taxonomy.Kinds, cm.Prohibited.Kinds)
		c.terms(p+".prohibited.targets", taxonomy.Targets, cm.Prohibited.Targets)
		c.geography(p+".geography", cm.Geography)
		exc := map[string]bool{}
		for j, e := range cm.Exceptions {
			ep := strictyaml.JoinIndex(p+".exceptions", j)
			if e.ID == "" || exc[e.ID] {
				c.errorf(ep+".id", "exception id %q must be present and unique within the commitment", e.ID)
			}
			exc[e.ID] = true
			c.terms(ep+".kinds", taxonomy.Kinds, e.Kinds)
			c.terms(ep+".targets", taxonomy.Targets, e.Targets)
			c.geography(ep+".geography", e.Geography)
			c.ref(ep+".source", e.Source)
		}
		c.ref(p+".source", cm.Source)
		c.checkWithdrawn(p, cm)
	}
}

func (c *checker) checkWithdrawn(p string, cm Commitment) {
	if w := cm.Withdrawn; w != nil {
		if w.Version < 1 || w.Version > c.a.Version {
			c.errorf(p+".withdrawn.version", "withdrawn in version %d, but this is version %d", w.Version, c.a.Version)
		}
		c.ref(p+".withdrawn.source", w.Source)
	}
}

func (c *checker) checkReadings() {
	seen := map[string]bool{}
	commitments, obligations := map[string]bool{}, map[string]bool{}
	for _, cm := range c.a.Commitments {
		commitments[cm.ID] = true
		obligations[cm.ID] = cm.IsObligation()
	}
	for i, r := range c.a.Readings {
		p := strictyaml.JoinIndex("readings", i)
		switch {
		case !c.everyone[r.Party]:
			c.errorf(p+".party", "reading of undeclared party %q", r.Party)
		case seen[r.Party]:
			c.errorf(p+".party", "party %q has two readings; merge them", r.Party)
		}
		seen[r.Party] = true
		if strings.TrimSpace(r.Description) == "" {
			c.errorf(p+".description", "reading of %q needs a description of what it disputes", r.Party)
		}
		if r.Window != nil {
			w := c.a.Window.apply(r.Window)
			c.checkWindowFields(p+".window", w, c.a.Status != StatusProposed && c.a.Status != StatusRejected)
			if r.Window.Source != "" {
				c.ref(p+".window.source", r.Window.Source)
			}
		}
		for id, o := range r.Commitments {
			cp := p + ".commitments." + id
			switch {
			case !commitments[id]:
				c.errorf(cp+"#key", "reading overrides unknown commitment %q", id)
			case obligations[id]:
				c.errorf(cp+"#key", "reading overrides obligation %q: a reading overrides prohibited conduct only", id)
			}
			c.terms(cp+".kinds", taxonomy.Kinds, o.Kinds)
			c.terms(cp+".targets", taxonomy.Targets, o.Targets)
			if o.Source != "" {
				c.ref(cp+".source", o.Source)
			}
		}
		c.ref(p+".source", r.Source)
	}
}

func (c *checker) checkProposals() {
	ids := map[string]bool{}
	for _, pr := range c.a.Proposals {
		ids[pr.ID] = true
	}
	seen := map[string]bool{}
	for i, pr := range c.a.Proposals {
		p := strictyaml.JoinIndex("proposals", i)
		if pr.ID == "" || seen[pr.ID] {
			c.errorf(p+".id", "proposal id %q must be present and unique", pr.ID)
		}
		seen[pr.ID] = true
		if strings.TrimSpace(pr.Term) == "" {
			c.errorf(p+".term", "proposal %q needs the term in words", pr.ID)
		}
		if !c.everyone[pr.By] {
			c.errorf(p+".by", "proposal %q by undeclared party %q", pr.ID, pr.By)
		}
		c.date(p+".date", pr.Date)
		c.ref(p+".source", pr.Source)
		for j, pos := range pr.Positions {
			pp := strictyaml.JoinIndex(p+".positions", j)
			if !c.everyone[pos.Party] {
				c.errorf(pp+".party", "position of undeclared party %q", pos.Party)
			}
			c.date(pp+".date", pos.Date)
			if !slices.Contains([]Stance{StanceSupports, StanceRejects, StanceConditional, StanceNoComment}, pos.Stance) {
				c.errorf(pp+".stance", "stance %q is not one of supports, rejects, conditional, no_position", pos.Stance)
			}
			if pos.Stance == StanceConditional && len(pos.Conditions) == 0 {
				c.errorf(pp+".conditions", "a conditional position names the proposals it depends on")
			}
			for k, cond := range pos.Conditions {
				if !ids[cond] {
					c.errorf(strictyaml.JoinIndex(pp+".conditions", k), "condition %q is not a proposal id of this file", cond)
				}
			}
			c.ref(pp+".source", pos.Source)
		}
	}
}

func (c *checker) checkHistory() {
	prev := 0
	for i, h := range c.a.History {
		p := strictyaml.JoinIndex("history", i)
		if h.Version <= prev {
			c.errorf(p+".version", "history versions must increase (%d after %d)", h.Version, prev)
		}
		if h.Version > c.a.Version {
			c.errorf(p+".version", "history names version %d, but this is version %d", h.Version, c.a.Version)
		}
		prev = h.Version
		c.date(p+".date", h.Date)
		if h.Source != "" {
			c.ref(p+".source", h.Source)
		}
	}
	if n := len(c.a.History); n > 0 && c.a.History[n-1].Version != c.a.Version {
		c.errorf(strictyaml.JoinIndex("history", n-1)+".version", "history ends at version %d, but this is version %d: say what this version changed", c.a.History[n-1].Version, c.a.Version)
	}
}

// maxPolygonPositions bounds the positions of one geometry: every event is
// tested against it, and it is stored with every agreement version. An
// oblast boundary at 100 m resolution has about 20,000.
const maxPolygonPositions = 50_000

// checkPolygon checks a GeoJSON Polygon or MultiPolygon's structure: rings
// of [longitude, latitude] positions in range, closed, and not too many. A
// problem comes with where it is, relative to the polygon
// (".coordinates[0][3]"), so the message points at the position itself.
func checkPolygon(p *Polygon) (string, error) {
	budget := maxPolygonPositions
	switch p.Type {
	case "Polygon":
		return checkRings(p.Coordinates, &budget, ".coordinates")
	case "MultiPolygon":
		polys, ok := p.Coordinates.([]any)
		if !ok || len(polys) == 0 {
			return ".coordinates", fmt.Errorf("MultiPolygon coordinates must be a list of polygons")
		}
		for i, poly := range polys {
			if at, err := checkRings(poly, &budget, strictyaml.JoinIndex(".coordinates", i)); err != nil {
				return at, fmt.Errorf("polygon %d: %w", i, err)
			}
		}
		return "", nil
	default:
		return ".type", fmt.Errorf("type %q must be Polygon or MultiPolygon", p.Type)
	}
}

func checkRings(v any, budget *int, at string) (string, error) {
	rings, ok := v.([]any)
	if !ok || len(rings) == 0 {
		return at, fmt.Errorf("coordinates must be a list of linear rings")
	}
	for i, r := range rings {
		ringAt := strictyaml.JoinIndex(at, i)
		pts, ok := r.([]any)
		if !ok || len(pts) < 4 {
			return ringAt, fmt.Errorf("ring %d needs at least 4 positions", i)
		}
		if *budget -= len(pts); *budget < 0 {
			return ringAt, fmt.Errorf("more than %d positions in one geometry", maxPolygonPositions)
		}
		var first, last [2]float64
		for j, pt := range pts {
			xy, err := position(pt)
			if err != nil {
				return strictyaml.JoinIndex(ringAt, j), fmt.Errorf("ring %d position %d: %w", i, j, err)
			}
			if j == 0 {
				first = xy
			}
			last = xy
		}
		if first != last {
			return strictyaml.JoinIndex(ringAt, len(pts)-1), fmt.Errorf("ring %d is not closed (first and last positions differ)", i)
		}
	}
	return "", nil
}

func position(v any) ([2]float64, error) {
	pt, ok := v.([]any)
	if !ok || len(pt) < 2 || len(pt) > 3 {
		return [2]float64{}, fmt.Errorf("a position is [longitude, latitude]")
	}
	var xy [2]float64
	for k := 0; k < 2; k++ {
		switch n := pt[k].(type) {
		case float64:
			xy[k] = n
		case uint64:
			xy[k] = float64(n)
		case int64:
			xy[k] = float64(n)
		case int:
			xy[k] = float64(n)
		default:
			return xy, fmt.Errorf("coordinate %s is not a number", shortValue(pt[k]))
		}
	}
	if math.IsNaN(xy[0]) || math.IsNaN(xy[1]) || xy[0] < -180 || xy[0] > 180 || xy[1] < -90 || xy[1] > 90 {
		return xy, fmt.Errorf("position [%v, %v] is outside longitude/latitude range", xy[0], xy[1])
	}
	return xy, nil
}

// shortValue prints a decoded YAML value for a message, cut short: a
// hostile file may put a whole list where a number belongs.
func shortValue(v any) string {
	s := fmt.Sprint(v)
	if r := []rune(s); len(r) > 40 {
		return string(r[:37]) + "..."
	}
	return s
}
