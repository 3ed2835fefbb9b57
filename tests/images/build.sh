#!/usr/bin/env bash
# Build the docker images the tests use, without pulling anything (no registry is reachable):
#   hatools/lksim-base:bookworm  debootstrap minbase + python3, rpm tooling, xorriso (cached)
#   hatools/lksim-node:latest    base + the simulator at /usr/lib/lksim and its shutdown/reboot shims in
#                                /usr/local/sbin (rebuilt when tests/lksim changes)
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
base_image=${LKSIM_BASE_IMAGE:-hatools/lksim-base:bookworm}
node_image=${LKSIM_NODE_IMAGE:-hatools/lksim-node:latest}
packages=python3,procps,iproute2,rpm,xorriso,util-linux,tar,gzip,ca-certificates

debian_mirror() {
    # The machine's own apt mirror (never hard-coded): deb822 sources first, then sources.list.
    local uri=""
    if [ -f /etc/apt/sources.list.d/debian.sources ]; then
        uri=$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources)
    fi
    if [ -z "$uri" ] && [ -f /etc/apt/sources.list ]; then
        uri=$(awk '$1 == "deb" {print $2; exit}' /etc/apt/sources.list)
    fi
    [ -n "$uri" ] || { echo "build.sh: no Debian mirror found in /etc/apt sources" >&2; exit 1; }
    echo "$uri"
}

if docker image inspect "$base_image" >/dev/null 2>&1; then
    echo "build.sh: $base_image present (cached)"
else
    command -v debootstrap >/dev/null || { echo "build.sh: debootstrap is missing (apt-get install debootstrap)" >&2; exit 1; }
    rootfs=$(mktemp -d /tmp/lksim-rootfs.XXXXXX)
    trap 'rm -rf "$rootfs"' EXIT
    start=$(date +%s)
    debootstrap --variant=minbase --include="$packages" bookworm "$rootfs" "$(debian_mirror)" >/tmp/lksim-debootstrap.log 2>&1 \
        || { tail -n 30 /tmp/lksim-debootstrap.log >&2; exit 1; }
    # rpm's Debian default database is ~/.rpmdb; LifeKeeper hosts use /var/lib/rpm.
    mkdir -p "$rootfs/etc/rpm" "$rootfs/var/lib/rpm"
    echo '%_dbpath /var/lib/rpm' > "$rootfs/etc/rpm/macros"
    rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/*
    tar -C "$rootfs" -c . | docker import -c 'CMD ["sleep","infinity"]' - "$base_image" >/dev/null
    echo "build.sh: built $base_image in $(( $(date +%s) - start )) s"
fi

# The node image carries the simulator; its label records the simulator's content hash.
sim_hash=$(cd "$repo/tests" && find lksim -type f -name '*.py' -print0 | sort -z | xargs -0 sha256sum | sha256sum | cut -c1-16)
current=$(docker image inspect -f '{{ index .Config.Labels "lksim.hash" }}' "$node_image" 2>/dev/null || true)
if [ "$current" = "$sim_hash" ]; then
    echo "build.sh: $node_image up to date ($sim_hash)"
    exit 0
fi
context=$(mktemp -d /tmp/lksim-context.XXXXXX)
trap 'rm -rf "$context"' EXIT
mkdir -p "$context/lksim"
(cd "$repo/tests" && find lksim -type f \( -name '*.py' -o -name '*.md' \) -exec cp --parents {} "$context/" \;)
# shutdown and reboot ask the simulated init to reboot (texts in lksim/boot.py: covered by the hash);
# the minbase image has neither command, these are the only ones on the reboot module's search path
mkdir -p "$context/sbin"
(cd "$context" && python3 -B -c 'import pathlib, sys; sys.path.insert(0, "."); from lksim import boot
for name, text in boot.SHIMS.items(): pathlib.Path("sbin", name).write_text(text)')
chmod 0755 "$context"/sbin/*
cat > "$context/Dockerfile" <<DOCKERFILE
FROM $base_image
COPY lksim /usr/lib/lksim/lksim
COPY sbin/ /usr/local/sbin/
LABEL lksim.hash=$sim_hash
CMD ["sleep", "infinity"]
DOCKERFILE
DOCKER_BUILDKIT=0 docker build -q -t "$node_image" "$context" >/tmp/lksim-docker-build.log 2>&1 \
    || { cat /tmp/lksim-docker-build.log >&2; exit 1; }
echo "build.sh: built $node_image ($sim_hash)"
