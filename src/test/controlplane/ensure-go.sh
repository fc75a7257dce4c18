#!/usr/bin/env bash
# Makes sure a Go toolchain that can build the control plane is on PATH.
# Go >= 1.21 fetches the newer toolchain that the wrapper modules ask for by itself.
# Debian's golang (1.19) cannot, so it is used only to download the official toolchain
# module from the Go module proxy, which is then linked as /usr/local/bin/go.
set -euo pipefail

toolchain="go1.26.8"

go_minor() { "$1" env GOVERSION 2>/dev/null | sed -n 's/^go1\.\([0-9]*\).*/\1/p'; }

if command -v go >/dev/null && [[ "$(go_minor go)" -ge 21 ]]; then
    echo "go: $(go env GOVERSION) (switches to the toolchain the modules need by itself)"
    exit 0
fi

echo "go: none >= 1.21 on PATH; installing $toolchain through Debian's golang"
if [[ ! -x /usr/lib/go/bin/go ]]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq golang-go >/dev/null
fi

arch="$(dpkg --print-architecture)"
dir="$(cd /tmp && GOFLAGS=-mod=mod GO111MODULE=on /usr/lib/go/bin/go mod download -json \
    "golang.org/toolchain@v0.0.1-$toolchain.linux-$arch" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')"
# Module zips do not keep file modes.
chmod -R u+w "$dir"
chmod +x "$dir"/bin/* "$dir"/pkg/tool/*/*
ln -sf "$dir/bin/go" /usr/local/bin/go
echo "go: $(/usr/local/bin/go env GOVERSION) at /usr/local/bin/go"
