#!/usr/bin/env bash
# Fault injection on the receive path: sends COPIES x the 20-slice sample with storescu to `bin/livernode serve`
# (worker off), kills the node with kill -9 at several points (KILL_AFTER seconds after storescu starts; "end" =
# right after storescu's last response), starts it again on the same data, and counts: instances acknowledged with
# Success, instances indexed after the restart, acknowledged-but-lost, files left in incoming/, seconds until the
# restarted node answers C-ECHO. DB=h2 (default) or DB=postgresql (a fresh database at 127.0.0.1:5432, user postgres).
# Usage: [DB=h2|postgresql] bench/fault-receive.sh [COPIES=3] [KILL_AFTER="0.5 1.5 end"]   (needs mvn package first)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
COPIES=${1:-3}
KILLS=${2:-"0.5 1.5 end"}
DB=${DB:-h2}
WORK=$(mktemp -d /tmp/livernode-fault.XXXXXX)
NODE=""
cleanup() { [ -n "$NODE" ] && kill -9 "$NODE" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
uid() { python3 -c 'import uuid; print("2.25.%d" % uuid.uuid4().int)'; }
now() { date +%s.%N; }
ADMIN_PASSWORD=$(uid) # the node's admin for this run (the index is read as admin)

start_node() { # $1 data dir, $2 DICOM port, $3 HTTP port, $4 log
  local env=(LIVERNODE_DATA_DIR="$1" LIVERNODE_DICOM_PORT="$2" LIVERNODE_DICOM_BIND_ADDRESS=127.0.0.1
             QUARKUS_HTTP_PORT="$3" QUARKUS_HTTP_HOST=127.0.0.1 LIVERNODE_WORKER_ENABLED=false LIVERNODE_DICOM_MIN_FREE_DISK_MB=1
             LIVERNODE_SECURITY_ADMIN_PASSWORD="$ADMIN_PASSWORD")
  if [ "$DB" = postgresql ]; then
    env+=(QUARKUS_PROFILE=postgresql QUARKUS_DATASOURCE_POSTGRESQL_JDBC_URL="jdbc:postgresql://127.0.0.1:5432/$PGDB"
          QUARKUS_DATASOURCE_POSTGRESQL_USERNAME=livernode)
  fi
  env "${env[@]}" "$ROOT/bin/livernode" serve >>"$4" 2>&1 &
  NODE=$!
}
wait_echo() { # $1 port -> seconds waited
  local t0; t0=$(now)
  for _ in $(seq 600); do echoscu -to 2 -aec LIVERNODE 127.0.0.1 "$1" >/dev/null 2>&1 && { echo "$(now) - $t0" | bc -l; return 0; }; sleep 0.25; done
  echo "node on port $1 did not answer C-ECHO" >&2; exit 1
}
indexed() { # $1 HTTP port, $2 series UID -> instance count
  curl -s -u "admin:$ADMIN_PASSWORD" "http://127.0.0.1:$1/api/series/$2" | python3 -c 'import json,sys
try: print(json.load(sys.stdin)["instanceCount"])
except Exception: print(0)'
}

printf '%-8s %-10s %-6s %-8s %-5s %-9s %s\n' db kill-at acked indexed lost incoming restart-s
for kill_at in $KILLS; do
  run="$WORK/$kill_at"; mkdir -p "$run/files"
  series=$(uid); study=$(uid)
  for i in $(seq "$COPIES"); do
    for f in "$ROOT"/samples/siemens-ct-j2k/CT.*; do
      out="$run/files/$i-$(basename "$f")"; cp "$f" "$out"; chmod u+w "$out"
      dcmodify -nb -q -m "(0020,000D)=$study" -m "(0020,000E)=$series" -m "(0008,0018)=$(uid)" "$out"
    done
  done
  if [ "$DB" = postgresql ]; then
    PGDB="livernode_fault_$$_${kill_at//./_}"
    psql -h 127.0.0.1 -U postgres -qAt -c "CREATE DATABASE $PGDB OWNER livernode" >/dev/null
  fi
  DPORT=$(free_port); HPORT=$(free_port)
  start_node "$run/data" "$DPORT" "$HPORT" "$run/node.log"
  wait_echo "$DPORT" >/dev/null
  storescu -v --propose-j2k-lossless -aet FAULT -aec LIVERNODE 127.0.0.1 "$DPORT" "$run"/files/* >"$run/storescu.log" 2>&1 &
  SCU=$!
  if [ "$kill_at" = end ]; then wait "$SCU" || true; else sleep "$kill_at"; fi
  kill -9 "$NODE"; wait "$NODE" 2>/dev/null || true
  wait "$SCU" 2>/dev/null || true
  acked=$(grep -c 'Received Store Response (Success)' "$run/storescu.log" || true)
  start_node "$run/data" "$DPORT" "$HPORT" "$run/node.log"
  restart=$(wait_echo "$DPORT")
  n=$(indexed "$HPORT" "$series")
  left=$(find "$run/data/incoming" -type f ! -name .lock 2>/dev/null | wc -l)
  lost=$(( acked > n ? acked - n : 0 ))
  printf '%-8s %-10s %-6s %-8s %-5s %-9s %.1f\n' "$DB" "$kill_at" "$acked" "$n" "$lost" "$left" "$restart"
  kill "$NODE"; wait "$NODE" 2>/dev/null || true; NODE=""
  if [ "$DB" = postgresql ]; then psql -h 127.0.0.1 -U postgres -qAt -c "DROP DATABASE $PGDB" >/dev/null; fi
done
