# Like the official image: without a configuration file, answer clients on the container network.
set -eu
if [ "$1" = redis-server ]; then
  shift
  exec redis-server --bind 0.0.0.0 --protected-mode no --dir /data "$@"
fi
exec "$@"
