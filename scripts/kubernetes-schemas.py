#!/usr/bin/env python3
"""Makes the standalone Kubernetes JSON schemas kubeconform reads, from those the kubernetes-validate package ships.

kubernetes-validate (PyPI) ships one schema per kind, whose $refs point into a shared
/api/_definitions.json that only its own resolver finds. kubeconform needs each schema to stand alone, so this copies
into each kind's schema the definitions it reaches, as "#/$defs/...".

usage: kubernetes-schemas.py SOURCE_DIR OUT_DIR
  SOURCE_DIR  kubernetes_validate/kubernetes-json-schema/vX.Y.Z-local-strict inside the unpacked package
  OUT_DIR     where {kind}{-group}-{version}.json go (kubeconform: -schema-location OUT_DIR/{{ .ResourceKind }}...)
"""
import json
import os
import re
import sys

REF = re.compile(r'"\$ref": "(?:/api/_definitions\.json)?#/\$defs/([^"]+)"')


def main(source, out):
    with open(os.path.join(source, "_definitions.json")) as f:
        definitions = json.load(f)
    defs = definitions["$defs"]
    refs_of = {name: set(REF.findall(json.dumps(body))) for name, body in defs.items()}
    os.makedirs(out, exist_ok=True)
    written = 0
    for name in sorted(os.listdir(source)):
        if not name.endswith(".json") or name.startswith("_"):
            continue
        with open(os.path.join(source, name)) as f:
            text = f.read()
        text = text.replace('"/api/_definitions.json#/$defs/', '"#/$defs/')
        schema = json.loads(text)
        reached, todo = set(), set(REF.findall(text))
        while todo:
            ref = todo.pop()
            if ref not in reached:
                reached.add(ref)
                todo |= refs_of.get(ref, set()) - reached
        schema["$defs"] = {ref: defs[ref] for ref in sorted(reached) if ref in defs}
        if "$schema" in definitions:
            schema.setdefault("$schema", definitions["$schema"])
        with open(os.path.join(out, name), "w") as f:
            json.dump(schema, f)
        written += 1
    if written == 0:
        sys.exit("no schemas found in " + source)
    print(f"{written} schemas written to {out}")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
