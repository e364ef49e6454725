#!/usr/bin/env bash
# Builds the image with Debian's buildah, where no Docker engine runs (a CI runner, a VM, a laptop):
#   bash scripts/build-image.sh [tag]            default tag: psp-gateway:<git describe>
#   PUSH=registry.example/psp-gateway:1.2.3 bash scripts/build-image.sh
# Checks the Dockerfile's rules first (npm run image:check). Installs buildah from Debian when it is
# missing and we are root. Rootless works too (buildah's user namespaces; vfs storage if the kernel
# lacks overlay for unprivileged users: STORAGE_DRIVER=vfs). The base image comes from the digest
# pinned in the Dockerfile; the build needs the registry that serves it, nothing else.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v buildah >/dev/null; then
  if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
    echo "build-image: installing buildah from Debian"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends buildah >/dev/null
  else
    echo "build-image: buildah is missing (Debian/Ubuntu: sudo apt-get install -y buildah)" >&2
    exit 1
  fi
fi

npm run --silent image:check

version=$(git describe --tags --always --dirty 2>/dev/null || echo 0.0.0-dev)
revision=$(git rev-parse HEAD 2>/dev/null || echo unknown)
tag=${1:-psp-gateway:$version}

# --layers keeps the dependency stage cached while only sources change. OCI format: labels and
# the non-root USER are kept as written.
buildah build \
  --layers \
  --format oci \
  --file Dockerfile \
  --build-arg "VERSION=$version" \
  --build-arg "REVISION=$revision" \
  --tag "$tag" \
  .

# What the image runs as, and that its runtime stage has no dev tooling (a cheap last check).
buildah inspect --type image --format '{{.OCIv1.Config.User}}' "$tag" | grep -qx '10001:10001' \
  || { echo "build-image: $tag does not run as 10001:10001" >&2; exit 1; }
container=$(buildah from "$tag")
trap 'buildah rm "$container" >/dev/null' EXIT
if buildah run "$container" -- test -e node_modules/typescript; then
  echo "build-image: $tag ships devDependencies (node_modules/typescript)" >&2
  exit 1
fi
buildah run "$container" -- node -e 'process.exit(+process.versions.node.split(".")[0] < 24)' \
  || { echo "build-image: $tag runs an older Node.js than package.json engines" >&2; exit 1; }
echo "build-image: built $tag"

if [[ -n ${PUSH:-} ]]; then
  buildah push "$tag" "docker://$PUSH"
  echo "build-image: pushed $PUSH"
fi
