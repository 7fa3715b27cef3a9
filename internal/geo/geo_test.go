package geo

import (
	"encoding/csv"
	"errors"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

func TestBuiltinNames(t *testing.T) {
	g := Builtin()
	if n := len(g.Units()); n < 27+34 {
		t.Fatalf("%d built-in units, want at least 61", n)
	}
	ua := 0
	for _, s := range builtin {
		if s.country == "UA" {
			ua++
		}
		for _, name := range append([]string{s.id, s.en, s.uk, s.ru, strings.ToUpper(s.en)}, s.aliases...) {
			got, ok := g.Resolve(name)
			if !ok || got.ID != s.id {
				t.Errorf("Resolve(%q) = %v %v, want %s", name, got.ID, ok, s.id)
			}
		}
		// The text patterns find the unit's own names.
		for _, name := range []string{s.en, s.uk, s.ru} {
			ms := g.ResolveInText("… " + name + " …")
			if len(ms) == 0 || ms[0].Admin1.ID != s.id {
				t.Errorf("ResolveInText(%q) = %v, want %s first", name, ms, s.id)
			}
		}
		if s.lat < 43 || s.lat > 61 || s.lon < 22 || s.lon > 57 {
			t.Errorf("%s: centroid %v,%v outside the region", s.id, s.lat, s.lon)
		}
	}
	if ua != 27 {
		t.Errorf("%d Ukrainian units, want 27 (24 oblasts, Crimea, Kyiv, Sevastopol)", ua)
	}
}

func TestResolveSpellings(t *testing.T) {
	g := Builtin()
	for name, want := range map[string]string{
		"Kharkivs'ka oblast'":           "UA-63",
		"Харківська обл.":               "UA-63",
		"Харьковская область":           "UA-63",
		"Kharkov":                       "UA-63",
		"Kiev":                          "UA-30",
		"Kyiv City":                     "UA-30",
		"м. Київ":                       "UA-30",
		"Kyiv Oblast":                   "UA-32",
		"Київська область":              "UA-32",
		"Kyivska":                       "UA-32",
		"Mykolaiv":                      "UA-48",
		"Nikolaev":                      "UA-48",
		"Zaporizhzhia Oblast":           "UA-23",
		"Zaporozhye":                    "UA-23",
		"Запорізька":                    "UA-23",
		"Dnipropetrovsk":                "UA-12",
		"Odessa":                        "UA-51",
		"Odesa Oblast":                  "UA-51",
		"Luhansk":                       "UA-09",
		"Lugansk":                       "UA-09",
		"Khmelnytskyi":                  "UA-68",
		"Khmel'nyts'kyi":                "UA-68",
		"Ivano-Frankivsk":               "UA-26",
		"Івано-Франківська":             "UA-26",
		"Autonomous Republic of Crimea": "UA-43",
		"Республика Крым":               "UA-43",
		"Sevastopol":                    "UA-40",
		"Брянская область":              "RU-BRY",
		"в Брянской области":            "RU-BRY",
		"Krasnodar krai":                "RU-KDA",
		"Краснодарский край":            "RU-KDA",
		"Republic of Tatarstan":         "RU-TA",
		"Moscow":                        "RU-MOW",
		"Moscow Oblast":                 "RU-MOS",
		"Московская область":            "RU-MOS",
		"Saint Petersburg":              "RU-SPE",
		"Nizhny Novgorod":               "RU-NIZ",
		"Орёл":                          "RU-ORL",
		"ru-bel":                        "RU-BEL",
	} {
		got, ok := g.Resolve(name)
		if !ok || got.ID != want {
			t.Errorf("Resolve(%q) = %q %v, want %s", name, got.ID, ok, want)
		}
	}
	for _, name := range []string{"", "Ukraine", "oblast", "Atlantis", "Донецк и Луганск"} {
		if got, ok := g.Resolve(name); ok {
			t.Errorf("Resolve(%q) = %s, want no match", name, got.ID)
		}
	}
}

func ids(ms []Match) []string {
	out := []string{}
	for _, m := range ms {
		out = append(out, m.Admin1.ID)
	}
	return out
}

func TestResolveInText(t *testing.T) {
	g := Builtin()
	for _, tt := range []struct {
		text string
		want []string
	}{
		{"повреждены ЛЭП в Брянской и Белгородской областях", []string{"RU-BRY", "RU-BEL"}},
		{"над территорией Курской области уничтожены", []string{"RU-KRS"}},
		{"нефтеперекачивающая станция в Краснодарском крае", []string{"RU-KDA"}},
		{"в районе населенного пункта Новгородское и в Луганском", []string{}},
		{"террористическая атака киевского режима", []string{}},
		{"Росія атакувала Херсонщину і Харків", []string{"UA-65", "UA-63"}},
		{"удар по Києву та Київщині", []string{"UA-30", "UA-32"}},
		{"Shelling in Kyiv Oblast and in Kyiv city", []string{"UA-32", "UA-30"}},
		{"port of Bilhorod-Dnistrovskyi; Belgorod oblast", []string{"UA-51", "RU-BEL"}},
		{"a transformer in Mykolaiv oblast, near Mykolaivka", []string{"UA-48"}},
		{"Запорожской АЭС и Подмосковье", []string{"UA-23", "RU-MOS"}},
		{"в Бєлгородській області та Білгороді", []string{"RU-BEL", "RU-BEL"}},
		{"Владимир Путин посетил Ростов-на-Дону", []string{"RU-ROS"}},
	} {
		if got := ids(g.ResolveInText(tt.text)); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("ResolveInText(%q) = %v, want %v", tt.text, got, tt.want)
		}
	}
	ms := g.ResolveInText("Ракеты над Брянщиной")
	if len(ms) != 1 || ms[0].Text != "Брянщиной" {
		t.Errorf("match text = %+v, want Брянщиной", ms)
	}
}

