package web

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"net/http"
	"path"
	"time"
)

// contentTypes are the types of the files static serves, by extension:
// fixed here, not read from the host's MIME tables.
var contentTypes = map[string]string{
	".css":  "text/css; charset=utf-8",
	".js":   "text/javascript; charset=utf-8",
	".png":  "image/png",
	".svg":  "image/svg+xml",
	".json": "application/json",
	".txt":  "text/plain; charset=utf-8",
}

// static serves the embedded files under static/. A file's URL carries
// its content's hash (?v=...), so it may be cached for a year: a new
// build changes the URL. Without the current hash it must be revalidated.
type static struct {
	files map[string]staticFile // by path under static/
}

type staticFile struct {
	body        []byte
	hash        string // the first 16 hex digits of the content's SHA-256
	contentType string
}

func newStatic(fsys fs.FS) (*static, error) {
	s := &static{files: map[string]staticFile{}}
	err := fs.WalkDir(fsys, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		ct, ok := contentTypes[path.Ext(p)]
		if !ok {
			return fmt.Errorf("web: %s: no content type for its extension", p)
		}
		b, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		s.files[p[len("static/"):]] = staticFile{body: b, hash: hex.EncodeToString(sum[:8]), contentType: ct}
		return nil
	})
	return s, err
}

// url is the address of the static file name (a path under static/),
// with its hash; an error for a file that is not there, so a template
// naming one fails to render (and the handler tests fail).
func (s *static) url(name string) (string, error) {
	f, ok := s.files[name]
	if !ok {
		return "", fmt.Errorf("web: no static file %q", name)
	}
	return "/static/" + name + "?v=" + f.hash, nil
}

func (s *static) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f, ok := s.files[r.URL.Path]
	if !ok {
		http.NotFound(w, r)
		return
	}
	h := w.Header()
	h.Set("Content-Type", f.contentType)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("ETag", `"`+f.hash+`"`)
	if r.URL.Query().Get("v") == f.hash {
		h.Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		h.Set("Cache-Control", "no-cache")
	}
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(f.body))
}
