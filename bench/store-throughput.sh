#!/usr/bin/env bash
# Benchmark: C-STORE throughput of livernode against dcmtk's storescp, measured in the same run on the same files.
# Sends COPIES x the 20-slice JPEG 2000 sample (fresh UIDs per copy) with one storescu association, ROUNDS times
# to each receiver in turn, and prints the median times and their ratio to storescp's. The worker is off: this
# measures receiving, writing and indexing, not segmentation.
#
# --durability adds the receivers that say what a durable Success costs (livernode fsyncs each file and its folder
# and commits its index row before answering; storescp does neither):
#   storescp +exec      storescp running `true` after each file before answering (the price of the child process)
#   storescp +fsync     storescp running coreutils `sync FILE FOLDER` after each file before answering: fsync of the
#                       file and of its folder, as livernode does (dcmtk has no fsync option of its own)
#   livernode tmpfs     livernode with its data directory (files and H2) on /dev/shm, where fsync costs nothing
#   livernode pg        livernode on PostgreSQL (127.0.0.1:5432, trust auth; a fresh database), whose commit is
#                       fsynced (synchronous_commit); skipped when PostgreSQL does not answer
# The other receivers write to this script's work folder under /tmp (the disk).
#
# Usage: bench/store-throughput.sh [--durability] [COPIES=5] [ROUNDS=3]   (needs bin/setup done and the package
#        built: target/quarkus-app)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
DURABILITY=false
if [[ "${1:-}" == "--durability" ]]; then DURABILITY=true; shift; fi
COPIES=${1:-5}
ROUNDS=${2:-3}
WORK=$(mktemp -d /tmp/livernode-bench.XXXXXX)
SHM=""
PG_DB=""
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$WORK"
  if [[ -n "$SHM" ]]; then rm -rf "$SHM"; fi
  if [[ -n "$PG_DB" ]]; then psql -h 127.0.0.1 -U postgres -q -c "DROP DATABASE IF EXISTS $PG_DB" >/dev/null 2>&1 || true; fi
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
uid() { python3 -c 'import uuid; print("2.25.%d" % uuid.uuid4().int)'; }
now() { date +%s.%N; }

echo "preparing $COPIES x 20 slices..."
mkdir -p "$WORK/files"
for i in $(seq "$COPIES"); do
  study=$(uid); series=$(uid)
  for f in "$ROOT"/samples/siemens-ct-j2k/CT.*; do
    out="$WORK/files/$i-$(basename "$f")"
    cp "$f" "$out"; chmod u+w "$out"
    dcmodify -nb -q -m "(0020,000D)=$study" -m "(0020,000E)=$series" -m "(0008,0018)=$(uid)" "$out"
  done
done
N=$(ls "$WORK/files" | wc -l)

# The receivers, in the order they are sent to: name, AE title, port.
NAMES=(); AES=(); PORTS=()

start_storescp() { # $1 name, $2 AE title, then storescp's extra options
  local name=$1 ae=$2 port dir
  shift 2
  port=$(free_port); dir="$WORK/$ae"
  mkdir -p "$dir"
  storescp +xa --aetitle "$ae" -od "$dir" "$@" "$port" >"$WORK/$ae.log" 2>&1 &
  PIDS+=($!); NAMES+=("$name"); AES+=("$ae"); PORTS+=("$port")
}
start_livernode() { # $1 name, $2 data directory, then VAR=value settings
  local name=$1 data=$2 port http
  shift 2
  port=$(free_port); http=$(free_port)
  env LIVERNODE_DATA_DIR="$data" LIVERNODE_DICOM_PORT="$port" QUARKUS_HTTP_PORT="$http" \
    LIVERNODE_WORKER_ENABLED=false LIVERNODE_DICOM_MIN_FREE_DISK_MB=1 "$@" \
    "$ROOT/bin/livernode" serve >"$WORK/livernode-${#NAMES[@]}.log" 2>&1 &
  PIDS+=($!); NAMES+=("$name"); AES+=(LIVERNODE); PORTS+=("$port")
}