// sharedData finds <repo>/../shared/data by walking up to go.mod.
func sharedData(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		if parent := filepath.Dir(dir); parent != dir {
			dir = parent
			continue
		}
		t.Fatal("go.mod not found above the test directory")
	}
	data := filepath.Join(dir, "..", "shared", "data")
	if _, err := os.Stat(data); errors.Is(err, os.ErrNotExist) {
		t.Skipf("shared data folder %s is absent", data)
	}
	return data
}

func readCSV(t *testing.T, path string) []map[string]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	var rows []map[string]string
	for _, r := range recs[1:] {
		m := map[string]string{}
		for i, h := range recs[0] {
			m[h] = r[i]
		}
		rows = append(rows, m)
	}
	return rows
}

func load(t *testing.T, g *Gazetteer, path string, f Format) int {
	t.Helper()
	fh, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	n, err := g.Load(fh, f)
	if err != nil {
		t.Fatalf("Load(%s): %v", path, err)
	}
	return n
}

func TestACLEDAdmin1(t *testing.T) {
	data := sharedData(t)
	rows := readCSV(t, filepath.Join(data, "acled-sample-acledR", "acled_sample_ukraine_2022H1.csv"))
	g := Builtin()
	load(t, g, filepath.Join(data, "ukraine-oblasts-geojson", "ukraine_oblasts_directrelief.geojson"), GeoJSON)
	seen := map[string]bool{}
	agree, total := 0, 0
	for _, r := range rows {
		u, ok := g.ResolveACLED(r["admin1"])
		if !ok {
			if !seen[r["admin1"]] {
				t.Errorf("ACLED admin1 %q does not resolve", r["admin1"])
			}
			seen[r["admin1"]] = true
			continue
		}
		seen[r["admin1"]] = true
		lat, err1 := strconv.ParseFloat(r["latitude"], 64)
		lon, err2 := strconv.ParseFloat(r["longitude"], 64)
		if err1 != nil || err2 != nil {
			continue
		}
		total++
		if p, ok := g.PointIn(lat, lon); ok && p.ID == u.ID {
			agree++
		} else {
			t.Logf("%s: admin1 %q -> %s, point %v,%v in %s", r["event_id_cnty"], r["admin1"], u.ID, lat, lon, p.ID)
		}
	}
	t.Logf("%d distinct admin1 values; point-in-polygon agrees with admin1 on %d of %d rows", len(seen), agree, total)
	for name, want := range map[string]string{"Kyiv": "UA-32", "Kyiv City": "UA-30", "Zaporizhia": "UA-23", "Kirovograd": "UA-35", "Odesa": "UA-51", "Crimea": "UA-43"} {
		if u, _ := g.ResolveACLED(name); u.ID != want {
			t.Errorf("ResolveACLED(%q) = %s, want %s", name, u.ID, want)
		}
	}
	if float64(agree) < 0.97*float64(total) {
		t.Errorf("point-in-polygon agrees with ACLED admin1 on %d of %d rows, want 97%%", agree, total)
	}
}

