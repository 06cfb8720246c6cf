#!/usr/bin/env bash
# Back up Minga: the PostgreSQL database and the uploaded files (docs/operations.md).
#
#   DATABASE_URL=postgres://user@host:5432/minga tools/backup.sh [DESTINATION]
#
# DESTINATION (default backups/<UTC timestamp>) receives:
#   database.dump   pg_dump's custom format (compressed; pg_restore picks tables, runs in parallel)
#   media.tar.gz    MEDIA_ROOT: logos and listing images
#   private.tar.gz  PRIVATE_MEDIA_ROOT: verification documents (treat the backup as confidential)
#   SHA256SUMS      checked by tools/restore.sh before it touches anything
# MEDIA_ROOT and PRIVATE_MEDIA_ROOT default as in config/settings (MINGA_VAR_DIR, else ./var).
set -euo pipefail

: "${DATABASE_URL:?set DATABASE_URL=postgres://user@host:port/database}"
case "$DATABASE_URL" in
  postgres://* | postgresql://*) ;;
  *) echo "backup.sh: DATABASE_URL must be a PostgreSQL URL (SQLite: copy the file)" >&2; exit 2 ;;
esac

root="$(cd "$(dirname "$0")/.." && pwd)"
var_dir="${MINGA_VAR_DIR:-$root/var}"
media_root="${MEDIA_ROOT:-$var_dir/media}"
private_root="${PRIVATE_MEDIA_ROOT:-$var_dir/private}"
dest="${1:-$root/backups/$(date -u +%Y%m%dT%H%M%SZ)}"

umask 077  # the dump holds members' e-mails and password hashes
mkdir -p "$dest"

# One consistent snapshot of the database, whatever the app writes meanwhile.
pg_dump --format=custom --no-owner --no-privileges --file="$dest/database.dump" "$DATABASE_URL"

archive() {  # archive DIRECTORY NAME: an empty archive when the folder does not exist yet
  if [ -d "$1" ]; then
    tar -C "$1" -czf "$dest/$2" .
  else
    tar -czf "$dest/$2" -T /dev/null
  fi
}
archive "$media_root" media.tar.gz
archive "$private_root" private.tar.gz

(cd "$dest" && sha256sum database.dump media.tar.gz private.tar.gz > SHA256SUMS)
echo "$dest"
