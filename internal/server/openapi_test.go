package server

import (
	"bytes"
	"encoding/json"
	"flag"
	"io"
	"net/http"
	"os"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"
)

var update = flag.Bool("update", false, "rewrite testdata/openapi.json from the code")

// The document in testdata is the generated one: a change to a route or a
// view shows in review as a change of the golden file.
func TestOpenAPIGolden(t *testing.T) {
	doc, err := OpenAPI()
	if err != nil {
		t.Fatal(err)
	}
	if err := doc.Validate(t.Context()); err != nil {
		t.Fatalf("the generated document is not valid OpenAPI: %v", err)
	}
	got, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	got = append(got, '\n')
	const golden = "testdata/openapi.json"
	if *update {
		if err := os.WriteFile(golden, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (go test ./internal/server -run OpenAPIGolden -update writes it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s is not what the code generates: run go test ./internal/server -run OpenAPIGolden -update and review the change", golden)
	}
	// The server serves the same document.
	c, _ := start(t, t.TempDir()+"/t.db")
	resp, err := http.Get(c.base + "/api/v1/openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	served, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !bytes.Equal(append(served, '\n'), want) {
		t.Error("/api/v1/openapi.json is not the golden document")
	}
}

// A job's event stream, the exports and the reports' files: the validator checks
// their status and content type.
func init() {
	for _, t := range []string{"text/event-stream", "text/csv", "application/x-ndjson", "text/markdown", "text/html", "application/pdf"} {
		openapi3filter.RegisterBodyDecoder(t, openapi3filter.FileBodyDecoder)
	}
}

var (
	specOnce   sync.Once
	specRouter routers.Router
	specErr    error
)

// checkResponse validates one response of the test suite against the
// document: its status is declared, and its body fits the schema.
func checkResponse(t *testing.T, req *http.Request, status int, header http.Header, body []byte) {
	t.Helper()
	if _, err := responseProblem(t, req, status, header, body); err != nil {
		t.Errorf("%s %s: the %d response does not fit the OpenAPI document: %v\n%.400s", req.Method, req.URL.Path, status, err, body)
	}
}

// responseProblem validates a response; routed says whether the document
// has its route at all (health and metrics are not API routes).
func responseProblem(t *testing.T, req *http.Request, status int, header http.Header, body []byte) (routed bool, err error) {
	specOnce.Do(func() {
		var doc *openapi3.T
		if doc, specErr = OpenAPI(); specErr == nil {
			specRouter, specErr = legacy.NewRouter(doc)
		}
	})
	if specErr != nil {
		t.Fatalf("openapi: %v", specErr)
	}
	route, params, err := specRouter.FindRoute(req)
	if err != nil {
		return false, nil
	}
	in := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route,
			Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc}},
		Status: status, Header: header, Body: io.NopCloser(bytes.NewReader(body)),
		Options: &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true},
	}
	return true, openapi3filter.ValidateResponse(t.Context(), in)
}

// The validation the suite relies on finds routes and catches a body that
// does not fit.
func TestResponseValidation(t *testing.T) {
	req, _ := http.NewRequest("GET", "http://127.0.0.1:1/api/v1/whoami", nil)
	h := http.Header{"Content-Type": {"application/json"}}
	if routed, err := responseProblem(t, req, 200, h, []byte(`{"name":"ada","role":"admin","local":false}`)); !routed || err != nil {
		t.Errorf("a good whoami: routed %v, %v", routed, err)
	}
	if _, err := responseProblem(t, req, 200, h, []byte(`{"name":7,"role":"admin","local":"no"}`)); err == nil {
		t.Error("a whoami with a number for a name passed")
	}
	req, _ = http.NewRequest("GET", "http://127.0.0.1:1/api/v1/findings?limit=3", nil)
	if _, err := responseProblem(t, req, 200, h, []byte(`{"findings":[{"verdict":1}]}`)); err == nil {
		t.Error("a finding with a number for a verdict passed")
	}
	if routed, _ := responseProblem(t, req, 200, h, []byte(`{"findings":[]}`)); !routed {
		t.Error("the findings route is not found in the document")
	}
}
