#!/usr/bin/env bash
# Puts the OHIF viewer's prebuilt files (the dist/ folder of the npm package pinned in package.json, "ohif") into
# viewer/ohif/, which the node serves at /viewer, and installs playwright-core for the browser test (npm ci).
# @ohif/app is fetched as its package tarball alone (npm pack): its dist/ is self-contained, and its declared
# dependencies are build-time ones (3.13.2 even names an @ohif/i18n version that was never published).
# The tarball's sha512 must equal the pinned integrity. Does nothing when viewer/ohif/ already holds that version.
# Usage: viewer/fetch-ohif.sh
set -euo pipefail
cd "$(dirname "$0")"
spec=$(node -p 'require("./package.json").ohif.package')
integrity=$(node -p 'require("./package.json").ohif.integrity')

locked=$(node -p 'require("./package-lock.json").packages["node_modules/playwright-core"].version')
if [ "$(node -p 'try { require("./node_modules/playwright-core/package.json").version } catch (e) { "" }')" != "$locked" ]; then
  npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
fi

if [ -f ohif/.livernode-ohif ] && [ "$(cat ohif/.livernode-ohif)" = "$spec $integrity" ]; then
  exit 0
fi
echo "livernode: fetching the OHIF viewer ($spec)"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
tarball=$(cd "$tmp" && npm pack "$spec" --silent)
actual=$(node -e 'const c = require("crypto"), fs = require("fs");
console.log("sha512-" + c.createHash("sha512").update(fs.readFileSync(process.argv[1])).digest("base64"))' "$tmp/$tarball")
if [ "$actual" != "$integrity" ]; then
  echo "livernode: $spec: tarball integrity $actual differs from the pinned $integrity (viewer/package.json)" >&2
  exit 1
fi
tar -xzf "$tmp/$tarball" -C "$tmp" package/dist
rm -rf ohif
mv "$tmp/package/dist" ohif
echo "$spec $integrity" > ohif/.livernode-ohif
echo "livernode: OHIF viewer in viewer/ohif ($(du -sh ohif | cut -f1))"
