package classify

import (
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/truce-monitor/truce/internal/event"
	"github.com/truce-monitor/truce/internal/taxonomy"
)

// tm is a Reason without Field and Rule, for compact expectations.
type tm struct{ Term, Match string }

func terms(rs []event.Reason) []tm {
	out := []tm{}
	for _, r := range rs {
		out = append(out, tm{r.Term, r.Match})
	}
	return out
}

func TestClassify(t *testing.T) {
	c := New()
	tests := []struct {
		lang, text string
		want       []tm
	}{
		// English: each energy category.
		{"en", "Russian drones hit a substation near Kharkiv.", []tm{{"energy.electricity.transmission", "substation"}}},
		{"en", "Shelling damaged power lines and a transformer.", []tm{{"energy.electricity.transmission", "power lines"}}},
		{"en", "A drone struck the Kremenchuk oil refinery.", []tm{{"energy.refinery", "refinery"}}},
		{"en", "Shells landed near the Zaporizhzhia NPP.", []tm{{"energy.nuclear", "NPP"}}},
		{"en", "Russian forces took control of the Zaporizhia nuclear power station.", []tm{{"energy.nuclear", "nuclear power station"}}},
		{"en", "Kharkiv CHP-5 was hit again.", []tm{{"energy.electricity.generation", "CHP-5"}}},
		{"en", "Fighting over Kyivska Hydroelectric Power Plant.", []tm{{"energy.hydro", "Hydroelectric Power Plant"}}},
		{"en", "The Kakhovka HPP dam was blown up.", []tm{{"energy.hydro", "HPP"}}},
		{"en", "Ukraine struck an oil pumping station in Krasnodar krai.", []tm{{"energy.oil_gas.pumping", "oil pumping"}}},
		{"en", "A gas metering station at Sudzha was damaged.", []tm{{"energy.oil_gas.pumping", "gas metering station"}}},
		// Compounds, hyphens and abbreviations (issue: vocabulary found lacking on real text).
		{"en", "Shelling cut the powerlines near Huliaipole.", []tm{{"energy.electricity.transmission", "powerlines"}}},
		{"en", "A power-line was damaged.", []tm{{"energy.electricity.transmission", "power-line"}}},
		{"ru", "Удар по Киевской ТЭЦ-5 и Бурштынской ТЭС.", []tm{{"energy.electricity.generation", "ТЭЦ"}}},
		{"ru", "Обстрел Запорожской АЭС.", []tm{{"energy.nuclear", "АЭС"}}},
		{"ru", "Удар по Днепровской ГЭС.", []tm{{"energy.hydro", "ГЭС"}}},
		{"ru", "Повреждена ПС 110 кВ.", []tm{{"energy.electricity.transmission", "ПС 110"}}},
		{"uk", "Удар по Трипільській ТЕС.", []tm{{"energy.electricity.generation", "ТЕС"}}},
		{"uk", "Обстріл Запорізької АЕС.", []tm{{"energy.nuclear", "АЕС"}}},
		{"uk", "Удар по Дніпровській ГЕС.", []tm{{"energy.hydro", "ГЕС"}}},
		{"en", "Missiles hit a fuel depot and a gas pipeline.", []tm{{"energy.oil_gas.storage", "fuel depot"}, {"energy.oil_gas.pipeline", "gas pipeline"}}},
		{"en", "Strikes on energy infrastructure facilities continued.", []tm{{"energy", "energy infrastructure"}}},
		{"en", "Shelling cut the power grid.", []tm{{"energy.electricity.transmission", "power grid"}}},
		// English: longer phrases win over the words inside them.
		{"en", "A boiler house was hit.", []tm{{"energy.electricity.generation", "boiler house"}}},
		{"en", "They shelled a water pipeline.", []tm{{"infrastructure.water", "water pipeline"}}},
		{"en", "Fuel tanks burned.", []tm{{"energy.oil_gas.storage", "Fuel tanks"}}},
		// English: false positives that must not be energy.
		{"en", "Russia acts like a superpower; a powerful explosion was heard.", []tm{}},
		{"en", "They shelled the railway station and a police station.", []tm{{"infrastructure.transport.rail", "railway station"}, {"infrastructure.government", "police station"}}},
		{"en", "Robbers blew up the safe of a gas station.", []tm{{"civilian.commercial", "gas station"}}},
		{"en", "The International Atomic Energy Agency issued a statement.", []tm{}},
		{"en", "Police used tear gas; protest against fuel prices and a power outage.", []tm{}},
		{"en", "Traffic gridlock on the front line; a mine was planted.", []tm{}},
		{"en", "Supporters of the CHP party rallied.", []tm{}},
		{"en", "The event was shown on the grid square map.", []tm{}},
		{"en", "Energy Ministry officials visited.", []tm{}},
		// Russian.
		{"ru", "ВСУ атаковали нефтеперекачивающую станцию в Краснодарском крае.", []tm{{"energy.oil_gas.pumping", "нефтеперекачивающую"}}},
		{"ru", "Повреждены ЛЭП в Брянской и Белгородской областях.", []tm{{"energy.electricity.transmission", "ЛЭП"}}},
		{"ru", "Удар по газоизмерительной станции «Суджа».", []tm{{"energy.oil_gas.pumping", "газоизмерительной"}}},
		{"ru", "Атака на ПОДСТАНЦИЮ и трансформатор.", []tm{{"energy.electricity.transmission", "ПОДСТАНЦИЮ"}}},
		{"ru", "нанесен удар по объектам энергетики Украины", []tm{{"energy", "объектам энергетики"}}},
		{"ru", "по объектам электроэнергетики", []tm{{"energy.electricity", "электроэнергетики"}}},
		{"ru", "ротация наблюдателей на Запорожской АЭС", []tm{{"energy.nuclear", "АЭС"}}},
		{"ru", "обстрел Запорожской атомной электростанции", []tm{{"energy.nuclear", "атомной электростанции"}}},
		{"ru", "Белгородская ТЭЦ и котельная", []tm{{"energy.electricity.generation", "ТЭЦ"}}},
		{"ru", "плотина Каховской ГЭС", []tm{{"energy.hydro", "плотина"}}},
		{"ru", "удар по нефтебазе и НПЗ", []tm{{"energy.oil_gas.storage", "нефтебазе"}, {"energy.refinery", "НПЗ"}}},
		{"ru", "уничтожен склад горючего ВСУ", []tm{{"energy.oil_gas.storage", "склад горючего"}, {"military.logistics", "склад горючего"}}},
		{"ru", "повреждён газопровод", []tm{{"energy.oil_gas.pipeline", "газопровод"}}},
		// Russian: false positives.
		{"ru", "уничтожена станция РЭБ и дизель-электрическая лодка", []tm{{"military.equipment", "станция РЭБ"}}},
		{"ru", "пострадала подстанция скорой помощи", []tm{{"civilian.medical", "подстанция скорой"}}},
		{"ru", "заявление министерства энергетики", []tm{}},
		{"ru", "бой у железнодорожной станции", []tm{{"infrastructure.transport.rail", "железнодорожной станции"}}},
		{"ru", "твердотопливной ракеты и топливозаправщики", []tm{}},
		// Ukrainian.
		{"uk", "Ворог атакував підстанцію на Полтавщині.", []tm{{"energy.electricity.transmission", "підстанцію"}}},
		{"uk", "Пошкоджено лінію електропередачі.", []tm{{"energy.electricity.transmission", "електропередачі"}}},
		{"uk", "Удар по нафтобазі.", []tm{{"energy.oil_gas.storage", "нафтобазі"}}},
		{"uk", "Обстріляно ТЕЦ у Харкові.", []tm{{"energy.electricity.generation", "ТЕЦ"}}},
		{"uk", "Запорізька АЕС знеструмлена.", []tm{{"energy.nuclear", "АЕС"}}},
		{"uk", "Пошкоджено об’єкт енергетики.", []tm{{"energy", "об’єкт енергетики"}}},
		{"uk", "Пошкоджено газопровід і ділянку газопроводу.", []tm{{"energy.oil_gas.pipeline", "газопровід"}}},
		{"uk", "Атака на енергетичну інфраструктуру.", []tm{{"energy", "енергетичну інфраструктуру"}}},
		{"uk", "Удар по Дніпровській ГЕС і греблі.", []tm{{"energy.hydro", "ГЕС"}}},
		{"uk", "Удар по нафтопереробному заводу.", []tm{{"energy.refinery", "нафтопереробному заводу"}}},
		// Ukrainian: false positives.
		{"uk", "Кримінальна справа; мости міст; Укрзалізниця.", []tm{{"infrastructure.transport.road", "мости"}, {"infrastructure.transport.rail", "Укрзалізниця"}}},
		{"uk", "Заява міністра енергетики.", []tm{}},
		{"uk", "Знищено станцію РЕБ.", []tm{{"military.equipment", "станцію РЕБ"}}},
	}
	for _, tt := range tests {
		got := terms(c.Classify("notes", tt.text, nil))
		if fmt.Sprint(got) != fmt.Sprint(tt.want) {
			t.Errorf("[%s] Classify(%q)\n got  %v\n want %v", tt.lang, tt.text, got, tt.want)
		}
	}
}

