#!/usr/bin/env bash
# Regenerates assembly/ (the cloud assembly aws-cdk-lib 2.276.0 synthesizes from app.js, with its
# nested assemblies assembly-Dev/ and assembly-Prod/) — the ground truth examples/cdk-pipeline
# is compared with. Installs aws-cdk-lib@2.276.0 and constructs@10.8.1 with npm in a temporary
# copy; the feature-flag report and validation-report.json are left out. Needs node and npm.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cp -r "$here/app.js" "$here/package.json" "$here/lambda" "$work/"
(cd "$work" && npm install --no-audit --no-fund --silent)
# The context the cdk CLI passes to an app.
export CDK_CONTEXT_JSON='{"aws:cdk:enable-path-metadata":true,"aws:cdk:enable-asset-metadata":true}'
(cd "$work" && node app.js "$work/cdk.out")
node - "$work/cdk.out" <<'JS'
const fs = require('fs');
const path = require('path');
function strip(dir) {
  const file = path.join(dir, 'manifest.json');
  const manifest = JSON.parse(fs.readFileSync(file, 'utf8'));
  delete manifest.artifacts['aws-cdk-lib/feature-flag-report'];
  fs.writeFileSync(file, JSON.stringify(manifest, undefined, 2));
  for (const [, a] of Object.entries(manifest.artifacts)) {
    if (a.type === 'cdk:cloud-assembly') strip(path.join(dir, a.properties.directoryName));
  }
}
strip(process.argv[2]);
fs.rmSync(path.join(process.argv[2], 'validation-report.json'), { force: true });
JS
rm -rf "$here/assembly"
cp -r "$work/cdk.out" "$here/assembly"
echo "wrote $(find "$here/assembly" -type f | wc -l) files to $here/assembly"
