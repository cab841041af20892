#!/usr/bin/env bash
# Validates Kubernetes manifests against Kubernetes' own schemas with kubeconform, offline:
#   bash scripts/validate-manifests.sh deploy/kubernetes
# kubeconform (Go module, pinned) builds into .tools/bin. Its usual schema download needs a site these machines
# cannot reach, so the schemas come from the kubernetes-validate package (PyPI, pinned), which ships them; made
# standalone by scripts/kubernetes-schemas.py into .tools/kubernetes-json-schema. Both are installed when missing.
# Exits non-zero when a manifest is invalid (unknown fields too: -strict) or has no schema.
set -euo pipefail

KUBECONFORM_VERSION="v0.7.0"
SCHEMAS_PACKAGE_VERSION="1.37.0"   # kubernetes-validate; ships schemas up to this Kubernetes minor
KUBERNETES_VERSION="1.34.0"

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLS="$REPO/.tools"
KUBECONFORM="$TOOLS/bin/kubeconform"
SCHEMAS="$TOOLS/kubernetes-json-schema"
SCHEMA_DIR="$SCHEMAS/v$KUBERNETES_VERSION-standalone-strict"

if (($# == 0)); then
    echo "usage: $0 DIR_OR_FILE..." >&2
    exit 2
fi

if ! [[ -x "$KUBECONFORM" ]] || ! "$KUBECONFORM" -v >/dev/null 2>&1; then
    command -v go >/dev/null 2>&1 || export PATH="$PATH:/usr/local/go/bin"
    echo "[manifests] building kubeconform $KUBECONFORM_VERSION into $TOOLS/bin" >&2
    mkdir -p "$TOOLS/bin"
    GOBIN="$TOOLS/bin" go install "github.com/yannh/kubeconform/cmd/kubeconform@$KUBECONFORM_VERSION"
fi

if ! [[ -f "$SCHEMA_DIR/deployment-apps-v1.json" ]]; then
    echo "[manifests] making Kubernetes $KUBERNETES_VERSION schemas from kubernetes-validate $SCHEMAS_PACKAGE_VERSION" >&2
    work="$(mktemp -d -t runbooks-k8s-schemas.XXXXXX)"
    trap 'rm -rf "$work"' EXIT
    python3 -m pip download --quiet --no-deps --dest "$work" "kubernetes-validate==$SCHEMAS_PACKAGE_VERSION"
    source="kubernetes_validate/kubernetes-json-schema/v$KUBERNETES_VERSION-local-strict"
    (cd "$work" && python3 -m zipfile -e kubernetes_validate-*.whl unpacked >/dev/null)
    rm -rf "$SCHEMA_DIR.partial"
    python3 "$REPO/scripts/kubernetes-schemas.py" "$work/unpacked/$source" "$SCHEMA_DIR.partial" >&2
    rm -rf "$SCHEMA_DIR"
    mv "$SCHEMA_DIR.partial" "$SCHEMA_DIR"
fi

exec "$KUBECONFORM" -strict -summary -kubernetes-version "$KUBERNETES_VERSION" \
    -schema-location "$SCHEMAS/{{ .NormalizedKubernetesVersion }}-standalone{{ .StrictSuffix }}/{{ .ResourceKind }}{{ .KindSuffix }}.json" \
    "$@"
