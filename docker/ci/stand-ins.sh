#!/usr/bin/env bash
# Local stand-ins for the official python, postgres and redis images, for machines that cannot reach
# an image registry (run as root, with the engine from engine.sh running). A Debian 12 base comes from
# debootstrap; each stand-in is tagged with the name docker-compose.yml and the Dockerfile use.
# Everything is kept between runs: the debootstrap tarball in $LIMS_CI_CACHE and the images in the
# engine; a stand-in is rebuilt only when missing or when its folder here changed.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cache=${LIMS_CI_CACHE:-/var/cache/lims-ci}
base=lims-ci/debian:bookworm
mkdir -p "$cache"

if ! docker image inspect "$base" >/dev/null 2>&1; then
  tarball="$cache/bookworm-minbase.tar"
  if [ ! -s "$tarball" ]; then
    root=$(mktemp -d)
    SECONDS=0
    echo "making a Debian 12 base with debootstrap"
    debootstrap --variant=minbase bookworm "$root" http://deb.debian.org/debian >"$cache/debootstrap.log" 2>&1 \
      || { tail -20 "$cache/debootstrap.log" >&2; exit 1; }
    rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/*
    tar -C "$root" -cf "$tarball.part" . && mv "$tarball.part" "$tarball"
    rm -rf "$root"
    echo "made the Debian 12 base in $SECONDS s"
  fi
  docker import -c 'CMD ["bash"]' "$tarball" "$base" >/dev/null
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The package index is reached the way this machine reaches it: its CA bundle and its pip index settings.
ca=$(pip config get global.cert 2>/dev/null || true)
ca=${PIP_CERT:-${ca:-/etc/ssl/certs/ca-certificates.crt}}
{
  echo "[global]"
  echo "cert = /etc/ssl/certs/host-ca.crt"
  for key in index-url extra-index-url; do
    value=$(pip config get "global.$key" 2>/dev/null || true)
    env_name="PIP_$(echo "$key" | tr a-z- A-Z_)"
    value=${!env_name:-$value}
    # Local folders (file://) of this machine are not in the containers.
    urls=$(for url in $value; do case "$url" in http://*|https://*) printf '%s ' "$url";; esac; done)
    [ -n "$urls" ] && echo "$key = $urls"
  done
} >"$work/pip.conf"
cp "$ca" "$work/host-ca.crt"

build() {  # name folder
  local name=$1 dir=$work/$2 sum
  cp -r "$here/$2" "$dir"
  [ "$2" = python ] && cp "$work/pip.conf" "$work/host-ca.crt" "$dir/"
  sum=$(cd "$dir" && cat $(ls | sort) | sha256sum | cut -c1-16)
  if [ "$(docker image inspect -f '{{ index .Config.Labels "lims.stand-in" }}' "$name" 2>/dev/null)" != "$sum" ]; then
    echo "building stand-in $name"
    SECONDS=0
    docker build -q --label "lims.stand-in=$sum" --build-arg "BASE=$base" -t "$name" "$dir" \
      >"$work/build.log" 2>&1 || { cat "$work/build.log" >&2; exit 1; }
    echo "built stand-in $name in $SECONDS s"
  fi
}
build python:3.11-slim python
build postgres:16 postgres
build redis:7 redis
