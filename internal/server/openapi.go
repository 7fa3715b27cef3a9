package server

import (
	"encoding"
	"encoding/json"
	"net/http"
	"reflect"
	"regexp"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3gen"
)

// The OpenAPI 3.1 document is generated from the route table and the Go
// types each route decodes and encodes, never written by hand: a field
// added to a view is in the document at once. internal/server/testdata/
// openapi.json is its golden copy, and the tests validate every response
// they receive against it.

var pathParam = regexp.MustCompile(`\{(\w+)\}`)

// OpenAPI returns the API's document.
func OpenAPI() (*openapi3.T, error) {
	doc := &openapi3.T{
		OpenAPI: "3.1.0",
		Info: &openapi3.Info{
			Title:       "truce API",
			Version:     "1",
			Description: "The team server of truce, a ceasefire and peace-agreement compliance monitor: the same use cases as the command line. See docs/server.md.",
		},
		Paths: openapi3.NewPaths(),
		Components: &openapi3.Components{
			SecuritySchemes: openapi3.SecuritySchemes{
				"token": &openapi3.SecuritySchemeRef{Value: openapi3.NewJWTSecurityScheme().WithBearerFormat("truce API token")},
			},
		},
	}
	errSchema, err := schemaOf(errorBody{})
	if err != nil {
		return nil, err
	}
	for _, rt := range (&Server{}).routeTable() {
		op := openapi3.NewOperation()
		op.Summary = rt.Doc.Summary
		op.OperationID = operationID(rt)
		if !rt.Access.Public {
			op.Security = &openapi3.SecurityRequirements{{"token": {}}}
		}
		for _, m := range pathParam.FindAllStringSubmatch(rt.Pattern, -1) {
			op.AddParameter(openapi3.NewPathParameter(m[1]).WithSchema(openapi3.NewStringSchema()))
		}
		if rt.Doc.Query != nil {
			for _, f := range reflect.VisibleFields(reflect.TypeOf(rt.Doc.Query)) {
				name := f.Tag.Get("query")
				if name == "" || f.Anonymous {
					continue
				}
				p := openapi3.NewQueryParameter(name).WithDescription(f.Tag.Get("doc"))
				switch f.Type.Kind() {
				case reflect.Int:
					p.Schema = openapi3.NewIntegerSchema().NewRef()
				case reflect.Bool:
					p.Schema = openapi3.NewBoolSchema().NewRef()
				case reflect.Slice:
					p.Schema = openapi3.NewArraySchema().WithItems(openapi3.NewStringSchema()).NewRef()
				default:
					p.Schema = openapi3.NewStringSchema().NewRef()
				}
				op.AddParameter(p)
			}
		}
		if rt.Doc.Body != nil {
			s, err := schemaOf(rt.Doc.Body)
			if err != nil {
				return nil, err
			}
			op.RequestBody = &openapi3.RequestBodyRef{Value: openapi3.NewRequestBody().WithRequired(true).WithJSONSchemaRef(s)}
		}
		if rt.Doc.Upload != nil {
			item, err := schemaOf(rt.Doc.Upload)
			if err != nil {
				return nil, err
			}
			form := openapi3.NewObjectSchema().
				WithPropertyRef("item", item).
				WithProperty("file", openapi3.NewStringSchema().WithFormat("binary"))
			form.Required = []string{"item"}
			op.RequestBody = &openapi3.RequestBodyRef{Value: openapi3.NewRequestBody().WithRequired(true).
				WithContent(openapi3.NewContentWithFormDataSchema(form))}
		}
		status := rt.Doc.Status
		if status == 0 {
			status = http.StatusOK
		}
		switch {
		case rt.Doc.Binary:
			op.AddResponse(status, openapi3.NewResponse().WithDescription("the file").
				WithContent(openapi3.NewContentWithSchema(openapi3.NewStringSchema().WithFormat("binary"), []string{"application/octet-stream"})))
		case len(rt.Doc.Produces) > 0:
			content := openapi3.Content{}
			for _, mt := range rt.Doc.Produces {
				schema := openapi3.NewStringSchema() // text: CSV, JSON Lines
				if strings.HasSuffix(mt, "+json") {
					schema = openapi3.NewObjectSchema() // one JSON document: GeoJSON
				}
				content[mt] = openapi3.NewMediaType().WithSchema(schema)
			}
			op.AddResponse(status, openapi3.NewResponse().WithDescription("the file").WithContent(content))
		case rt.Doc.Stream:
			op.AddResponse(status, openapi3.NewResponse().WithDescription("server-sent events").
				WithContent(openapi3.NewContentWithSchema(openapi3.NewStringSchema(), []string{"text/event-stream"})))
		case rt.Doc.Resp == nil:
			status = http.StatusNoContent
			op.AddResponse(status, openapi3.NewResponse().WithDescription("done"))
		default:
			s, err := schemaOf(rt.Doc.Resp)
			if err != nil {
				return nil, err
			}
			resp := openapi3.NewResponse().WithDescription(http.StatusText(status)).WithJSONSchemaRef(s)
			for _, mt := range rt.Doc.Also {
				schema := openapi3.NewStringSchema()
				if !strings.HasPrefix(mt, "text/") {
					schema = schema.WithFormat("binary")
				}
				resp.Content[mt] = openapi3.NewMediaType().WithSchema(schema)
			}
			op.AddResponse(status, resp)
		}
		op.Responses.Set("default", &openapi3.ResponseRef{Value: openapi3.NewResponse().
			WithDescription("an error: its kind (invalid 400, unauthenticated 401, denied 403, not found 404, conflict 409) and message").
			WithJSONSchemaRef(errSchema)})
		doc.AddOperation(rt.Pattern, rt.Method, op)
	}
	return doc, nil
}

