#!/usr/bin/env bash
# Benchmark: C-STORE throughput of livernode against dcmtk's storescp, measured in the same run on the same files.
# Sends COPIES x the 20-slice JPEG 2000 sample (fresh UIDs per copy) with one storescu association, ROUNDS times
# to each receiver alternately, and prints the median times and their ratio. The worker is off: this measures
# receiving, writing and indexing, not segmentation.
# Usage: bench/store-throughput.sh [COPIES=5] [ROUNDS=3]   (needs bin/setup done)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
COPIES=${1:-5}
ROUNDS=${2:-3}
WORK=$(mktemp -d /tmp/livernode-bench.XXXXXX)
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$WORK"; }
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

wait_echo() { # $1 AE, $2 port
  for _ in $(seq 120); do echoscu -aec "$1" 127.0.0.1 "$2" >/dev/null 2>&1 && return 0; sleep 0.5; done
  echo "receiver $1 on port $2 did not answer C-ECHO" >&2; exit 1
}
send() { # $1 AE, $2 port -> seconds
  local t0 t1
  t0=$(now)
  storescu --propose-j2k-lossless -aet BENCH -aec "$1" 127.0.0.1 "$2" "$WORK"/files/* >/dev/null
  t1=$(now)
  echo "$t1 - $t0" | bc -l
}

SCP_PORT=$(free_port)
mkdir -p "$WORK/storescp"
storescp +xa --aetitle STORESCP -od "$WORK/storescp" "$SCP_PORT" >/dev/null 2>&1 &
PIDS+=($!)
LN_PORT=$(free_port); HTTP_PORT=$(free_port)
LIVERNODE_DATA_DIR="$WORK/livernode" LIVERNODE_DICOM_PORT="$LN_PORT" QUARKUS_HTTP_PORT="$HTTP_PORT" \
  LIVERNODE_WORKER_ENABLED=false LIVERNODE_DICOM_MIN_FREE_DISK_MB=1 \
  "$ROOT/bin/livernode" serve >"$WORK/livernode.log" 2>&1 &
PIDS+=($!)
wait_echo STORESCP "$SCP_PORT"
wait_echo LIVERNODE "$LN_PORT"

ln_times=(); scp_times=()
for r in $(seq "$ROUNDS"); do
  scp_times+=("$(send STORESCP "$SCP_PORT")")
  ln_times+=("$(send LIVERNODE "$LN_PORT")")
  printf 'round %d: storescp %.2f s, livernode %.2f s\n' "$r" "${scp_times[-1]}" "${ln_times[-1]}"
done
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
m_scp=$(median "${scp_times[@]}"); m_ln=$(median "${ln_times[@]}")
printf '\n%d JPEG 2000 slices per round, median of %d rounds\n' "$N" "$ROUNDS"
printf 'dcmtk storescp: %.2f s (%.1f slices/s)\n' "$m_scp" "$(echo "$N / $m_scp" | bc -l)"
printf 'livernode:      %.2f s (%.1f slices/s)\n' "$m_ln" "$(echo "$N / $m_ln" | bc -l)"
printf 'ratio livernode/storescp time: %.2f (below 1 = livernode faster)\n' "$(echo "$m_ln / $m_scp" | bc -l)"
