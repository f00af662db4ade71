#!/usr/bin/env python3
"""Generate `create-only-properties.json` for `rcdk diff`.

`rcdk diff` marks a resource change "(requires replacement)" when the resource's type changes or
when one of its *create-only* properties changes (CloudFormation resource schema
`createOnlyProperties`). This script extracts that list for every resource type from the resource
provider schemas bundled with the pip package `cfn-lint`, so the CLI build itself never needs
Python or network access: the output is committed and embedded with `include_str!`.

Layout read (cfn-lint 1.x):
  cfnlint/data/schemas/providers/<region>.py   a module with `types: dict[str, str]`,
                                               resource type name -> schema hash
  cfnlint/data/schemas/resources/<hash>.json   the resource schema (descriptions stripped,
                                               cfn-lint patches applied)

Types are taken from us-east-1 first; a type that exists only in other regions is taken from the
first region (in sorted order) that has it. Types without create-only properties are left out.

Output (compact, one type per line, sorted):
  {"source": "cfn-lint <version>", "types": {"AWS::S3::Bucket": ["/properties/BucketName", ...]}}
Paths are the schema's JSON-pointer-like strings: `/properties/A/B`, with `*` standing for every
element of an array (e.g. `/properties/DbNodes/*/DbServerId`).

Usage:  python3 cdk-cli/data/gen-create-only.py > cdk-cli/data/create-only-properties.json
"""

import importlib
import json
import os
import pkgutil
import sys

import cfnlint
import cfnlint.version


def main() -> int:
    root = os.path.join(os.path.dirname(cfnlint.__file__), "data", "schemas")
    providers = os.path.join(root, "providers")
    regions = sorted(
        m.name for m in pkgutil.iter_modules([providers]) if not m.name.startswith("_")
    )
    if "us_east_1" in regions:
        regions.remove("us_east_1")
        regions.insert(0, "us_east_1")

    type_to_hash: dict[str, str] = {}
    for region in regions:
        module = importlib.import_module(f"cfnlint.data.schemas.providers.{region}")
        for type_name, schema_hash in module.types.items():
            type_to_hash.setdefault(type_name, schema_hash)

    result: dict[str, list[str]] = {}
    for type_name in sorted(type_to_hash):
        path = os.path.join(root, "resources", f"{type_to_hash[type_name]}.json")
        with open(path, encoding="utf-8") as f:
            schema = json.load(f)
        props = schema.get("createOnlyProperties") or []
        if props:
            result[type_name] = sorted(set(props))

    out = sys.stdout
    out.write("{\n")
    out.write(f' "source": {json.dumps("cfn-lint " + cfnlint.version.__version__)},\n')
    out.write(' "types": {\n')
    lines = [f"  {json.dumps(t)}: {json.dumps(p)}" for t, p in result.items()]
    out.write(",\n".join(lines))
    out.write("\n }\n}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
