package server

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"io"
	"io/fs"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"testing"

	truce "github.com/truce-monitor/truce"
	"github.com/truce-monitor/truce/internal/app"
	"github.com/truce-monitor/truce/internal/scenariotest"
	"github.com/truce-monitor/truce/internal/store/backend"
	"github.com/truce-monitor/truce/internal/testdb"
)

// scenario starts a server on the bundled scenario (the demo's agreements
// and evidence, evaluated, incidents built) on a new database of dsn.
func scenario(t *testing.T, dsn string) *client {
	t.Helper()
	ctx := t.Context()
	st, err := backend.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	scenariotest.Load(t, app.New(st, app.Options{}), scenariotest.Events, scenariotest.Claims)
	srv, err := New(ctx, Config{Store: st, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv.Handler())
	t.Cleanup(hs.Close)
	return &client{t: t, base: hs.URL}
}

type findingPage struct {
	Findings []struct {
		Verdict string
		Stored  struct {
			ID     int64
			Status string
		}
	}
	Next string
}

// The findings list a page at a time: every finding once, in order,
// whatever the page size; filters and cursors checked like the CLI's.
func TestFindingsPaged(t *testing.T) {
	testdb.Both(t, func(t *testing.T, dsn string) {
		c := scenario(t, dsn)
		var all findingPage
		c.do("GET", "/api/v1/findings?limit=1000", nil, 200, &all)
		if len(all.Findings) < 20 || all.Next != "" {
			t.Fatalf("all findings: %d, next %q", len(all.Findings), all.Next)
		}
		var got []int64
		after := ""
		for pages := 0; ; pages++ {
			var p findingPage
			c.do("GET", "/api/v1/findings?limit=7&after="+after, nil, 200, &p)
			for _, f := range p.Findings {
				got = append(got, f.Stored.ID)
			}
			if p.Next == "" {
				break
			}
			if len(p.Findings) != 7 || pages > 100 {
				t.Fatalf("page %d: %d findings, next %q", pages, len(p.Findings), p.Next)
			}
			after = p.Next
		}
		if len(got) != len(all.Findings) {
			t.Fatalf("pages gave %d findings, the whole list %d", len(got), len(all.Findings))
		}
		for i, f := range all.Findings {
			if got[i] != f.Stored.ID {
				t.Fatalf("finding %d: paged %d, whole %d", i, got[i], f.Stored.ID)
			}
		}

		var cand findingPage
		c.do("GET", "/api/v1/findings?agreement=energy-moratorium-2025&verdict=CANDIDATE,ambiguous&reading=ru&limit=1000", nil, 200, &cand)
		for _, f := range cand.Findings {
			if f.Verdict != "candidate" && f.Verdict != "ambiguous" {
				t.Errorf("verdict filter let %s through", f.Verdict)
			}
		}
		var e apiError
		for path, want := range map[string]string{
			"/api/v1/findings?agreement=nope":        "unknown agreement",
			"/api/v1/findings?verdict=guilty":        `unknown verdict "guilty"`,
			"/api/v1/findings?verdit=candidate":      `unknown query parameter "verdit"`,
			"/api/v1/findings?limit=x":               "want a whole number",
			"/api/v1/findings?reading=UA&reading=RU": "want one value",
			"/api/v1/findings?limit=5000":            "1 to 1000",
			"/api/v1/findings?after=bogus":           "is not a cursor",
			"/api/v1/findings?needs_review=yes":      "true or false",
		} {
			status := 400
			if strings.Contains(path, "nope") {
				status = 404
			}
			c.do("GET", path, nil, status, &e)
			if !strings.Contains(e.Error.Message, want) {
				t.Errorf("%s: %q lacks %q", path, e.Error.Message, want)
			}
		}
	})
}

// A review step through the API: If-Match carries the revision seen (the
// review page's ETag), a stale one is 409 naming who moved it, the rules
// answer 403, and a viewer sees published subjects only.
func TestReviewOverAPI(t *testing.T) {
	testdb.Both(t, func(t *testing.T, dsn string) {
		c := scenario(t, dsn)
		var added struct{ Token struct{ Token string } }
		c.do("POST", "/api/v1/users", map[string]string{"name": "ada", "role": "admin"}, 201, &added)
		ada := c.as(added.Token.Token)
		ada.do("POST", "/api/v1/users", map[string]string{"name": "mo", "role": "monitor"}, 201, &added)
		mo := c.as(added.Token.Token)
		ada.do("POST", "/api/v1/users", map[string]string{"name": "vi", "role": "viewer"}, 201, &added)
		vi := c.as(added.Token.Token)

		var page findingPage
		ada.do("GET", "/api/v1/findings?verdict=candidate&limit=1", nil, 200, &page)
		subj := "/api/v1/review/finding/" + strconv.FormatInt(page.Findings[0].Stored.ID, 10)
		var rp struct {
			Status   string
			Revision int
			Next     []string
		}
		h := mo.do("GET", subj, nil, 200, &rp)
		if h.Get("ETag") != `"0"` || rp.Status != "alleged" {
			t.Fatalf("review page: ETag %s, %+v", h.Get("ETag"), rp)
		}
		// The viewer: not published yet, so not found; the queue leaves it out.
		vi.do("GET", subj, nil, 404, nil)
		var queue struct {
			Items         []struct{ Subject string }
			PublishedOnly bool `json:"published_only"`
		}
		vi.do("GET", "/api/v1/review", nil, 200, &queue)
		if len(queue.Items) != 0 || !queue.PublishedOnly {
			t.Errorf("viewer's queue: %+v", queue)
		}
		vi.do("GET", "/api/v1/incidents", nil, 403, nil)

		step := map[string]string{"to": "corroborated", "reason": "two sources"}
		vi.do("POST", subj+"/transitions", step, 403, nil)
		c.do("POST", subj+"/transitions", step, 401, nil)
		var e apiError
		mo.do("POST", subj+"/transitions", step, 400, &e) // neither If-Match nor from
		if !strings.Contains(e.Error.Message, "say what you decided on") {
			t.Errorf("unseen step: %+v", e)
		}
		mo.doWith("POST", subj+"/transitions", step, map[string]string{"If-Match": `"0"`}, 200, nil)
		mo.doWith("POST", subj+"/transitions", map[string]string{"to": "refuted", "reason": "r"}, map[string]string{"If-Match": `"0"`}, 409, &e)
		if e.Error.Kind != "conflict" || !strings.Contains(e.Error.Message, "mo") {
			t.Errorf("stale step: %+v", e)
		}
		// Confirming needs a second reviewer: the rules answer 403.
		mo.doWith("POST", subj+"/transitions", map[string]string{"to": "confirmed", "reason": "r"}, map[string]string{"If-Match": `"1"`}, 403, &e)
		if !strings.Contains(e.Error.Message, "second reviewer") {
			t.Errorf("self-confirmation: %+v", e)
		}
		ada.do("POST", subj+"/transitions", map[string]any{"to": "confirmed", "reason": "r", "from": "corroborated", "accept_release": true}, 200, nil)
		// Published now: the viewer sees it.
		vi.do("GET", subj, nil, 200, &rp)
		if rp.Status != "confirmed" {
			t.Errorf("after confirmation: %+v", rp)
		}
		var vp findingPage
		vi.do("GET", "/api/v1/findings?limit=1000", nil, 200, &vp)
		if len(vp.Findings) != 1 || vp.Findings[0].Stored.Status != "confirmed" {
			t.Errorf("viewer's findings: %+v", vp.Findings)
		}
	})
}

// Agreement files over the API: lint names every problem with its line,
// import is idempotent, other content under a stored version is 409; the
// audit log's head and check are there for insiders.
func TestAgreementsAndAuditOverAPI(t *testing.T) {
	testdb.Both(t, func(t *testing.T, dsn string) {
		c := scenario(t, dsn)
		src, err := fs.ReadFile(truce.Examples, "examples/agreements/energy-moratorium-2025.yaml")
		if err != nil {
			t.Fatal(err)
		}
		var lint struct {
			Valid   bool
			ID      string
			Version int
		}
		c.do("POST", "/api/v1/agreements/lint", map[string]string{"name": "m.yaml", "yaml": string(src)}, 200, &lint)
		if !lint.Valid || lint.ID != "energy-moratorium-2025" {
			t.Errorf("lint: %+v", lint)
		}
		var bad struct {
			Error struct {
				Kind     string
				Problems []struct {
					File         string
					Line, Column int
					Message      string
				}
			}
		}
		c.do("POST", "/api/v1/agreements/lint", map[string]string{"name": "bad.yaml", "yaml": "id: x\nversion: one\nunknown_key: 1\n"}, 400, &bad)
		if bad.Error.Kind != "invalid" || len(bad.Error.Problems) == 0 || bad.Error.Problems[0].File != "bad.yaml" || bad.Error.Problems[0].Line == 0 {
			t.Errorf("an invalid file: %+v", bad)
		}
		var imp struct {
			ID      string
			Created bool
		}
		c.do("POST", "/api/v1/agreements", map[string]string{"name": "m.yaml", "yaml": string(src)}, 200, &imp)
		if imp.Created {
			t.Errorf("importing the stored file again created a version: %+v", imp)
		}
		changed := strings.Replace(string(src), "title:", "title: Changed", 1)
		c.do("POST", "/api/v1/agreements", map[string]string{"name": "m.yaml", "yaml": changed}, 409, nil)

		var head struct {
			Seq  int64
			Hash string
		}
		c.do("GET", "/api/v1/audit/head", nil, 200, &head)
		var rep struct {
			Checked int64
			Head    struct{ Seq int64 }
			Problem *struct{}
			State   *struct{}
		}
		c.do("GET", "/api/v1/audit/verify?state=true", nil, 200, &rep)
		if head.Seq == 0 || rep.Checked != head.Seq || rep.Head.Seq != head.Seq || rep.Problem != nil || rep.State == nil {
			t.Errorf("audit: head %+v, report %+v", head, rep)
		}
	})
}

// Evidence over the API: a multipart upload with an item and a file, the
// file back byte for byte as an attachment, and the checks the command
// line makes (an item that says nothing, an unknown part).
func TestEvidenceOverAPI(t *testing.T) {
	testdb.Both(t, func(t *testing.T, dsn string) {
		c := scenario(t, dsn)
		subj := "/api/v1/review/finding/1/evidence"
		upload := func(item string, file []byte, status int, out any) {
			t.Helper()
			var body bytes.Buffer
			mw := multipart.NewWriter(&body)
			if item != "" {
				mw.WriteField("item", item)
			}
			if file != nil {
				fw, _ := mw.CreateFormFile("file", "photo.jpg")
				fw.Write(file)
			}
			mw.Close()
			c.doRaw("POST", subj, mw.FormDataContentType(), body.Bytes(), status, out)
		}
		photo := append([]byte("\xff\xd8\xff\xe0 not really a jpeg "), bytes.Repeat([]byte{7}, 5000)...)
		var item struct {
			ID       int64
			SHA256   string `json:"sha256"`
			Size     int64
			FileName string `json:"file_name"`
			AddedBy  string `json:"added_by"`
		}
		upload(`{"notes":"geolocated from the skyline","lat":48.85,"lon":37.6,"geo_method":"skyline"}`, photo, 201, &item)
		if item.Size != int64(len(photo)) || item.FileName != "photo.jpg" || item.AddedBy != "local" || len(item.SHA256) != 64 {
			t.Errorf("uploaded item: %+v", item)
		}
		var list struct{ Evidence []struct{ ID int64 } }
		c.do("GET", subj, nil, 200, &list)
		if len(list.Evidence) != 1 || list.Evidence[0].ID != item.ID {
			t.Errorf("evidence list: %+v", list)
		}
		req, _ := http.NewRequest("GET", c.base+subj+"/"+item.SHA256, nil)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		got, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		checkResponse(t, req, resp.StatusCode, resp.Header, got)
		if resp.StatusCode != 200 || !bytes.Equal(got, photo) || !strings.HasPrefix(resp.Header.Get("Content-Disposition"), "attachment") {
			t.Errorf("download: %d, %d bytes, %q", resp.StatusCode, len(got), resp.Header.Get("Content-Disposition"))
		}
		c.do("GET", subj+"/"+strings.Repeat("0", 64), nil, 404, nil)
		c.do("GET", subj+"/nothex", nil, 400, nil)

		var e apiError
		upload(`{}`, nil, 400, &e)
		upload("", photo, 400, &e)
		if !strings.Contains(e.Error.Message, "no item part") {
			t.Errorf("no item: %+v", e)
		}
		upload(`{"notes":"x","sha256":"forged"}`, nil, 400, nil)
		c.doRaw("POST", subj, "application/json", []byte(`{"notes":"x"}`), 400, nil)
	})
}

// The records list: every filter narrows, pages cover the list once, and a
// filter value that is not one is an error.
func TestRecordsOverAPI(t *testing.T) {
	testdb.Both(t, func(t *testing.T, dsn string) {
		c := scenario(t, dsn)
		type page struct {
			Records []struct {
				Ref     string
				Kind    string
				Targets []string
				Parties []string
				Text    string
				Places  []struct{ Country string }
			}
			Next string
		}
		var all page
		c.do("GET", "/api/v1/records?record=event&limit=1000", nil, 200, &all)
		if len(all.Records) != 20 {
			t.Fatalf("events: %d, want the scenario's 20", len(all.Records))
		}
		var got []string
		after := ""
		for range 10 {
			var p page
			c.do("GET", "/api/v1/records?record=event&limit=6&after="+after, nil, 200, &p)
			for _, r := range p.Records {
				got = append(got, r.Ref)
			}
			if after = p.Next; after == "" {
				break
			}
		}
		if len(got) != 20 || got[0] != all.Records[0].Ref || got[19] != all.Records[19].Ref {
			t.Errorf("pages: %v", got)
		}
		var p page
		c.do("GET", "/api/v1/records?record=event&kind=strike&category=energy&country=UA&limit=1000", nil, 200, &p)
		if len(p.Records) == 0 {
			t.Fatal("no Ukrainian energy strikes in the scenario")
		}
		for _, r := range p.Records {
			if !strings.HasPrefix(r.Kind, "strike") || r.Places[0].Country != "UA" || !slices.ContainsFunc(r.Targets, func(s string) bool { return strings.HasPrefix(s, "energy") }) {
				t.Errorf("filters let %+v through", r)
			}
		}
		c.do("GET", "/api/v1/records?record=claim&q=SUDZHA&party=ua&from=2025-03-18&to=2025-04-01T00:00:00Z&limit=1000", nil, 200, &p)
		if len(p.Records) == 0 {
			t.Fatal("no claim on Sudzha")
		}
		for _, r := range p.Records {
			if !strings.Contains(strings.ToLower(r.Text), "sudzha") || !slices.Contains(r.Parties, "UA") {
				t.Errorf("text or party filter let %+v through", r)
			}
		}
		for path, want := range map[string]string{
			"/api/v1/records": `unknown record ""`,
			"/api/v1/records?record=event&from=yesterday":                "a date (2025-03-18)",
			"/api/v1/records?record=event&from=2025-04-01&to=2025-03-01": "is not before",
		} {
			var e apiError
			c.do("GET", path, nil, 400, &e)
			if !strings.Contains(e.Error.Message, want) {
				t.Errorf("%s: %q lacks %q", path, e.Error.Message, want)
			}
		}
	})
}

// The incidents list a page at a time covers the list once, in order.
func TestIncidentsPaged(t *testing.T) {
	c := scenario(t, testdb.SQLite(t))
	type list struct {
		Incidents []struct{ ID int64 }
		Next      string
	}
	var all list
	c.do("GET", "/api/v1/incidents?limit=1000", nil, 200, &all)
	if len(all.Incidents) < 5 || all.Next != "" {
		t.Fatalf("incidents: %d, next %q", len(all.Incidents), all.Next)
	}
	var got []int64
	after := ""
	for range 100 {
		var p list
		c.do("GET", "/api/v1/incidents?limit=2&after="+after, nil, 200, &p)
		for _, inc := range p.Incidents {
			got = append(got, inc.ID)
		}
		if after = p.Next; after == "" {
			break
		}
	}
	if len(got) != len(all.Incidents) {
		t.Fatalf("pages gave %d incidents, the list %d", len(got), len(all.Incidents))
	}
	for i := range got {
		if got[i] != all.Incidents[i].ID {
			t.Fatalf("incident %d: paged %d, listed %d", i, got[i], all.Incidents[i].ID)
		}
	}
	c.do("GET", "/api/v1/incidents?grade=excellent", nil, 400, nil)
	c.do("GET", "/api/v1/incidents?after=x", nil, 400, nil)
}

// The compliance report over the API is the use case's, with its errors.
func TestReportOverAPI(t *testing.T) {
	c := scenario(t, testdb.SQLite(t))
	var rep struct {
		Agreement string
		Readings  []struct {
			Reading string
			Parties []struct{ Party string }
		}
		Annex []struct{ Finding string }
	}
	c.do("GET", "/api/v1/agreements/energy-moratorium-2025/report?reading=UA&from=2025-03-25&to=2025-04-01", nil, 200, &rep)
	if rep.Agreement != "energy-moratorium-2025" || len(rep.Readings) != 1 || rep.Readings[0].Reading != "UA" || len(rep.Annex) == 0 {
		t.Errorf("report %+v", rep)
	}
	var e apiError
	c.do("GET", "/api/v1/agreements/no-such/report", nil, 404, &e)
	c.do("GET", "/api/v1/agreements/energy-moratorium-2025/report?reading=XX", nil, 400, &e)
	c.do("GET", "/api/v1/agreements/energy-moratorium-2025/report?from=yesterday", nil, 400, &e)
}

// An export is every finding the filters select, as a file, with the same
// errors as the list.
func TestExportOverAPI(t *testing.T) {
	c := scenario(t, testdb.SQLite(t))
	var page findingPage
	c.do("GET", "/api/v1/findings?agreement=energy-moratorium-2025&reading=UA&limit=1000", nil, 200, &page)
	get := func(query string) (*http.Response, string) { return c.raw("/api/v1/findings/export?" + query) }
	resp, body := get("agreement=energy-moratorium-2025&reading=UA")
	rows, err := csv.NewReader(strings.NewReader(body)).ReadAll()
	if err != nil || resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/csv") {
		t.Fatalf("csv: %d %s %v", resp.StatusCode, resp.Header.Get("Content-Type"), err)
	}
	if len(rows)-1 != len(page.Findings) || len(page.Findings) == 0 {
		t.Errorf("csv rows %d, the list %d", len(rows)-1, len(page.Findings))
	}
	if !strings.Contains(resp.Header.Get("Content-Disposition"), "findings.csv") {
		t.Errorf("Content-Disposition %q", resp.Header.Get("Content-Disposition"))
	}
	resp, body = get("agreement=energy-moratorium-2025&reading=UA&format=json")
	if n := strings.Count(body, "\n"); resp.StatusCode != 200 || n != len(page.Findings) {
		t.Errorf("json lines: %d, %d lines", resp.StatusCode, n)
	}
	resp, body = get("agreement=energy-moratorium-2025&reading=UA&format=geojson")
	var fc struct{ Features []json.RawMessage }
	if err := json.Unmarshal([]byte(body), &fc); err != nil || resp.StatusCode != 200 || len(fc.Features) != len(page.Findings) {
		t.Errorf("geojson: %d, %d features, %v", resp.StatusCode, len(fc.Features), err)
	}
	for query, status := range map[string]int{"format=xlsx": 400, "agreement=no-such": 404, "verdict=guilty": 400, "limit=5": 400} {
		if resp, _ := get(query); resp.StatusCode != status {
			t.Errorf("%s: %d, want %d", query, resp.StatusCode, status)
		}
	}
}

