#!/usr/bin/env bash
# Restore a backup made by tools/backup.sh (docs/operations.md).
#
#   DATABASE_URL=postgres://user@host:5432/minga tools/restore.sh BACKUP_DIRECTORY
#
# The database named in DATABASE_URL is created when missing and must otherwise be empty: this
# script never overwrites data (drop or rename the old database first, deliberately). The
# restore runs in one transaction: it succeeds whole or leaves the database empty.
# Files are unpacked into MEDIA_ROOT and PRIVATE_MEDIA_ROOT (defaults as in config/settings).
set -euo pipefail

: "${DATABASE_URL:?set DATABASE_URL=postgres://user@host:port/database}"
src="${1:?usage: tools/restore.sh BACKUP_DIRECTORY}"
root="$(cd "$(dirname "$0")/.." && pwd)"
var_dir="${MINGA_VAR_DIR:-$root/var}"
media_root="${MEDIA_ROOT:-$var_dir/media}"
private_root="${PRIVATE_MEDIA_ROOT:-$var_dir/private}"

(cd "$src" && sha256sum --check --quiet SHA256SUMS)

url="${DATABASE_URL%%\?*}"
name="${url##*/}"
server="${url%/*}/postgres"
if [ -z "$name" ] || [[ "$name" == *[!A-Za-z0-9_]* ]]; then
  echo "restore.sh: use a database name of letters, digits and underscores (got '$name')" >&2
  exit 2
fi

exists="$(psql "$server" -XAtc "SELECT 1 FROM pg_database WHERE datname = '$name'")"
if [ -z "$exists" ]; then
  psql "$server" -Xqc "CREATE DATABASE \"$name\""
else
  tables="$(psql "$DATABASE_URL" -XAtc "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")"
  if [ "$tables" != "0" ]; then
    echo "restore.sh: database '$name' already has $tables tables; restore into an empty one" >&2
    exit 1
  fi
fi

pg_restore --no-owner --no-privileges --exit-on-error --single-transaction \
  --dbname="$DATABASE_URL" "$src/database.dump"

for pair in "media.tar.gz:$media_root" "private.tar.gz:$private_root"; do
  archive="${pair%%:*}"
  target="${pair#*:}"
  mkdir -p "$target"
  tar -C "$target" -xzf "$src/$archive"
done
echo "restored $src into database '$name', $media_root and $private_root"