func TestMoDTextMentions(t *testing.T) {
	data := sharedData(t)
	rows := readCSV(t, filepath.Join(data, "russian-mod-telegram-2023-2024", "mod_russia_posts_2023_2024.csv"))
	g := Builtin()
	// A few exact posts: row index, its datetime (so a reordered file fails
	// loudly) and the units its text names.
	for _, c := range []struct {
		row  int
		when string
		want []string
	}{
		{47, "2023-03-09 11:07", []string{"RU-BRY"}},
		{728, "2023-09-22 03:32", []string{"UA-43", "RU-KDA"}}, // Крымского полуострова, Краснодарского края
		{62, "2023-03-22 11:41", []string{"UA-40"}},
		{635, "2023-09-07 01:41", []string{"RU-ROS"}},
		{1326, "2024-01-29 20:01", []string{"RU-MOS"}},
	} {
		r := rows[c.row]
		if r["datetime"] != c.when {
			t.Fatalf("row %d is dated %s, want %s", c.row, r["datetime"], c.when)
		}
		got := ids(g.ResolveInText(r["text_snippet"]))
		for _, w := range c.want {
			if !contains(got, w) {
				t.Errorf("row %d: got %v, want %s among them", c.row, got, w)
			}
		}
	}
	// Every post whose text says "<Region> области" names that region.
	re := regexp.MustCompile(`(Брянской|Курской|Белгородской|Запорожской|Херсонской|Ростовской|Воронежской|Калужской|Орловской|Тульской) области`)
	wantID := map[string]string{"Брянской": "RU-BRY", "Курской": "RU-KRS", "Белгородской": "RU-BEL", "Запорожской": "UA-23", "Херсонской": "UA-65",
		"Ростовской": "RU-ROS", "Воронежской": "RU-VOR", "Калужской": "RU-KLU", "Орловской": "RU-ORL", "Тульской": "RU-TUL"}
	checked := 0
	for i, r := range rows {
		text := r["text_snippet"]
		got := ids(g.ResolveInText(text))
		for _, m := range re.FindAllStringSubmatch(text, -1) {
			checked++
			if !contains(got, wantID[m[1]]) {
				t.Errorf("row %d: %q not found (got %v)", i, m[0], got)
			}
		}
	}
	if checked < 500 {
		t.Errorf("only %d region phrases checked", checked)
	}
	// Precision against an independent reader: every border region we find
	// in a post is also among the regions the scraper tagged it with (the
	// scraper read the whole post; the snippet is its first 400 characters).
	slug := map[string]string{"RU-BEL": "belgorod", "RU-KRS": "kursk", "RU-BRY": "bryansk", "UA-43": "crimea",
		"RU-ROS": "rostov", "RU-VOR": "voronezh", "RU-KLU": "kaluga", "RU-ORL": "oryol"}
	agree, total := 0, 0
	for i, r := range rows {
		tags := "|" + r["oblasts"] + "|"
		for _, m := range g.ResolveInText(r["text_snippet"]) {
			s, ok := slug[m.Admin1.ID]
			if !ok {
				continue
			}
			total++
			if strings.Contains(tags, "|"+s+"|") {
				agree++
			} else {
				t.Logf("row %d: %q (%s) not among the scraper's tags %s", i, m.Text, m.Admin1.ID, r["oblasts"])
			}
		}
	}
	t.Logf("%d region phrases checked; %d of %d border-region mentions confirmed by the scraper's tags", checked, agree, total)
	if total < 1000 || float64(agree) < 0.98*float64(total) {
		t.Errorf("scraper confirms %d of %d mentions, want at least 98%% of 1000+", agree, total)
	}
}

