#!/bin/sh
# Install what the real-implementation lab (lab/run.py) needs, from Debian packages.
# Idempotent; never fails the build: when it cannot install (not root, no apt-get, no network)
# it says why and exits 0, and the live lab tests then skip with their own reason.
#
# strongSwan: strongswan-charon, strongswan-swanctl, libcharon-extra-plugins (kernel-libipsec).
# Libreswan conflicts with strongswan-charon in Debian, so its package is only unpacked
# (apt-get download + dpkg-deb -x) into $IPSEC_LAB_LIBRESWAN (default /opt/ipsec-lab/libreswan)
# and its runtime libraries are installed; the lab runs pluto from there.
set -u

LIBRESWAN_TREE="${IPSEC_LAB_LIBRESWAN:-/opt/ipsec-lab/libreswan}"
PKGS="strongswan-charon strongswan-swanctl libcharon-extra-plugins tcpdump iproute2 iptables \
iputils-ping libnss3-tools openssl"

say() { echo "lab/install.sh: $*"; }

if [ "$(uname -s)" != Linux ]; then say "not Linux, the lab cannot run here; nothing installed"; exit 0; fi
if [ "$(id -u)" != 0 ]; then say "not root, cannot install packages; the live lab will be skipped"; exit 0; fi
if ! command -v apt-get >/dev/null 2>&1; then say "no apt-get (not Debian); install $PKGS yourself"; exit 0; fi

missing=""
for p in $PKGS; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
done
updated=no
if [ -n "$missing" ]; then
    say "installing:$missing"
    if ! apt-get update -qq >/dev/null 2>&1; then say "apt-get update failed; live lab will be skipped"; exit 0; fi
    updated=yes
    # shellcheck disable=SC2086
    if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null 2>&1; then
        say "apt-get install failed; the live lab will be skipped"; exit 0
    fi
fi

if [ ! -x "$LIBRESWAN_TREE/usr/libexec/ipsec/pluto" ]; then
    tmp=$(mktemp -d)
    if [ "$updated" = no ]; then apt-get update -qq >/dev/null 2>&1; fi
    if (cd "$tmp" && apt-get download libreswan >/dev/null 2>&1); then
        deb=$(ls "$tmp"/libreswan_*.deb)
        # runtime libraries of pluto (first alternative of each dependency, versions dropped)
        deps=$(dpkg-deb -f "$deb" Depends | tr ',' '\n' | sed 's/|.*//; s/(.*)//; s/ //g' \
            | grep -v -e '^debconf' -e '^iproute' -e '^$')
        # shellcheck disable=SC2086
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $deps >/dev/null 2>&1 \
            || say "some Libreswan runtime libraries could not be installed"
        mkdir -p "$LIBRESWAN_TREE" && dpkg-deb -x "$deb" "$LIBRESWAN_TREE" \
            && say "Libreswan unpacked into $LIBRESWAN_TREE"
    else
        say "could not download libreswan; Libreswan scenarios will be skipped"
    fi
    rm -rf "$tmp"
fi
say "ready"
exit 0
