package server

import (
	"github.com/truce-monitor/truce/internal/app"
	"github.com/truce-monitor/truce/internal/auth"
	"github.com/truce-monitor/truce/internal/vocab"
)

// The lists and small answers the routes wrap the app's views in, as
// named types: the OpenAPI document is generated from them.

type whoamiView struct {
	Name  string     `json:"name"`
	Role  vocab.Role `json:"role"`
	Local bool       `json:"local"`
}

type agreementsView struct {
	Agreements []app.AgreementSummary `json:"agreements"`
}

type versionsView struct {
	Versions []app.AgreementSummary `json:"versions"`
}

type importsView struct {
	Imports []app.ImportBatch `json:"imports"`
}

type auditView struct {
	Entries []app.AuditEntry `json:"entries"`
}

type evidenceView struct {
	Evidence []app.Evidence `json:"evidence"`
}

type usersView struct {
	Users []auth.User `json:"users"`
}

type addedUserView struct {
	User  auth.User   `json:"user"`
	Token issuedToken `json:"token"`
}

type userStateView struct {
	Name     string `json:"name"`
	Disabled bool   `json:"disabled"`
}

type tokensView struct {
	Tokens []auth.APIToken `json:"tokens"`
}
