#!/usr/bin/env bash
# Make this host able to run the tests: docker engine running, debootstrap, xorriso, rpm, tclsh.
# Idempotent and quick when everything is already there. Needs root (or sudo) and apt on a
# fresh Debian/Ubuntu machine; elsewhere install those yourself and this only checks.
set -euo pipefail

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

missing=()
for tool in debootstrap xorriso rpm rpmbuild tclsh; do
    command -v "$tool" >/dev/null || missing+=("$tool")
done
command -v dockerd >/dev/null || missing+=("dockerd")
if [ ${#missing[@]} -gt 0 ]; then
    command -v apt-get >/dev/null || { echo "host-setup: missing ${missing[*]} and no apt-get to install them" >&2; exit 1; }
    echo "host-setup: installing docker.io debootstrap xorriso rpm tcl (missing: ${missing[*]})"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker.io debootstrap xorriso rpm tcl >/tmp/host-setup-apt.log 2>&1 \
        || { tail -n 20 /tmp/host-setup-apt.log >&2; exit 1; }
fi

if ! docker info >/dev/null 2>&1; then
    echo "host-setup: starting dockerd"
    # No systemd on these machines: run the engine in the background and wait for it.
    as_root sh -c 'nohup dockerd >/var/log/dockerd-hatools.log 2>&1 &'
    for _ in $(seq 1 60); do
        docker info >/dev/null 2>&1 && break
        sleep 1
    done
    docker info >/dev/null 2>&1 || { echo "host-setup: dockerd did not start; see /var/log/dockerd-hatools.log" >&2; exit 1; }
fi
echo "host-setup: docker $(docker version -f '{{.Server.Version}}'), $(xorriso -version 2>/dev/null | head -n 1 | cut -c1-30), $(rpm --version)"
