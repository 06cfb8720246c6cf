#!/bin/sh
# Start of the app container: apply migrations, then run the command (gunicorn by default).
set -eu
python manage.py migrate --noinput
exec "$@"
