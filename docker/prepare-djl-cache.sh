#!/usr/bin/env bash
# Image build step: unpacks libtorch into $DJL_CACHE_DIR (read-only at run time), then shrinks the libtorch
# jar to its descriptor so the image does not carry libtorch twice (2.4 GB for CUDA).
# Usage: docker/prepare-djl-cache.sh QUARKUS_APP_DIR [--load]   (--load: also start the engine, needs its driver)
set -euo pipefail
app=$(cd "$1" && pwd)
load=${2:-}
: "${DJL_CACHE_DIR:?set DJL_CACHE_DIR to where the image keeps libtorch}"
here=$(cd "$(dirname "$0")" && pwd)
java -Dai.djl.offline=true -cp "$app/lib/main/*" "$here/PrepareDjlCache.java"

# DJL reads only native/lib/pytorch.properties from the jar once the libraries are in its cache: keep that.
shopt -s nullglob
jars=("$app"/lib/main/ai.djl.pytorch.pytorch-native-*.jar)
if [ ${#jars[@]} -ne 1 ]; then
  echo "prepare-djl-cache: expected one libtorch jar in $app/lib/main, found ${#jars[@]}" >&2
  exit 1
fi
stub=$(mktemp -d)
(cd "$stub" && jar xf "${jars[0]}" native/lib/pytorch.properties)
[ -f "$stub/native/lib/pytorch.properties" ] || { echo "prepare-djl-cache: ${jars[0]} has no native/lib/pytorch.properties" >&2; exit 1; }
jar cf "${jars[0]}" -C "$stub" native/lib/pytorch.properties
rm -rf "$stub"
chmod -R a+rX,go-w "$DJL_CACHE_DIR"

if [ "$load" = "--load" ]; then # a fresh JVM on the shrunk jar: proves the cache alone is enough
  java -Dai.djl.offline=true -cp "$app/lib/main/*" "$here/PrepareDjlCache.java" --load
fi