func TestClassifyReasonFields(t *testing.T) {
	c := New()
	dst := []event.Reason{{Term: "energy", Field: "tags"}}
	got := c.Classify("notes", "Substations and a SUBSTATION", dst)
	want := []event.Reason{
		{Term: "energy", Field: "tags"},
		{Term: "energy.electricity.transmission", Field: "notes", Match: "Substations", Rule: "en:substation"},
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("got %+v, want %+v", got, want)
	}
}

func TestClassifyNoAlloc(t *testing.T) {
	c := New()
	text := "On 14 June 2022, Russian forces engaged in an offensive in the direction of Berestove, Donetsk, but were repulsed. Casualties unknown."
	if n := testing.AllocsPerRun(200, func() { _ = c.Classify("notes", text, nil) }); n != 0 {
		t.Errorf("Classify allocates %v times with no match", n)
	}
	dst := make([]event.Reason, 0, 8)
	hit := "Russian drones hit a substation and a fuel depot."
	if n := testing.AllocsPerRun(200, func() { _ = c.Classify("notes", hit, dst[:0]) }); n != 0 {
		t.Errorf("Classify allocates %v times with room in dst", n)
	}
}

func TestClassifyConcurrent(t *testing.T) {
	c := New()
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 200; i++ {
				if got := c.Classify("notes", "удар по подстанции", nil); len(got) != 1 {
					t.Errorf("got %v", got)
					return
				}
			}
		}()
	}
	wg.Wait()
}

