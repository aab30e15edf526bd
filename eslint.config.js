// ESLint for the browser code (static/src, bundled by esbuild) and its Node tests (static/test).
// `make js-check` runs it with the tests.
import js from '@eslint/js'
import globals from 'globals'

export default [
  { ignores: ['static/dist/', 'node_modules/', '.venv/'] },
  js.configs.recommended,
  {
    files: ['static/src/**/*.js'],
    languageOptions: { ecmaVersion: 2022, sourceType: 'module', globals: globals.browser }
  },
  {
    files: ['static/test/**/*.mjs', 'eslint.config.js'],
    languageOptions: { ecmaVersion: 2022, sourceType: 'module', globals: globals.node }
  }
]
