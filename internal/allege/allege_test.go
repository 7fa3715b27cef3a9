package allege

import (
	"strings"
	"testing"

	"github.com/truce-monitor/truce/internal/classify"
	"github.com/truce-monitor/truce/internal/event"
	"github.com/truce-monitor/truce/internal/geo"
)

// words is the kind of table a mapping ships: Russian and Ukrainian names
// of each side, the formal and the pejorative.
var words = PartyWords{
	"UA":  {"всу$", "киевск{ий|ого|им|ому} режим", "украинск{ие|их|ими} {вооруженн|формирован|боевик|национал}", "неонацист", "украинск{ие|их|ими|ий}$", "ukraine$", "ukrainian$", "ukrainian forces"},
	"RU":  {"вооруженн{ые|ыми} сил{ы|ами} {российской федерации|рф}", "вс рф$", "российск{ие|ими|их} войск", "рашист", "окупант", "russia$", "russian$", "russian forces"},
	Enemy: {"противник", "ворог"},
}

func reader(t *testing.T) *Reader {
	t.Helper()
	r, err := New(classify.New(), geo.Builtin(), words)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// brief renders an allegation as "#part kind actor targets count tally".
func brief(a event.Allegation) string {
	var b strings.Builder
	b.WriteString("#")
	b.WriteByte(byte('0' + a.Part))
	b.WriteString(" " + a.Kind + " by " + a.Actor)
	for _, t := range a.Targets {
		b.WriteString(" " + t.Term)
		if t.Inferred {
			b.WriteString("?")
		}
	}
	if a.Count != nil {
		b.WriteString(" x")
		b.WriteString(itoa(*a.Count))
	}
	for _, p := range a.Places {
		b.WriteString(" @" + p.Admin1ID)
	}
	if a.Tally {
		b.WriteString(" tally")
	}
	if a.Attempt {
		b.WriteString(" attempt")
	}
	return b.String()
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var d []byte
	for ; n > 0; n /= 10 {
		d = append([]byte{byte('0' + n%10)}, d...)
	}
	return string(d)
}

func TestRead(t *testing.T) {
	r := reader(t)
	for _, tc := range []struct {
		name, text string
		want       []string
	}{
		{"tally and strike in one post",
			"Дежурными средствами ПВО сбиты 46 украинских беспилотников. Киевский режим атаковал газоизмерительную станцию Суджа в Курской области.",
			[]string{"#1 interception by UA x46 tally", "#2 strike by UA energy.oil_gas.pumping @RU-KRS"}},
		{"self-report is not an accusation",
			"Вооруженными Силами Российской Федерации нанесен массированный удар по объектам энергетики, обеспечивающим работу ВПК Украины.",
			[]string{"#1 strike by RU energy"}},
		{"response clause is the other side's act",
			"В ответ на попытки киевского режима нанести ущерб объектам энергетики России, Вооруженные силы РФ нанесли удар высокоточным оружием.",
			[]string{"#1 strike by UA energy attempt", "#2 strike by RU"}},
		{"pejorative actor name",
			"Рашисти вдарили по підстанції. Окупанти обстріляли Нікополь з артилерії.",
			[]string{"#1 strike by RU energy.electricity.transmission", "#2 strike.artillery by RU military.personnel"}},
		{"enemy word is the default accused",
			"Противник обстрелял подстанцию в Белгородской области.",
			[]string{"#1 strike.artillery by UA energy.electricity.transmission @RU-BEL"}},
		{"count in digits",
			"За сутки ВСУ нанесли более 100 ударов по приграничным районам.",
			[]string{"#1 strike by UA x100"}},
		{"count in words",
			"Ukrainian forces carried out six attacks on the substation.",
			[]string{"#1 strike by UA energy.electricity.transmission x6"}},
		{"no actor named: the default, said so",
			"Ночью атакована нефтеперекачивающая станция.",
			[]string{"#1 strike by UA energy.oil_gas.pumping"}},
		{"consequence wording",
			"Russian forces shelled Huliaipole; the town was left without electricity.",
			[]string{"#1 strike.artillery by RU", "#2 strike by RU energy.electricity?"}},
		{"weapon in a tally only", "Над территорией Брянской области уничтожены 3 украинских БПЛА.",
			[]string{"#1 interception by UA x3 @RU-BRY tally"}},
		{"response without a comma",
			"В ответ на попытки киевского режима нанести ущерб объектам энергетики России Вооруженные силы РФ нанесли удар высокоточным оружием.",
			[]string{"#1 strike by UA energy attempt", "#2 strike by RU"}},
		{"numbers in links are not counts",
			"ВСУ [атаковали](https://t.me/mod_russia/40826) подстанцию.",
			[]string{"#1 strike by UA energy.electricity.transmission"}},
		{"an act without a weapon word is a plain strike", "ВСУ атаковали Белгородскую область.",
			[]string{"#1 strike by UA @RU-BEL"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := r.Read(Input{Field: "text", Text: tc.text, Claimant: "RU", Accused: "UA"})
			var gs []string
			for _, a := range got {
				gs = append(gs, brief(a))
			}
			if strings.Join(gs, "\n") != strings.Join(tc.want, "\n") {
				t.Errorf("got\n  %s\nwant\n  %s", strings.Join(gs, "\n  "), strings.Join(tc.want, "\n  "))
			}
		})
	}
}

// Every part of an allegation carries the words that gave it, and a default
// actor says it is one.
func TestReasons(t *testing.T) {
	r := reader(t)
	got := r.Read(Input{Field: "text_snippet", Text: "Ночью атакована нефтеперекачивающая станция. Противник обстрелял Шебекино.", Claimant: "RU", Accused: "UA"})
	if len(got) != 2 {
		t.Fatalf("got %d allegations, want 2: %+v", len(got), got)
	}
	a := got[0]
	if a.KindReason == nil || a.KindReason.Match != "атакована" || a.KindReason.Field != "text_snippet" {
		t.Errorf("kind reason %+v", a.KindReason)
	}
	if a.ActorReason == nil || a.ActorReason.Rule != "default" {
		t.Errorf("actor reason %+v, want the default", a.ActorReason)
	}
	b := got[1]
	if b.ActorReason == nil || b.ActorReason.Match != "Противник" || !strings.Contains(b.ActorReason.Rule, "enemy word") {
		t.Errorf("actor reason %+v", b.ActorReason)
	}
}

// Hostile text: long, many acts, many numbers. Bounded, no panic.
func TestHostileText(t *testing.T) {
	r := reader(t)
	long := strings.Repeat("ВСУ атаковали подстанцию 12345. ", 20000)
	got := r.Read(Input{Field: "text", Text: long, Accused: "UA"})
	if len(got) > maxAllegations {
		t.Errorf("%d allegations, want at most %d", len(got), maxAllegations)
	}
	for _, s := range []string{"", ".", "1 2 3 4", "по по по", "\xff\xfe удар", "в ответ на", strings.Repeat("9", 5000)} {
		r.Read(Input{Text: s})
	}
}

func FuzzRead(f *testing.F) {
	for _, s := range []string{"ВСУ атаковали подстанцию.", "в ответ на попытки, удар", "46 drones shot down", "1 200 ударов", "\x00\xff"} {
		f.Add(s)
	}
	r, err := New(classify.New(), geo.Builtin(), words)
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, a := range r.Read(Input{Field: "f", Text: s, Claimant: "RU", Accused: "UA"}) {
			if a.Part < 1 || a.Kind == "" {
				t.Fatalf("bad allegation %+v", a)
			}
		}
	})
}