start_storescp "storescp" STORESCP
start_livernode "livernode" "$WORK/livernode"
if $DURABILITY; then
  start_storescp "storescp +exec" STORESCP_EXEC --exec-on-reception true --exec-sync
  start_storescp "storescp +fsync" STORESCP_FSYNC --exec-on-reception "sync #p/#f #p" --exec-sync
  SHM=$(mktemp -d /dev/shm/livernode-bench.XXXXXX)
  start_livernode "livernode tmpfs" "$SHM/livernode"
  if pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
    PG_DB="livernode_bench_$$"
    psql -h 127.0.0.1 -U postgres -q -c "DO \$\$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'livernode') THEN CREATE ROLE livernode LOGIN; END IF; END \$\$" \
      -c "CREATE DATABASE $PG_DB OWNER livernode" >/dev/null
    start_livernode "livernode pg" "$WORK/livernode-pg" QUARKUS_PROFILE=postgresql \
      QUARKUS_DATASOURCE_POSTGRESQL_JDBC_URL="jdbc:postgresql://127.0.0.1:5432/$PG_DB" \
      QUARKUS_DATASOURCE_POSTGRESQL_USERNAME=livernode
  else
    echo "PostgreSQL does not answer on 127.0.0.1:5432: no 'livernode pg' receiver"
  fi
fi

wait_echo() { # $1 AE, $2 port
  for _ in $(seq 240); do echoscu -aec "$1" 127.0.0.1 "$2" >/dev/null 2>&1 && return 0; sleep 0.5; done
  echo "receiver $1 on port $2 did not answer C-ECHO (logs in $WORK)" >&2; exit 1
}
send() { # $1 AE, $2 port -> seconds
  local t0 t1
  t0=$(now)
  storescu --propose-j2k-lossless -aet BENCH -aec "$1" 127.0.0.1 "$2" "$WORK"/files/* >/dev/null
  t1=$(now)
  echo "$t1 - $t0" | bc -l
}
for i in "${!NAMES[@]}"; do wait_echo "${AES[$i]}" "${PORTS[$i]}"; done

declare -A TIMES
for r in $(seq "$ROUNDS"); do
  line="round $r:"
  for i in "${!NAMES[@]}"; do
    t=$(send "${AES[$i]}" "${PORTS[$i]}")
    TIMES[$i]="${TIMES[$i]:-} $t"
    line+=$(printf ' %s %.2f s;' "${NAMES[$i]}" "$t")
  done
  echo "$line"
done
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
declare -A MEDIAN
for i in "${!NAMES[@]}"; do
  # shellcheck disable=SC2086 # the times are a space-separated list
  MEDIAN[$i]=$(median ${TIMES[$i]})
done

printf '\n%d JPEG 2000 slices per round, median of %d rounds (%s, %s cores, load %s)\n' "$N" "$ROUNDS" \
  "$(date -u +%FT%TZ)" "$(nproc)" "$(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-18s %10s %10s %18s\n' receiver "time (s)" slices/s "time / storescp's"
for i in "${!NAMES[@]}"; do
  printf '%-18s %10.2f %10.1f %18.2f\n' "${NAMES[$i]}" "${MEDIAN[$i]}" "$(echo "$N / ${MEDIAN[$i]}" | bc -l)" \
    "$(echo "${MEDIAN[$i]} / ${MEDIAN[0]}" | bc -l)"
done
if $DURABILITY; then
  index() { local i; for i in "${!NAMES[@]}"; do [[ "${NAMES[$i]}" == "$1" ]] && echo "$i" && return; done; }
  printf '\nwhat fsync costs: storescp +fsync / storescp +exec %.2f; livernode (disk) / livernode tmpfs %.2f\n' \
    "$(echo "${MEDIAN[$(index 'storescp +fsync')]} / ${MEDIAN[$(index 'storescp +exec')]}" | bc -l)" \
    "$(echo "${MEDIAN[$(index livernode)]} / ${MEDIAN[$(index 'livernode tmpfs')]}" | bc -l)"
fi
