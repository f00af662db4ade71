#!/usr/bin/env python3
"""Writes cdk-cli/data/replacement-properties.json: per CloudFormation resource type, the
top-level properties whose change replaces the resource ("yes") or may replace it ("maybe"),
from the `causesReplacement` field of npm `@aws-cdk/aws-service-spec` (the data the cdk CLI's
diff uses).

    python3 cdk-cli/data/gen-replacement.py [VERSION] > cdk-cli/data/replacement-properties.json

Without VERSION the version pinned below is used; the package is fetched with `npm pack`.
"""
import gzip
import json
import os
import subprocess
import sys
import tarfile
import tempfile

VERSION = sys.argv[1] if len(sys.argv) > 1 else "0.1.216"
PACKAGE = "@aws-cdk/aws-service-spec"


def main():
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(
            ["npm", "pack", f"{PACKAGE}@{VERSION}", "--silent"],
            cwd=tmp, check=True, stdout=subprocess.DEVNULL,
        )
        tgz = next(f for f in os.listdir(tmp) if f.endswith(".tgz"))
        with tarfile.open(os.path.join(tmp, tgz)) as tar:
            db = json.load(gzip.open(tar.extractfile("package/db.json.gz")))
    types = {}
    for resource in db["schema"]["resource"]["entities"]:
        entry = {}
        for name, prop in sorted(resource.get("properties", {}).items()):
            kind = prop.get("causesReplacement")
            if kind in ("yes", "maybe"):
                entry.setdefault(kind, []).append(name)
        if entry:
            types[resource["cloudFormationType"]] = entry
    out = {"source": f"{PACKAGE} {VERSION}", "types": dict(sorted(types.items()))}
    json.dump(out, sys.stdout, indent=0, separators=(",", ":"))
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
