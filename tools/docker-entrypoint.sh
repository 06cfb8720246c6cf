#!/bin/sh
# Start of a Minga container: apply migrations (unless MIGRATE_ON_START=false: in docker-compose
# the one-shot `migrate` service does it once, before any app server, worker or beat starts), then
# run the command (gunicorn by default).
set -eu
if [ "${MIGRATE_ON_START:-true}" != "false" ]; then
  python manage.py migrate --noinput
fi
exec "$@"
