#!/usr/bin/env bash
# Rebuilds the dashboard's bundle from web/package-lock.json and fails if it
# differs from the committed one in internal/web/static/dist: what the
# binary embeds is what the lockfile and web/src build.
set -euo pipefail

cd "$(dirname "$0")/.."

die() { printf 'web-check.sh: %s\n' "$*" >&2; exit 1; }

command -v npm >/dev/null || die "npm is not installed (apt-get install nodejs npm)"

dist=internal/web/static/dist
axe=internal/web/testdata/axe.js # the browser tests' accessibility engine, built the same way
(cd web && npm ci --no-audit --no-fund --loglevel=error && npm run --silent build)
if ! git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
	echo "web-check.sh: not a git work tree: built, not compared"
	exit 0
fi
changed=$(git status --porcelain --untracked-files=all -- "$dist" "$axe")
if [[ -n $changed ]]; then
	git --no-pager diff --stat -- "$dist" "$axe" >&2 || true
	die "the bundle in $dist differs from what web/ builds:
$changed
  run 'cd web && npm ci && npm run build' and commit $dist and $axe"
fi
echo "web-check.sh: the committed bundle is what web/ builds"