// operationID names a route's operation after its method and path.
func operationID(rt route) string {
	var b strings.Builder
	b.WriteString(strings.ToLower(rt.Method))
	for _, part := range strings.Split(strings.TrimPrefix(rt.Pattern, "/api/v1/"), "/") {
		part = strings.Trim(part, "{}")
		if part == "" {
			continue
		}
		b.WriteString(strings.ToUpper(part[:1]) + part[1:])
	}
	return b.String()
}

var (
	textMarshaler = reflect.TypeFor[encoding.TextMarshaler]()
	rawJSON       = reflect.TypeFor[json.RawMessage]()
)

// schemaOf generates the JSON schema of v's type as encoding/json writes
// it: a TextMarshaler (a reference like "event/12") is a string, a
// json.RawMessage any JSON, and a slice, map or pointer may be null.
func schemaOf(v any) (*openapi3.SchemaRef, error) {
	return openapi3gen.NewSchemaRefForValue(v, nil, openapi3gen.SchemaCustomizer(
		func(_ string, t reflect.Type, tag reflect.StructTag, s *openapi3.Schema) error {
			switch {
			case t == rawJSON:
				*s = openapi3.Schema{}
				return nil
			case t.Implements(textMarshaler) && t.Kind() == reflect.Struct:
				*s = *openapi3.NewStringSchema()
			}
			// OpenAPI 3.1 spells "may be null" as a type list, not as
			// 3.0's nullable.
			if t.Kind() == reflect.Slice || t.Kind() == reflect.Map || t.Kind() == reflect.Pointer || s.Nullable {
				s.Nullable = false
				if s.Type != nil && !s.Type.Includes("null") {
					types := append(*s.Type, "null")
					s.Type = &types
				}
			}
			if f, ok := tag.Lookup("json"); ok && strings.Contains(f, ",string") {
				*s = *openapi3.NewStringSchema()
			}
			return nil
		}))
}

// openapiJSON serves the document, generated once per process.
func (s *Server) openapiJSON(w http.ResponseWriter, _ *http.Request) {
	s.specOnce.Do(func() {
		doc, err := OpenAPI()
		if err == nil {
			s.spec, err = json.MarshalIndent(doc, "", "  ")
		}
		if err != nil {
			s.log.Error("openapi document", "err", err)
		}
	})
	if s.spec == nil {
		http.Error(w, "the OpenAPI document could not be generated: see the server's log", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Write(s.spec)
}
