/* global console, process */
// Builds dist/workspace.js (the workspace page: React, Excalidraw, Tiptap) with esbuild's API, for what its command
// line cannot do (called by scripts/build-bundle.sh):
// - Excalidraw loads its language from ./locales/<code>-<hash>.js with import(): English is bundled, the other 50
//   (1.7 MB, never asked for: the board is in English) stay out.
// - Excalidraw names a CDN (esm.sh) as the fallback of every font it loads; the fallback becomes our own address
//   (window.EXCALIDRAW_ASSET_PATH, static/src/_excalidraw-assets.js), so the page never asks another origin.
// - Its embeds of tweets and Reddit posts load those sites' widget scripts. The board allows no embeds (the page
//   says so to Excalidraw and the server refuses them), so the script tags are taken out: nothing in the bundle
//   names a script on another origin.
// Each replacement must be made exactly once: a new Excalidraw that moved one fails the build.
import * as esbuild from 'esbuild'
import { readFile } from 'node:fs/promises'

const REPLACEMENTS = [
  ['`https://esm.sh/${M.PKG_NAME?`${M.PKG_NAME}@${M.PKG_VERSION}`:"@excalidraw/excalidraw"}/dist/prod/`',
    '(window.EXCALIDRAW_ASSET_PATH)'],
  [' <script async src="https://platform.twitter.com/widgets.js" charset="utf-8"><\\/script>', ''],
  ['<script async="" src="https://embed.reddit.com/widgets.js" charset="UTF-8"><\\/script>', '']
]
const made = REPLACEMENTS.map(() => 0)

const excalidrawOffline = {
  name: 'excalidraw-offline',
  setup (build) {
    build.onResolve({ filter: /^\.\/locales\// }, (args) => {
      if (!args.importer.includes('@excalidraw')) return undefined
      return /\/en-[A-Z0-9]+\.js$/.test(args.path) ? undefined : { path: args.path, external: true }
    })
    build.onLoad({ filter: /@excalidraw[\\/]excalidraw[\\/]dist[\\/]prod[\\/]chunk-[A-Z0-9]+\.js$/ }, async (args) => {
      let source = await readFile(args.path, 'utf8')
      let changed = false
      REPLACEMENTS.forEach(([from, to], i) => {
        const parts = source.split(from)
        if (parts.length === 1) return
        made[i] += parts.length - 1
        source = parts.join(to)
        changed = true
      })
      return changed ? { contents: source, loader: 'js' } : undefined
    })
  }
}

await esbuild.build({
  entryPoints: ['static/src/workspace.js'],
  bundle: true,
  minify: true,
  sourcemap: true,
  format: 'iife',
  target: 'es2020',
  outdir: 'static/dist',
  alias: { katex: './static/src/_katex.js', '@excalidraw/mermaid-to-excalidraw': './static/src/_no-mermaid.js' },
  define: { 'process.env.NODE_ENV': '"production"' },
  conditions: ['production'],
  loader: { '.woff2': 'file' },
  assetNames: 'excalidraw/css-fonts/[name]-[hash]',
  logLevel: 'error',
  plugins: [excalidrawOffline]
})
const wrong = REPLACEMENTS.map(([from], i) => [from, made[i]]).filter(([, times]) => times !== 1)
for (const [from, times] of wrong) {
  console.error(`build-workspace: found ${times} times, expected once (check the new Excalidraw): ${from}`)
}
if (wrong.length) process.exit(1)
