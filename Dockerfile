# The LIMS server image: one image for the web server, the workers and the scheduler.

# JavaScript the pages serve, from npm as pinned in package-lock.json (built apart: npm stays out of the image).
FROM python:3.11-slim AS assets
RUN apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends npm
WORKDIR /build
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund

FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    STATIC_ROOT=/app/static \
    DATA_ROOT=/data

# The service's home holds what libraries write for themselves: caches (~/.cache: pint, numba) and
# gunicorn's control socket (~/.gunicorn).
RUN groupadd --system --gid 1000 lims \
 && useradd --system --uid 1000 --gid lims --home-dir /home/lims --create-home --shell /usr/sbin/nologin lims

# pg_dump and pg_restore for `manage.py backup` and `restore` (Debian's client is at least as new as
# the PostgreSQL server of the compose file, as pg_dump requires).
RUN apt-get update -qq \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql-client \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY requirements.txt ./
RUN pip install -r requirements.txt

# The code stays owned by root (read-only for the service); only data, static files, the home and
# /tmp are writable.
COPY . .
COPY --from=assets /build/node_modules/uplot/dist/uPlot.iife.min.js /build/node_modules/uplot/dist/uPlot.min.css lims/static/vendor/
RUN python manage.py collectstatic --noinput \
 && mkdir -p /data /backups \
 && chown -R lims:lims /data /backups /app/static

USER lims
ENV HOME=/home/lims
# The unit library's parsed definitions are cached now, so that containers start with the cache
# complete rather than writing it from several processes at once (a reader could see half a file).
RUN python -c "from records.units import registry; registry()" && test -d /home/lims/.cache/pint
EXPOSE 8000
# Threads, timeouts and limits come from gunicorn.conf.py.
CMD ["gunicorn", "lims.wsgi", "--bind", "0.0.0.0:8000"]