// An incidents export is every incident the list's filters select, in
// each format, with the list's errors.
func TestIncidentExportOverAPI(t *testing.T) {
	c := scenario(t, testdb.SQLite(t))
	var list struct{ Incidents []struct{ ID int64 } }
	c.do("GET", "/api/v1/incidents?agreement=energy-moratorium-2025&limit=1000", nil, 200, &list)
	if len(list.Incidents) == 0 {
		t.Fatal("the scenario has no incidents of the moratorium")
	}
	get := func(query string) (*http.Response, string) { return c.raw("/api/v1/incidents/export?" + query) }
	resp, body := get("agreement=energy-moratorium-2025")
	rows, err := csv.NewReader(strings.NewReader(body)).ReadAll()
	if err != nil || resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/csv") {
		t.Fatalf("csv: %d %s %v", resp.StatusCode, resp.Header.Get("Content-Type"), err)
	}
	if len(rows)-1 != len(list.Incidents) || rows[0][0] != "incident_id" {
		t.Errorf("csv: %d rows under %v, the list has %d", len(rows)-1, rows[0], len(list.Incidents))
	}
	for i, row := range rows[1:] {
		if row[0] != strconv.FormatInt(list.Incidents[i].ID, 10) || row[len(row)-1] == "" {
			t.Errorf("csv row %d %v: want incident %d with its summary", i, row, list.Incidents[i].ID)
		}
	}
	if !strings.Contains(resp.Header.Get("Content-Disposition"), "incidents.csv") {
		t.Errorf("Content-Disposition %q", resp.Header.Get("Content-Disposition"))
	}
	resp, body = get("agreement=energy-moratorium-2025&format=json")
	if n := strings.Count(body, "\n"); resp.StatusCode != 200 || n != len(list.Incidents) {
		t.Errorf("json lines: %d, %d lines", resp.StatusCode, n)
	}
	resp, body = get("agreement=energy-moratorium-2025&format=geojson")
	var fc struct {
		Features []struct {
			Geometry   *struct{ Coordinates []float64 }
			Properties struct {
				ID             int64
				GeometrySource string `json:"geometry_source"`
			}
		}
	}
	if err := json.Unmarshal([]byte(body), &fc); err != nil || resp.StatusCode != 200 || len(fc.Features) != len(list.Incidents) {
		t.Fatalf("geojson: %d, %d features, %v", resp.StatusCode, len(fc.Features), err)
	}
	for _, f := range fc.Features {
		if (f.Geometry == nil) != (f.Properties.GeometrySource == "") || (f.Geometry != nil && len(f.Geometry.Coordinates) != 2) {
			t.Errorf("incident %d: geometry %v from %q", f.Properties.ID, f.Geometry, f.Properties.GeometrySource)
		}
	}
	for query, status := range map[string]int{"format=xlsx": 400, "agreement=no-such": 404, "grade=guilty": 400, "limit=5": 400} {
		if resp, _ := get(query); resp.StatusCode != status {
			t.Errorf("%s: %d, want %d", query, resp.StatusCode, status)
		}
	}
}

