package agreement

import (
	"slices"
	"strings"

	"github.com/truce-monitor/truce/internal/strictyaml"
)

// checkObligation validates the positive-obligation side of commitment cm
// at path p, and reports whether cm is an obligation (its prohibition
// side is then not checked). A commitment is either a prohibition or an
// obligation; the implementation steps belong to an obligation only.
func (c *checker) checkObligation(p string, cm Commitment) bool {
	_, prohibited := c.pos.Lookup(p + ".prohibited")
	prohibited = prohibited || len(cm.Prohibited.Kinds) > 0 || len(cm.Prohibited.Targets) > 0
	o := cm.Obligation
	switch {
	case o == nil && !prohibited && len(cm.Implementation) == 0:
		c.errorf(p, "commitment %q needs prohibited (conduct it forbids) or obligation (what a party must do)", cm.ID)
		return true
	case o == nil && len(cm.Implementation) > 0:
		c.errorf(p+".implementation#key", "commitment %q has implementation steps but no obligation: steps score an obligation, not a prohibition", cm.ID)
		return !prohibited
	case o == nil:
		return false
	case prohibited:
		c.errorf(p+".obligation#key", "commitment %q has both prohibited and obligation: a commitment is either a prohibition or an obligation; split it in two", cm.ID)
	}
	if strings.TrimSpace(o.Action) == "" {
		c.errorf(p+".obligation.action", "obligation %q needs the action in words (what must be done)", cm.ID)
	}
	if o.Due != "" {
		c.date(p+".obligation.due", o.Due)
	}
	if cm.Geography != nil {
		c.errorf(p+".geography#key", "obligation %q has a geography: geography narrows prohibited conduct; say where in the action", cm.ID)
	}
	if len(cm.Exceptions) > 0 {
		c.errorf(p+".exceptions#key", "obligation %q has exceptions: exceptions narrow prohibited conduct", cm.ID)
	}
	prev := ""
	for i, st := range cm.Implementation {
		sp := strictyaml.JoinIndex(p+".implementation", i)
		if ok := c.date(sp+".date", st.Date); ok {
			if prev != "" && st.Date < prev {
				c.errorf(sp+".date", "step date %s is before the previous step's %s: list steps in date order", st.Date, prev)
			}
			prev = st.Date
		}
		if !slices.Contains(Levels(), st.Level) {
			c.errorf(sp+".level", "level %q is not one of %s", st.Level, joinQuoted(Levels()))
		}
		c.ref(sp+".source", st.Source)
		if strings.TrimSpace(st.Note) == "" {
			c.errorf(sp+".note", "step of %s needs a note: what happened, and why it is at this level", st.Date)
		}
	}
	return true
}
