#!/usr/bin/env bash
# Bundles static/src/*.js into static/dist/ with esbuild (no CDN: everything the browser runs is served by us).
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p static/dist
entries=$(ls static/src/*.js 2>/dev/null | grep -v '/_' | grep -v '/sw\.js$' | grep -v '/maths\.js$' \
  | grep -v '/workspace\.js$' || true)
[ -n "$entries" ] || { echo "no entry points in static/src"; exit 0; }
# KaTeX is not in these bundles: `katex` is static/src/_katex.js, which uses the one in dist/maths.js (below).
node_modules/.bin/esbuild $entries --bundle --minify --sourcemap --format=iife --target=es2019 \
  --alias:katex=./static/src/_katex.js --outdir=static/dist --log-level=warning
# KaTeX with its CSS and fonts (dist/maths.js, dist/maths.css, dist/fonts/), for the pages that show maths. Every
# browser we serve reads WOFF2, the first font in KaTeX's CSS: the WOFF and TTF copies it also names are left out.
node_modules/.bin/esbuild static/src/maths.js --bundle --minify --sourcemap --format=iife --target=es2019 \
  --loader:.woff2=file --external:*.woff --external:*.ttf --asset-names=fonts/[name]-[hash] \
  --outdir=static/dist --log-level=warning
# The workspace page's bundle, on its own: React and Excalidraw (the whiteboard) are only in it
# (scripts/build-workspace.mjs). Excalidraw's fonts are copied whole to dist/excalidraw/fonts, where it loads them
# (window.EXCALIDRAW_ASSET_PATH, static/src/_excalidraw-assets.js), never from its CDN.
rm -rf static/dist/excalidraw
node scripts/build-workspace.mjs
mkdir -p static/dist/excalidraw
cp -r node_modules/@excalidraw/excalidraw/dist/prod/fonts static/dist/excalidraw/fonts
# The service worker is built on its own: Workbox reads process.env.NODE_ENV (production: no debug logging), and
# its precache list (self.__WB_MANIFEST) is filled in by the server when it sends /sw.js (collab/web/service_worker.py).
node_modules/.bin/esbuild static/src/sw.js --bundle --minify --sourcemap --format=iife --target=es2019 \
  --define:process.env.NODE_ENV='"production"' --outfile=static/dist/sw.js --log-level=warning
# A gzipped copy of each bundle and stylesheet (-n: no name or time inside, so a rebuild of the same bytes gives the
# same copy), sent to the browsers that accept gzip (collab/web/static_files.py): about a third of the bytes.
# Not the source maps (only developer tools fetch them) and not the fonts (WOFF2 is compressed already).
find static/dist -maxdepth 1 -type f \( -name '*.js' -o -name '*.css' \) -size +1k -exec gzip -9 -n -k -f {} +