// The reports over the API in each form 'truce report' writes, with the
// same errors, an unknown form refused before the report is made.
func TestReportFormsOverAPI(t *testing.T) {
	c := scenario(t, testdb.SQLite(t))
	get := c.raw
	const rep = "/api/v1/agreements/energy-moratorium-2025/report"
	for format, want := range map[string]string{"md": "# Compliance report", "html": "<svg"} {
		resp, body := get(rep + "?format=" + format)
		if resp.StatusCode != 200 || !strings.Contains(body, want) || !strings.HasPrefix(resp.Header.Get("Content-Type"), reportTypes[format][:9]) {
			t.Errorf("format=%s: %d %s %.80q", format, resp.StatusCode, resp.Header.Get("Content-Type"), body)
		}
	}
	if resp, _ := get(rep + "?format=html"); !strings.Contains(resp.Header.Get("Content-Security-Policy"), "default-src 'none'") {
		t.Errorf("an HTML report without a policy: %v", resp.Header)
	}
	if resp, body := get(rep + "?format=docx"); resp.StatusCode != 400 || !strings.Contains(body, "md, html, pdf, json") {
		t.Errorf("format=docx: %d %s", resp.StatusCode, body)
	}
	if resp, body := get("/api/v1/agreements/energy-moratorium-2025/daily?date=2025-03-27&format=md"); resp.StatusCode != 200 || !strings.HasPrefix(body, "# ") {
		t.Errorf("daily md: %d %.80q", resp.StatusCode, body)
	}
	if resp, _ := get("/api/v1/agreements/energy-moratorium-2025/daily?date=2025-03-27&format=pdf"); resp.StatusCode != 400 {
		t.Errorf("daily pdf: %d, want 400 (no such form)", resp.StatusCode)
	}
	if resp, _ := get("/api/v1/agreements/no-such/report?format=md"); resp.StatusCode != 404 {
		t.Errorf("no such agreement: %d", resp.StatusCode)
	}
}

// The daily report over the API is the use case's, with its errors.
func TestDailyReportOverAPI(t *testing.T) {
	c := scenario(t, testdb.SQLite(t))
	var d struct {
		Agreement string
		Areas     []struct {
			Area    string
			Entries []struct{ Record, Word string }
		}
	}
	c.do("GET", "/api/v1/agreements/energy-moratorium-2025/daily?date=2025-03-27", nil, 200, &d)
	if d.Agreement != "energy-moratorium-2025" || len(d.Areas) == 0 || len(d.Areas[0].Entries) == 0 || d.Areas[0].Entries[0].Word == "" {
		t.Errorf("daily report %+v", d)
	}
	var e apiError
	c.do("GET", "/api/v1/agreements/energy-moratorium-2025/daily", nil, 400, &e)
	c.do("GET", "/api/v1/agreements/energy-moratorium-2025/daily?date=27.03.2025", nil, 400, &e)
	c.do("GET", "/api/v1/agreements/energy-moratorium-2025/daily?date=2025-03-27&at=25:99", nil, 400, &e)
	c.do("GET", "/api/v1/agreements/no-such/daily?date=2025-03-27", nil, 404, &e)
}