func contains(s []string, v string) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

func TestLoadGeoNames(t *testing.T) {
	data := sharedData(t)
	g := Builtin()
	if n := load(t, g, filepath.Join(data, "geonames-postal-ua", "UA.txt"), GeoNamesPostal); n != 29571 {
		t.Errorf("loaded %d GeoNames rows, want 29571", n)
	}
	for name, want := range map[string]string{
		"Енергодар": "UA-23", // Enerhodar, the town of the Zaporizhzhia NPP
		"Бровари":   "UA-32", // a city in Kyiv Oblast, and a village in Khmelnytskyi
		"Черкаси":   "UA-71",
		"Суджа":     "", // in Russia: not in the Ukrainian file
	} {
		got, ok := g.Resolve(name)
		if want == "" {
			if ok {
				t.Errorf("Resolve(%q) = %s, want no match", name, got.ID)
			}
			continue
		}
		if !ok || got.ID != want {
			t.Errorf("Resolve(%q) = %s %v, want %s", name, got.ID, ok, want)
		}
	}
	// GeoNames spells Kyiv City "Kyiv" (code 13) and the oblast "Kyivska" (12).
	for name, want := range map[string]string{"Kyiv": "UA-30", "Kyivska": "UA-32", "Zaporizka": "UA-23"} {
		if got, _ := g.Resolve(name); got.ID != want {
			t.Errorf("Resolve(%q) = %s, want %s", name, got.ID, want)
		}
	}
	if _, err := g.Load(strings.NewReader("UA\t1\tX\tNowhere\t99\n"), GeoNamesPostal); err == nil || !strings.Contains(err.Error(), "line 1") {
		t.Errorf("bad admin name: error %v, want one naming line 1", err)
	}
}

func TestLoadOblastFiles(t *testing.T) {
	data := sharedData(t)
	dir := filepath.Join(data, "ukraine-oblasts-geojson")
	g := Builtin()
	if n := load(t, g, filepath.Join(dir, "oblast_names_from_osm.csv"), OblastCSV); n != 25 {
		t.Errorf("loaded %d CSV rows, want 25", n)
	}
	if n := load(t, g, filepath.Join(dir, "UA_FULL_Ukraine_osm.geojson"), GeoJSON); n != 25 {
		t.Errorf("loaded %d OSM features, want 25", n)
	}
	// Names in other languages come with the OSM file.
	for name, want := range map[string]string{"Oblast Charkiw": "UA-63", "Obwód lwowski": "UA-46", "Vinnytsia Oblast": "UA-05"} {
		if got, ok := g.Resolve(name); !ok || got.ID != want {
			t.Errorf("Resolve(%q) = %s %v, want %s", name, got.ID, ok, want)
		}
	}
	// Built-in centroids fall inside their oblast's shape (Kyiv and
	// Sevastopol have none in the OSM file).
	for _, u := range g.Units() {
		if u.Country != "UA" || u.ID == "UA-30" || u.ID == "UA-40" {
			continue
		}
		if p, ok := g.PointIn(u.Lat, u.Lon); !ok || p.ID != u.ID {
			t.Errorf("centroid of %s (%v,%v) is in %q", u.ID, u.Lat, u.Lon, p.ID)
		}
	}
	if _, ok := g.PointIn(52.52, 13.40); ok {
		t.Error("Berlin is in no oblast")
	}
	if _, err := g.Load(strings.NewReader(`{"features":[{"properties":{"iso3166-2":"XX-1"}}]}`), GeoJSON); err == nil {
		t.Error("unknown code accepted")
	}
	if _, err := g.Load(strings.NewReader(""), "kml"); err == nil {
		t.Error("unknown format accepted")
	}
}

