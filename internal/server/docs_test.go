package server

import (
	"os"
	"strings"
	"testing"

	"github.com/truce-monitor/truce/internal/testdb"
)

// docs/server.md lists every route of the table, so the two cannot drift.
func TestRoutesDocumented(t *testing.T) {
	body, err := os.ReadFile("../../docs/server.md")
	if err != nil {
		t.Fatal(err)
	}
	_, srv := start(t, testdb.SQLite(t))
	for _, rt := range srv.routeTable() {
		if row := "`" + rt.Method + " " + rt.Pattern + "`"; !strings.Contains(string(body), row) {
			t.Errorf("docs/server.md does not list %s", row)
		}
	}
}
