// Bundles src/ into ../internal/web/static/dist, which is committed and
// embedded in the binary. The output must be the same on every run (no
// timestamps, no hashed names): CI rebuilds it and compares
// (scripts/web-check.sh).
import { rmSync } from "node:fs";
import * as esbuild from "esbuild";

const outdir = "../internal/web/static/dist";
rmSync(outdir, { recursive: true, force: true });
await esbuild.build({
  entryPoints: ["src/app.js", "src/map.js", "src/timeline.js", "src/job.js", "src/style.css"],
  bundle: true,
  minify: true,
  format: "iife",
  target: ["es2020"],
  outdir,
  assetNames: "assets/[name]",
  loader: { ".png": "file", ".svg": "file" },
  legalComments: "eof",
  charset: "utf8",
  logLevel: "info",
});

// axe-core for the browser tests' accessibility scan (internal/web,
// TestBrowserAccessibility): not embedded in the binary, but built from
// the lockfile like the rest and committed, so the tests need no npm.
await esbuild.build({
  entryPoints: ["src/axe-test.js"],
  bundle: true,
  minify: true,
  format: "iife",
  target: ["es2020"],
  outfile: "../internal/web/testdata/axe.js",
  legalComments: "eof",
  charset: "utf8",
  logLevel: "info",
});