func TestMissileAttackRegions(t *testing.T) {
	data := sharedData(t)
	rows := readCSV(t, filepath.Join(data, "missile-attacks-ukraine", "missile_attacks_daily.csv"))
	g := Builtin()
	item := regexp.MustCompile(`'([^']+)'`)
	seen := map[string]bool{}
	for _, r := range rows {
		for _, m := range item.FindAllStringSubmatch(r["affected region"], -1) {
			seen[m[1]] = true
		}
	}
	for name := range seen {
		if !strings.HasSuffix(name, " oblast") && name != "Kyiv" {
			continue // "Ukraine", "Kryvyi Rih": not admin-1 names
		}
		if _, ok := g.Resolve(name); !ok {
			t.Errorf("affected region %q does not resolve", name)
		}
	}
	if len(seen) < 20 {
		t.Errorf("only %d region names read", len(seen))
	}
}

func TestCentroidsNearPlaces(t *testing.T) {
	// Sanity: the centroid of a unit is within 400 km of its capital.
	g := Builtin()
	for id, capital := range map[string][2]float64{"UA-63": {49.99, 36.23}, "RU-BEL": {50.60, 36.59}, "RU-KDA": {45.04, 38.98}, "UA-43": {44.95, 34.10}} {
		u, _ := g.ByID(id)
		if d := km(u.Lat, u.Lon, capital[0], capital[1]); d > 400 {
			t.Errorf("%s centroid is %.0f km from its capital", id, d)
		}
	}
}

func km(lat1, lon1, lat2, lon2 float64) float64 {
	const r = 6371
	p1, p2 := lat1*math.Pi/180, lat2*math.Pi/180
	dp, dl := p2-p1, (lon2-lon1)*math.Pi/180
	a := math.Sin(dp/2)*math.Sin(dp/2) + math.Cos(p1)*math.Cos(p2)*math.Sin(dl/2)*math.Sin(dl/2)
	return 2 * r * math.Asin(math.Sqrt(a))
}

func TestResolveACLEDNoAlloc(t *testing.T) {
	g := Builtin()
	for _, name := range []string{"Donetsk", "Kyiv City", "Zaporizhia", "Kirovograd"} {
		if n := testing.AllocsPerRun(100, func() { _, _ = g.Resolve(name) }); n != 0 {
			t.Errorf("Resolve(%q) allocates %v times", name, n)
		}
	}
}

func BenchmarkResolveACLED(b *testing.B) {
	g := Builtin()
	names := []string{"Donetsk", "Luhansk", "Kharkiv", "Kyiv", "Kyiv City", "Zaporizhia", "Odesa", "Kirovograd"}
	for b.Loop() {
		for _, n := range names {
			_, _ = g.ResolveACLED(n)
		}
	}
}

func BenchmarkResolveInText(b *testing.B) {
	g := Builtin()
	text := "⚡️ Сегодня ночью пресечена попытка киевского режима осуществить террористическую атаку беспилотными летательными аппаратами по объектам на территории Брянской и Курской областей. Дежурными средствами ПВО уничтожены над территорией Белгородской области."
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		_ = g.ResolveInText(text)
	}
}
