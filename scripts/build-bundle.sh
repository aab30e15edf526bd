#!/usr/bin/env bash
# Bundles static/src/*.js into static/dist/ with esbuild (no CDN: everything the browser runs is served by us).
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p static/dist
entries=$(ls static/src/*.js 2>/dev/null | grep -v '/_' | grep -v '/sw\.js$' || true)
[ -n "$entries" ] || { echo "no entry points in static/src"; exit 0; }
node_modules/.bin/esbuild $entries --bundle --minify --sourcemap --format=iife --target=es2019 \
  --outdir=static/dist --log-level=warning
# The service worker is built on its own: Workbox reads process.env.NODE_ENV (production: no debug logging), and
# its precache list (self.__WB_MANIFEST) is filled in by the server when it sends /sw.js (collab/web/service_worker.py).
node_modules/.bin/esbuild static/src/sw.js --bundle --minify --sourcemap --format=iife --target=es2019 \
  --define:process.env.NODE_ENV='"production"' --outfile=static/dist/sw.js --log-level=warning
