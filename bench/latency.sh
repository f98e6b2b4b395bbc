#!/usr/bin/env bash
# Benchmark (#13): from the last slice acknowledged to the SEG complete at the PACS, with the node's DEFAULT settings.
# A synthetic 512x512 abdomen CT (bench/SyntheticSeries.java, the tests' generator) of SLICES slices is sent with
# dcmtk's storescu to `bin/livernode serve`, whose only settings are its data directory, its ports and the PACS
# (a dcmtk storescp) as livernode.destination. Prints the time from the last C-STORE response to the SEG written
# at the PACS, the phases from the node's log, and, as the peer's floor, the time storescp alone takes to receive
# the same series.
# Usage: bench/latency.sh [SLICES=119] [SIZE=512]   (needs bin/setup done; builds nothing)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
SLICES=${1:-119}
SIZE=${2:-512}
WORK=$(mktemp -d /tmp/livernode-latency.XXXXXX)
PIDS=()
# KEEP=1 keeps the work folder (the node's log) for a look afterwards.
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true
  if [ -n "${KEEP:-}" ]; then echo "kept $WORK"; else rm -rf "$WORK"; fi; }
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
APP="$ROOT/target/quarkus-app"
CP="$APP/app/*:$APP/lib/main/*"

echo "writing a synthetic series of $SLICES slices at ${SIZE}x${SIZE}..."
java -cp "$CP" "$ROOT/bench/SyntheticSeries.java" "$SLICES" "$SIZE" 2.5 "$WORK/ct" >"$WORK/series-uid"
java -cp "$CP" "$ROOT/bench/SyntheticSeries.java" 12 "$SIZE" 2.5 "$WORK/warm-up" >/dev/null
FILES=("$WORK"/ct/*)

wait_echo() { # $1 AE, $2 port
  for _ in $(seq 240); do echoscu -aec "$1" 127.0.0.1 "$2" >/dev/null 2>&1 && return 0; sleep 0.5; done
  echo "receiver $1 on port $2 did not answer C-ECHO" >&2; exit 1
}
# storescu -v with each line stamped (EPOCHREALTIME) as it is printed: the last "Received Store Response" is the
# last slice acknowledged.
send_stamped() { # $1 AE, $2 port, $3 out
  storescu -v -aet BENCH -aec "$1" 127.0.0.1 "$2" "${FILES[@]}" 2>&1 | while IFS= read -r line; do
    printf '%s %s\n' "$EPOCHREALTIME" "$line"; done >"$3"
}
last_ack() { grep 'Received Store Response' "$1" | tail -1 | cut -d' ' -f1; }
first_line() { head -1 "$1" | cut -d' ' -f1; }

# The peer's floor: storescp alone receives the same series.
FLOOR_PORT=$(free_port)
mkdir -p "$WORK/floor"
storescp --aetitle FLOOR -od "$WORK/floor" "$FLOOR_PORT" >/dev/null 2>&1 &
PIDS+=($!)
PACS_PORT=$(free_port)
mkdir -p "$WORK/pacs"
# -xcr runs when a file is complete: the SEG's arrival time.
storescp --aetitle PACS -od "$WORK/pacs" -xcr "date +%s.%N >> $WORK/pacs-arrivals" "$PACS_PORT" >/dev/null 2>&1 &
PIDS+=($!)
LN_PORT=$(free_port); HTTP_PORT=$(free_port)
# LATENCY_JAVA_OPTS (e.g. -Dlivernode.inference.on-arrival=false) measures a non-default node for comparison.
LIVERNODE_DATA_DIR="$WORK/livernode" LIVERNODE_DICOM_PORT="$LN_PORT" QUARKUS_HTTP_PORT="$HTTP_PORT" \
  LIVERNODE_DESTINATION="PACS@127.0.0.1:$PACS_PORT" JAVA_OPTS="${LATENCY_JAVA_OPTS:-}" \
  "$ROOT/bin/livernode" serve >"$WORK/livernode.log" 2>&1 &
PIDS+=($!)
wait_echo FLOOR "$FLOOR_PORT"
wait_echo PACS "$PACS_PORT"
wait_echo LIVERNODE "$LN_PORT"
# A 12-slice warm-up series first, so the model's loading and first passes are not in the figure.
storescu -aet BENCH -aec LIVERNODE 127.0.0.1 "$LN_PORT" "$WORK"/warm-up/* >/dev/null 2>&1
for _ in $(seq 1800); do [ -s "$WORK/pacs-arrivals" ] && break; sleep 0.1; done
[ -s "$WORK/pacs-arrivals" ] || { echo "no warm-up SEG at the PACS within 180 s" >&2; tail -30 "$WORK/livernode.log" >&2; exit 1; }
sleep 1; : >"$WORK/pacs-arrivals"
WARM_LINES=$(wc -l <"$WORK/livernode.log")

send_stamped FLOOR "$FLOOR_PORT" "$WORK/floor.log"
floor=$(echo "$(last_ack "$WORK/floor.log") - $(first_line "$WORK/floor.log")" | bc -l)

send_stamped LIVERNODE "$LN_PORT" "$WORK/send.log"
acked=$(last_ack "$WORK/send.log")
sent=$(echo "$acked - $(first_line "$WORK/send.log")" | bc -l)
SERIES=$(cat "$WORK/series-uid")
# Done when the node's log says the series' job is DONE; its SEG is the PACS's last arrival before that.
for _ in $(seq 36000); do grep -qE "$SERIES: job [0-9]+ DONE" "$WORK/livernode.log" && break; sleep 0.1; done
grep -qE "$SERIES: job [0-9]+ DONE" "$WORK/livernode.log" \
  || { echo "no DONE job for $SERIES within an hour; node log:" >&2; tail -30 "$WORK/livernode.log" >&2; exit 1; }
at_pacs=$(tail -1 "$WORK/pacs-arrivals")
rss_kb=$(awk '/VmHWM/ {print $2}' "/proc/${PIDS[-1]}/status")

# Phases from the node's log (its timestamps, to the millisecond), relative to the last acknowledgement.
stamp() { # first log line of the series (or its association) after the warm-up matching $1 -> epoch seconds
  local line; line=$(tail -n +"$((WARM_LINES + 1))" "$WORK/livernode.log" | grep -E "$SERIES|assoc#" | grep -m1 -E "$1" \
    | cut -c1-23) || true
  [ -n "$line" ] && date -d "${line/,/.}" +%s.%N || echo ""
}
phase() { # $1 label, $2 pattern
  local t; t=$(stamp "$2")
  if [ -n "$t" ]; then printf '  %-34s %+7.2f s\n' "$1" "$(echo "$t - $acked" | bc -l)"; fi
}
printf '\n%d slices %dx%d, storescu to livernode in %.2f s; times after the last slice acknowledged:\n' \
  "$SLICES" "$SIZE" "$SIZE" "$sent"
phase "association released (node's log)" 'released after storing'
phase "series complete, job queued" 'series complete'
phase "job started" 'job [0-9]+ started'
phase "volume read, segmenting the rest" ': segmenting [0-9]+ slices'
phase "masks done" 'had been segmented on arrival'
phase "SEG written and stored" 'liver .* mL on'
phase "job DELIVERING" 'job [0-9]+ DELIVERING'
printf '  %-34s %+7.2f s\n' "SEG complete at the PACS" "$(echo "$at_pacs - $acked" | bc -l)"
tail -n +"$((WARM_LINES + 1))" "$WORK/livernode.log" | grep "$SERIES" | grep -E 'had been segmented on arrival|series complete' \
  | sed 's/^.*\] ([^)]*) /  log: /' || true
printf '\nlatency (last ack -> SEG at PACS): %.2f s\n' "$(echo "$at_pacs - $acked" | bc -l)"
printf 'peer floor: storescp alone received the %d slices in %.2f s (livernode took %.2f s to receive)\n' \
  "$SLICES" "$floor" "$sent"
printf 'ratio latency / storescp receive time: %.2f\n' "$(echo "($at_pacs - $acked) / $floor" | bc -l)"
first=$(first_line "$WORK/send.log")
printf 'end to end (first slice sent -> SEG at PACS): %.2f s, %.3f s a slice; node peak RSS (VmHWM) %d MiB\n' \
  "$(echo "$at_pacs - $first" | bc -l)" "$(echo "($at_pacs - $first) / $SLICES" | bc -l)" "$((rss_kb / 1024))"
