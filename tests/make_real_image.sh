#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# tests/make_real_image.sh [DIR] — builds Strata's "real image" once, the way a Dockerfile would,
# from Debian packages, and prints DIR. Needs root, mmdebstrap, umoci, skopeo and the Debian mirror
# (all in the toolbox). Layers:
#   1. mmdebstrap --variant=minbase trixie
#   2. apt-get install nginx-light (in a chroot of layer 1; apt lists removed after, as images do)
#   3. tuning: deletes files (docs, man pages, the default site), replaces a directory
#      (/var/www/html), edits nginx.conf, chmods a file, adds one
# DIR (default /var/cache/strata/real-image-v1) then holds:
#   oci/            an OCI layout (umoci), tag "real", gzip layers
#   real.tar        a docker-archive of the same image (skopeo), name strata-real:1
#   rootfs/         `umoci unpack` of the image (bundle/rootfs), the peer view tests compare with
#   .complete       written last: a directory without it is never used
# Concurrent callers wait on DIR.lock; an interrupted build leaves only DIR.partial, removed by the
# next build. Environment: STRATA_REAL_IMAGE_DIR, STRATA_REAL_IMAGE_MIRROR.
set -euo pipefail

dir=${1:-${STRATA_REAL_IMAGE_DIR:-/var/cache/strata/real-image-v1}}
mirror=${STRATA_REAL_IMAGE_MIRROR:-http://deb.debian.org/debian}
suite=trixie
start=$SECONDS
say() { printf 'make_real_image: [%3d s] %s\n' "$((SECONDS - start))" "$*" >&2; }
die() { say "error: $*"; exit 1; }

if [[ -f $dir/.complete ]]; then echo "$dir"; exit 0; fi
[[ $(id -u) -eq 0 ]] || die "needs root (run through scripts/toolbox)"
for tool in mmdebstrap umoci skopeo chroot unshare; do
    command -v "$tool" >/dev/null || die "$tool is not installed (the toolbox has it)"
done
mkdir -p "$(dirname "$dir")"
exec 9>"$dir.lock"
flock 9
if [[ -f $dir/.complete ]]; then echo "$dir"; exit 0; fi

partial=$dir.partial
rm -rf "$partial" "$dir"
mkdir -p "$partial"
oci=$partial/oci
bundle=$partial/bundle
export TMPDIR=$partial/tmp
mkdir -p "$TMPDIR"

# Runs "$@" inside the bundle's rootfs with /proc, /dev and resolv.conf, in a private mount
# namespace so nothing stays mounted when it ends.
in_chroot() {
    unshare --mount --propagation private -- bash -euc '
        root=$1; shift
        mount -t proc proc "$root/proc"
        mount --rbind /dev "$root/dev"
        touch "$root/etc/resolv.conf.strata"
        [[ -e /etc/resolv.conf ]] && mount --bind "$(readlink -f /etc/resolv.conf)" "$root/etc/resolv.conf.strata"
        exec chroot "$root" "$@"
    ' in_chroot "$bundle/rootfs" "$@"
}

repack() { # repack MESSAGE CREATED_BY
    umoci repack --image "$oci:real" --history.comment "$1" --history.created_by "$2" "$bundle"
    rm -rf "$bundle"
}

say "layer 1: mmdebstrap --variant=minbase $suite (downloads about 30 MB)"
umoci init --layout "$oci"
umoci new --image "$oci:real"
umoci config --image "$oci:real" --config.cmd /bin/sh --config.workingdir / --author strata-tests
umoci unpack --image "$oci:real" "$bundle" >/dev/null
mmdebstrap --quiet --variant=minbase --skip=output/dev --aptopt='Acquire::Retries "3"' \
    "$suite" "$bundle/rootfs" "$mirror" >&2
repack "layer 1: Debian $suite minbase" "mmdebstrap --variant=minbase $suite"

say "layer 2: apt-get install nginx-light"
umoci unpack --image "$oci:real" "$bundle" >/dev/null
# What a Dockerfile's RUN does: no daemons started, no recommends, apt lists removed after.
printf '#!/bin/sh\nexit 101\n' >"$bundle/rootfs/usr/sbin/policy-rc.d"
chmod 755 "$bundle/rootfs/usr/sbin/policy-rc.d"
had_resolv=0
[[ -e $bundle/rootfs/etc/resolv.conf || -L $bundle/rootfs/etc/resolv.conf ]] && had_resolv=1
[[ $had_resolv == 1 ]] && cp -a "$bundle/rootfs/etc/resolv.conf" "$TMPDIR/resolv.conf.image"
in_chroot sh -ec '
    rm -f /etc/resolv.conf && cp /etc/resolv.conf.strata /etc/resolv.conf
    export DEBIAN_FRONTEND=noninteractive
    apt-get -qq -o Acquire::Retries=3 update
    apt-get -qq -o Acquire::Retries=3 install -y --no-install-recommends nginx-light >/dev/null
    apt-get clean
    rm -rf /var/lib/apt/lists/* /var/log/apt/* /var/cache/debconf/*-old
' >&2
rm -f "$bundle/rootfs/usr/sbin/policy-rc.d" "$bundle/rootfs/etc/resolv.conf.strata" "$bundle/rootfs/etc/resolv.conf"
[[ $had_resolv == 1 ]] && cp -a "$TMPDIR/resolv.conf.image" "$bundle/rootfs/etc/resolv.conf"
[[ -x $bundle/rootfs/usr/sbin/nginx ]] || die "nginx was not installed"
repack "layer 2: nginx-light" "RUN apt-get update && apt-get install -y --no-install-recommends nginx-light && rm -rf /var/lib/apt/lists/*"

say "layer 3: tuning (deletes, a replaced directory, an edited nginx.conf)"
umoci unpack --image "$oci:real" "$bundle" >/dev/null
r=$bundle/rootfs
rm -rf "$r"/usr/share/doc/* "$r"/usr/share/man "$r"/usr/share/info "$r"/usr/share/locale/[a-d]*
rm -f "$r"/etc/nginx/sites-enabled/default "$r"/etc/nginx/sites-available/default
rm -rf "$r/var/www/html"
mkdir -m 0750 "$r/var/www/html"
printf '<!doctype html><title>strata</title><p>served by the real image\n' >"$r/var/www/html/index.html"
mkdir "$r/var/www/html/static"
printf 'body { margin: 0 }\n' >"$r/var/www/html/static/site.css"
ln -s index.html "$r/var/www/html/default.html"
chown -R 33:33 "$r/var/www/html"
sed -i -e 's/^worker_processes .*/worker_processes 2;/' -e 's/^\(\s*\)# server_tokens off;/\1server_tokens off;/' "$r/etc/nginx/nginx.conf"
printf 'server {\n\tlisten 80 default_server;\n\troot /var/www/html;\n\tindex index.html;\n}\n' >"$r/etc/nginx/conf.d/strata.conf"
chmod 0600 "$r/etc/nginx/nginx.conf"
repack "layer 3: tuning" "RUN rm -rf /usr/share/doc/* /usr/share/man … && rm -r /var/www/html && mkdir /var/www/html … && sed -i … /etc/nginx/nginx.conf"

umoci gc --layout "$oci"
say "docker-archive: skopeo copy"
skopeo copy --quiet "oci:$oci:real" "docker-archive:$partial/real.tar:strata-real:1" >&2
say "peer view: umoci unpack"
umoci unpack --image "$oci:real" "$partial/unpacked" >/dev/null
mv "$partial/unpacked/rootfs" "$partial/rootfs"
rm -rf "$partial/unpacked" "$TMPDIR"
touch "$partial/.complete"
mv "$partial" "$dir"
say "ready in $dir"
echo "$dir"
