#!/usr/bin/env bash
# A Docker engine and Compose v2 on a Debian 12 machine without access to image registries (run as root).
# Installs docker.io and debootstrap when missing, starts dockerd in the background when it does not
# answer, and installs the Compose v2 plugin from Debian 13's docker-compose package (Debian 12's is 1.29).
set -euo pipefail

if ! command -v dockerd >/dev/null || ! command -v debootstrap >/dev/null; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker.io debootstrap >/dev/null
fi

if ! docker info >/dev/null 2>&1; then
  mkdir -p /var/log
  nohup dockerd >/var/log/dockerd.log 2>&1 &
  for _ in $(seq 60); do docker info >/dev/null 2>&1 && break; sleep 1; done
  docker info >/dev/null 2>&1 || { echo "dockerd did not start; see /var/log/dockerd.log" >&2; exit 1; }
fi

if ! docker compose version 2>/dev/null | grep -Eq 'version v?2\.'; then
  tmp=$(mktemp -d)
  chmod 755 "$tmp"  # apt downloads as its own user
  trap 'rm -rf "$tmp"' EXIT
  mkdir -p "$tmp/lists/partial" "$tmp/archives/partial"
  cat >"$tmp/sources.list" <<'LIST'
deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian trixie main
LIST
  apt_opts=(-o Dir::Etc::SourceList="$tmp/sources.list" -o Dir::Etc::SourceParts=/dev/null
            -o Dir::State::Lists="$tmp/lists" -o Dir::Cache::Archives="$tmp/archives"
            -o Dir::Cache::pkgcache="" -o Dir::Cache::srcpkgcache="" -o APT::Get::List-Cleanup=0)
  apt-get "${apt_opts[@]}" update -qq
  (cd "$tmp" && apt-get "${apt_opts[@]}" download docker-compose >/dev/null)
  dpkg-deb -x "$tmp"/docker-compose_*.deb "$tmp/root"
  mkdir -p /usr/local/lib/docker/cli-plugins
  install -m 0755 "$tmp/root/usr/libexec/docker/cli-plugins/docker-compose" /usr/local/lib/docker/cli-plugins/
fi
docker compose version
