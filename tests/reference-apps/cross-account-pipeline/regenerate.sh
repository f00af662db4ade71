#!/usr/bin/env bash
# Regenerates fixtures/ (the aws-cdk-lib templates of the reference app) from app.js:
# installs aws-cdk-lib@2.276.0 and constructs@10.8.1 with npm (in a temporary copy), runs
# `node app.js`, and keeps the templates and manifest (asset hashes and versions normalised
# by the comparing test, not here). Needs node >= 18 and npm.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cp "$here/app.js" "$here/package.json" "$work/"
(cd "$work" && npm install --no-audit --no-fund --silent && node app.js "$work/cdk.out" >/dev/null 2>&1)
rm -rf "$here/fixtures"
mkdir -p "$here/fixtures"
cp "$work"/cdk.out/*.template.json "$work/cdk.out/manifest.json" "$here/fixtures/"
echo "wrote $(ls "$here/fixtures" | wc -l) files to $here/fixtures"
