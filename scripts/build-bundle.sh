#!/usr/bin/env bash
# Bundles static/src/*.js into static/dist/ with esbuild (no CDN: everything the browser runs is served by us).
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p static/dist
entries=$(ls static/src/*.js 2>/dev/null | grep -v '/_' || true)
[ -n "$entries" ] || { echo "no entry points in static/src"; exit 0; }
node_modules/.bin/esbuild $entries --bundle --minify --sourcemap --format=iife --target=es2019 \
  --outdir=static/dist --log-level=warning
