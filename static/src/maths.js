// KaTeX, its CSS and fonts (served from dist/, no CDN) and the maths input's styles, as one bundle shared by every
// page that shows maths (see _katex.js). Sets window.katex.
import katex from 'katex'
import 'katex/dist/katex.min.css'
import './maths.css'

window.katex = katex
