package server

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"

	"github.com/truce-monitor/truce/internal/app"
	"github.com/truce-monitor/truce/internal/review"
)

// evidenceRequest is the "item" part of an evidence upload: what the
// author says of the evidence. The store sets the rest (hash, size, who,
// when).
type evidenceRequest struct {
	URL            string   `json:"url,omitempty"`
	Lat            *float64 `json:"lat,omitempty"`
	Lon            *float64 `json:"lon,omitempty"`
	GeoMethod      string   `json:"geo_method,omitempty"`
	Chronolocation string   `json:"chronolocation,omitempty"`
	Notes          string   `json:"notes,omitempty"`
	Supersedes     int64    `json:"supersedes,omitempty"`
	MediaType      string   `json:"media_type,omitempty"`
}

// maxItemPart bounds the "item" part: notes, not files.
const maxItemPart = 64 << 10

// addEvidence: POST /api/v1/review/{kind}/{id}/evidence, as multipart
// form data: an "item" part (JSON, evidenceRequest) and an optional "file"
// part, the uploaded file (its name is kept). The file is read only once
// the caller is known to be permitted.
func (s *Server) addEvidence(w http.ResponseWriter, r *http.Request, ap *app.App) error {
	subj, err := subject(r)
	if err != nil {
		return err
	}
	mr, err := r.MultipartReader()
	if err != nil {
		return &app.Error{Kind: app.KindInvalid, Err: fmt.Errorf("evidence is sent as multipart/form-data with an item part and an optional file part: %w", err)}
	}
	var req evidenceRequest
	var file []byte
	var fileName string
	seenItem := false
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return &app.Error{Kind: app.KindInvalid, Err: fmt.Errorf("multipart body: %w", err)}
		}
		switch part.FormName() {
		case "item":
			dec := json.NewDecoder(io.LimitReader(part, maxItemPart))
			dec.DisallowUnknownFields()
			if err := dec.Decode(&req); err != nil {
				return &app.Error{Kind: app.KindInvalid, Err: fmt.Errorf("item part: %w", err)}
			}
			seenItem = true
		case "file":
			var buf bytes.Buffer
			n, err := io.Copy(&buf, io.LimitReader(part, app.MaxEvidenceFile+1))
			if err != nil {
				return err
			}
			if n > app.MaxEvidenceFile {
				return &app.Error{Kind: app.KindInvalid, Err: fmt.Errorf("the file is over the %d MiB truce stores: keep it elsewhere and cite its URL", app.MaxEvidenceFile>>20)}
			}
			file, fileName = buf.Bytes(), part.FileName()
		default:
			return &app.Error{Kind: app.KindInvalid, Err: fmt.Errorf("unknown part %q: send item and file", part.FormName())}
		}
	}
	if !seenItem {
		return &app.Error{Kind: app.KindInvalid, Err: errors.New("no item part: say what the evidence is")}
	}
	ne := app.NewEvidence{Item: review.EvidenceItem{
		Subject: subj, URL: req.URL, Lat: req.Lat, Lon: req.Lon, GeoMethod: req.GeoMethod,
		Chronolocation: req.Chronolocation, Notes: req.Notes, Supersedes: req.Supersedes,
		MediaType: req.MediaType, FileName: fileName,
	}}
	if file != nil {
		ne.File = func() ([]byte, error) { return file, nil }
	}
	item, err := ap.AddEvidence(r.Context(), ne)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, item)
	return nil
}

// evidenceFile: GET /api/v1/review/{kind}/{id}/evidence/{sha256}: an
// uploaded file, as an attachment: never rendered in the browser.
func (s *Server) evidenceFile(w http.ResponseWriter, r *http.Request, ap *app.App) error {
	subj, err := subject(r)
	if err != nil {
		return err
	}
	sum := r.PathValue("sha256")
	b, err := ap.EvidenceFile(r.Context(), subj, sum)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/octet-stream")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": sum}))
	w.Write(b)
	return nil
}