func TestVocabulary(t *testing.T) {
	if _, err := NewWith(vocabulary); err != nil {
		t.Fatal(err)
	}
	langs := map[string]map[string]bool{}
	for _, e := range vocabulary {
		for _, term := range strings.Fields(e.Terms) {
			if langs[term] == nil {
				langs[term] = map[string]bool{}
			}
			langs[term][e.Lang] = true
		}
	}
	// Every energy category has a pattern in every language.
	for _, id := range taxonomy.Targets.IDs() {
		if !taxonomy.Covers("energy", id) {
			continue
		}
		for _, l := range []string{"en", "uk", "ru"} {
			if !langs[id][l] {
				t.Errorf("no %s pattern for %s", l, id)
			}
		}
	}
}

func TestNewWithErrors(t *testing.T) {
	for _, tt := range []struct {
		e    Entry
		want string
	}{
		{Entry{"de", "x", "energy"}, "unknown language"},
		{Entry{"en", "x", "energy.coal"}, "unknown target category"},
		{Entry{"en", "x{y", "energy"}, "unclosed"},
	} {
		_, err := NewWith([]Entry{tt.e})
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("NewWith(%v) error = %v, want %q", tt.e, err, tt.want)
		}
	}
	if _, err := NewWith([]Entry{{"en", "x", "energy"}, {"en", "x", "energy"}}); err == nil {
		t.Error("duplicate entry accepted")
	}
}
