#!/usr/bin/env bash
# The python, postgres and redis images that the Dockerfile and docker-compose.yml name, on machines
# that cannot reach an image registry (run as root, with the engine from engine.sh running).
# An image that is missing is pulled; when that fails, a local stand-in is built from a Debian 12 base
# made with debootstrap and tagged with the official name. Official images already present are kept.
# Everything is kept between runs: the debootstrap tarball in $LIMS_CI_CACHE and the images in the
# engine; a stand-in is rebuilt only when its folder here (or this machine's CA bundle) changed.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cache=${LIMS_CI_CACHE:-/var/cache/lims-ci}
base=lims-ci/debian:bookworm
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

base_image() {
  docker image inspect "$base" >/dev/null 2>&1 && return
  mkdir -p "$cache"
  local tarball="$cache/bookworm-minbase.tar" root
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
}

# The package index is reached the way this machine reaches it: its CA bundle and its pip index settings.
python_context() {
  local ca key value env_name urls
  ca=$(pip config get global.cert 2>/dev/null || true)
  ca=${PIP_CERT:-${ca:-/etc/ssl/certs/ca-certificates.crt}}
  cp "$ca" "$1/host-ca.crt"
  {
    echo "[global]"
    echo "cert = /etc/ssl/certs/host-ca.crt"
    for key in index-url extra-index-url; do
      value=$(pip config get "global.$key" 2>/dev/null || true)
      env_name="PIP_$(echo "$key" | tr a-z- A-Z_)"
      value=${!env_name:-$value}
      # Local folders (file://) of this machine are not in the containers.
      urls=$(for url in $value; do case "$url" in http://*|https://*) printf '%s ' "$url";; esac; done)
      if [ -n "$urls" ]; then echo "$key = $urls"; fi
    done
  } >"$1/pip.conf"
}

provide() {  # name folder
  local name=$1 dir=$work/$2 sum current
  current=$(docker image inspect -f '{{ index .Config.Labels "lims.stand-in" }}' "$name" 2>/dev/null) || current=missing
  if [ "$current" = missing ] && docker pull -q "$name" >/dev/null 2>&1; then
    echo "pulled $name"
    return
  fi
  case "$current" in missing|[0-9a-f]*) ;; *) return;; esac  # an official image: keep it
  cp -r "$here/$2" "$dir"
  if [ "$2" = python ]; then python_context "$dir"; fi
  sum=$(cd "$dir" && cat $(ls | sort) | sha256sum | cut -c1-16)
  [ "$current" = "$sum" ] && return
  base_image
  echo "building stand-in $name"
  SECONDS=0
  docker build -q --label "lims.stand-in=$sum" --build-arg "BASE=$base" -t "$name" "$dir" \
    >"$work/build.log" 2>&1 || { cat "$work/build.log" >&2; exit 1; }
  echo "built stand-in $name in $SECONDS s"
}

provide python:3.11-slim python
provide postgres:16 postgres
provide redis:7 redis
