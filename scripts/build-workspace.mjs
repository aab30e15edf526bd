/* global console, process */
// Builds dist/workspace.js (the workspace page: React, Excalidraw, Tiptap) with esbuild's API, for two things its
// command line cannot do (called by scripts/build-bundle.sh):
// - Excalidraw loads its language from ./locales/<code>-<hash>.js with import(): English is bundled, the other 50
//   (1.7 MB, never asked for: the board is in English) stay out.
// - Excalidraw names a CDN (esm.sh) as the fallback of every font it loads; the fallback becomes our own address
//   (window.EXCALIDRAW_ASSET_PATH, static/src/_excalidraw-assets.js), so the page never asks another origin.
import * as esbuild from 'esbuild'
import { readFile } from 'node:fs/promises'

const CDN = '`https://esm.sh/${M.PKG_NAME?`${M.PKG_NAME}@${M.PKG_VERSION}`:"@excalidraw/excalidraw"}/dist/prod/`'
let cdnReplaced = 0

const excalidrawOffline = {
  name: 'excalidraw-offline',
  setup (build) {
    build.onResolve({ filter: /^\.\/locales\// }, (args) => {
      if (!args.importer.includes('@excalidraw')) return undefined
      return /\/en-[A-Z0-9]+\.js$/.test(args.path) ? undefined : { path: args.path, external: true }
    })
    build.onLoad({ filter: /@excalidraw[\\/]excalidraw[\\/]dist[\\/]prod[\\/]chunk-[A-Z0-9]+\.js$/ }, async (args) => {
      const source = await readFile(args.path, 'utf8')
      if (!source.includes(CDN)) return undefined
      cdnReplaced++
      return { contents: source.split(CDN).join('(window.EXCALIDRAW_ASSET_PATH)'), loader: 'js' }
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
if (cdnReplaced !== 1) {
  console.error(`build-workspace: Excalidraw's CDN fallback found ${cdnReplaced} times (expected once): check its new version`)
  process.exit(1)
}
