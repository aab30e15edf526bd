"""Maths notation: the LaTeX that teachers write in the editors (through the maths input's palette, or by hand).

In the browser KaTeX renders it (`trust: false`, HTML and MathML). Here it is
- checked before an edit holding it is accepted (`check`): a length limit, no control characters, and none of the
  commands that link, load or style (`\\href`, `\\url`, `\\html...`, `\\includegraphics`) or define macros;
- read into a small tree (`parse`) of the subset a maths teacher uses (fractions, mixed numbers, ratios, powers,
  roots, the usual symbols), never failing: what it does not know is kept as text;
- written out for exports, where there is no JavaScript: HTML with CSS (`to_html`; WeasyPrint stacks fractions
  with inline-blocks), linear text (`to_text`: "3/4", "2:3", "x²"), and Word equations (`to_omml`).
Every piece of text is escaped on the way out: nothing the author wrote becomes markup.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from html import escape

MAX_LATEX_CHARS = 1000
MAX_DEPTH = 24  # groups within groups; deeper than that is kept as text
_FORBIDDEN = re.compile(
    r"\\(?:href|url|html[a-z]*|includegraphics|(?:[gex]?def|let|newcommand|renewcommand|providecommand|"
    r"global|input|include|write|openout|catcode)(?![a-z]))|<\s*/?\s*script|javascript\s*:",
    re.IGNORECASE)
_CONTROL = re.compile("[\x00-\x08\x0b-\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ufeff]")


class InvalidLatex(ValueError):
    """LaTeX that a maths node may not hold."""


def check(latex: object) -> None:
    """Raise InvalidLatex unless `latex` is LaTeX a maths node may hold."""
    if not isinstance(latex, str):
        raise InvalidLatex("the formula is not text")
    if len(latex) > MAX_LATEX_CHARS:
        raise InvalidLatex(f"a formula can be at most {MAX_LATEX_CHARS} characters")
    if _CONTROL.search(latex):
        raise InvalidLatex("the formula holds control characters")
    if _FORBIDDEN.search(latex):
        raise InvalidLatex("the formula holds a command that is not allowed")


def is_allowed(latex: object) -> bool:
    try:
        check(latex)
    except InvalidLatex:
        return False
    return True


# --- the tree ---------------------------------------------------------------------------------------

@dataclass
class Sym:
    """A run of text: `kind` is "var" (a letter, italic), "num", "op" (an operator or relation) or "text"."""
    text: str
    kind: str = "text"


@dataclass
class Frac:
    num: list[Item]
    den: list[Item]


@dataclass
class Scripts:
    base: list[Item]
    sup: list[Item] | None = None
    sub: list[Item] | None = None


@dataclass
class Root:
    body: list[Item]
    index: list[Item] | None = None


@dataclass
class Over:
    """A line over (`\\overline`; `\\dot`, a recurring decimal's dot, is drawn as a line over too)."""
    body: list[Item] = field(default_factory=list)


Item = Sym | Frac | Scripts | Root | Over

SYMBOLS = {
    "times": "×", "div": "÷", "cdot": "·", "pm": "±", "mp": "∓", "le": "≤", "leq": "≤", "ge": "≥", "geq": "≥",
    "ne": "≠", "neq": "≠", "approx": "≈", "equiv": "≡", "sim": "∼", "propto": "∝", "infty": "∞", "degree": "°",
    "circ": "°", "angle": "∠", "triangle": "△", "perp": "⊥", "parallel": "∥", "therefore": "∴",
    "because": "∵", "rightarrow": "→", "to": "→", "leftarrow": "←", "Rightarrow": "⇒", "Leftrightarrow": "⇔",
    "ldots": "…", "dots": "…", "cdots": "⋯", "colon": ":", "ratio": ":", "lt": "<", "gt": ">", "prime": "′",
    "in": "∈", "notin": "∉", "cup": "∪", "cap": "∩", "subset": "⊂", "emptyset": "∅", "sum": "∑", "prod": "∏",
    "percent": "%", "lbrace": "{", "rbrace": "}", "langle": "⟨", "rangle": "⟩", "vert": "|", "mid": "|",
    "alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "epsilon": "ε", "varepsilon": "ε", "zeta": "ζ",
    "eta": "η", "theta": "θ", "iota": "ι", "kappa": "κ", "lambda": "λ", "mu": "μ", "nu": "ν", "xi": "ξ",
    "pi": "π", "rho": "ρ", "sigma": "σ", "tau": "τ", "upsilon": "υ", "phi": "φ", "varphi": "φ", "chi": "χ",
    "psi": "ψ", "omega": "ω", "Gamma": "Γ", "Delta": "Δ", "Theta": "Θ", "Lambda": "Λ", "Xi": "Ξ", "Pi": "Π",
    "Sigma": "Σ", "Phi": "Φ", "Psi": "Ψ", "Omega": "Ω",
}
SPACES = {",": " ", ":": " ", ";": " ", " ": " ", "!": "", "quad": "  ", "qquad": "   ", "enspace": " ",
          "thinspace": " "}
OPERATORS = set("+-−=<>×÷±≤≥≠≈:·∓≡∼∝→←⇒⇔∈∉∪∩⊂∴∵|")
# Commands whose argument is shown as it is: \text{...}, and fonts and styles that only change the look.
TEXT_COMMANDS = {"text", "textrm", "mathrm", "textbf", "mathbf", "textit", "mathit", "mathsf", "mathtt",
                 "operatorname", "boldsymbol", "bm", "displaystyle", "textstyle", "mbox", "unit"}
IGNORED = {"left", "right", "big", "Big", "bigg", "Bigg", "bigl", "bigr", "Bigl", "Bigr", "displaystyle",
           "textstyle", "scriptstyle", "limits", "nolimits"}
_TOKEN = re.compile(r"\\([A-Za-z]+)\s*|\\(.)|(\s+)|([0-9]+(?:\.[0-9]+)?)|(.)", re.S)


def _tokens(latex: str) -> list[tuple[str, str]]:
    """("cmd", name), ("sym", char), ("space", " "), ("num", digits) or ("char", c)."""
    out: list[tuple[str, str]] = []
    for match in _TOKEN.finditer(latex):
        word, escaped, space, number, char = match.groups()
        if word is not None:
            out.append(("cmd", word))
        elif escaped is not None:
            out.append(("sym", escaped))
        elif space is not None:
            out.append(("space", " "))
        elif number is not None:
            out.append(("num", number))
        else:
            out.append(("char", char))
    return out


class _Parser:
    def __init__(self, latex: str) -> None:
        self.tokens = _tokens(latex[:MAX_LATEX_CHARS])
        self.pos = 0

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def take(self) -> tuple[str, str]:
        token = self.tokens[self.pos]
        self.pos += 1
        return token

    def items(self, depth: int, until: str | None = None) -> list[Item]:
        """Items up to the end, or up to (and past) the closing `until` character."""
        out: list[Item] = []
        while (token := self.peek()) is not None:
            if until is not None and token == ("char", until):
                self.pos += 1
                return out
            self.one(out, depth)
        return out

    def argument(self, depth: int) -> list[Item]:
        """One argument: {a group}, or the next single token."""
        while self.peek() == ("space", " "):
            self.pos += 1
        token = self.peek()
        if token is None:
            return []
        if token == ("char", "{"):
            self.pos += 1
            return self.items(depth + 1, "}") if depth < MAX_DEPTH else self._raw_group()
        out: list[Item] = []
        if token[0] == "num" and len(token[1]) > 1:  # \frac34 is 3/4: one digit is one argument
            self.take()
            out.append(Sym(token[1][0], "num"))
            self.tokens.insert(self.pos, ("num", token[1][1:]))
            return out
        self.one(out, depth + 1)
        return out

    def optional(self, depth: int) -> list[Item] | None:
        if self.peek() != ("char", "["):
            return None
        self.pos += 1
        return self.items(depth + 1, "]")

    def _raw_group(self) -> list[Item]:
        """Too deep: the rest of the group as text, braces balanced."""
        level, parts = 1, []
        while (token := self.peek()) is not None:
            self.pos += 1
            if token == ("char", "{"):
                level += 1
            elif token == ("char", "}"):
                level -= 1
                if level == 0:
                    break
            parts.append(("\\" + token[1]) if token[0] == "cmd" else token[1])
        return [Sym("".join(parts))]

    def one(self, out: list[Item], depth: int) -> None:
        kind, value = self.take()
        if kind == "num":
            out.append(Sym(value, "num"))
        elif kind == "space":
            pass  # TeX ignores spaces in maths
        elif kind == "sym":
            out.append(Sym(SPACES[value]) if value in SPACES else Sym(value, "op" if value in OPERATORS else "text"))
        elif kind == "char":
            if value in "^_":
                self.scripts(out, value, depth)
            elif value == "{":
                out.extend(self.items(depth + 1, "}") if depth < MAX_DEPTH else self._raw_group())
            elif value == "}":
                pass  # unbalanced: dropped, as KaTeX would refuse it anyway
            elif value in "&~":
                out.append(Sym(" "))
            elif value.isalpha():
                out.append(Sym(value, "var"))
            elif value == "-":
                out.append(Sym("−", "op"))
            elif value == "*":
                out.append(Sym("×", "op"))
            else:
                out.append(Sym(value, "op" if value in OPERATORS else "text"))
        else:
            self.command(out, value, depth)

    def scripts(self, out: list[Item], mark: str, depth: int) -> None:
        last = out[-1] if out else None
        if isinstance(last, Scripts) and (last.sup if mark == "^" else last.sub) is None:
            target = last  # x_1^2: both scripts on one base
            out.pop()
        else:
            target = Scripts([out.pop()] if out else [])
        part = self.argument(depth)
        if mark == "^":
            target.sup = part
        else:
            target.sub = part
        out.append(target)

    def command(self, out: list[Item], name: str, depth: int) -> None:
        if depth >= MAX_DEPTH:
            out.append(Sym("\\" + name))
        elif name in ("frac", "dfrac", "tfrac", "cfrac"):
            out.append(Frac(self.argument(depth), self.argument(depth)))
        elif name == "sqrt":
            index = self.optional(depth)
            out.append(Root(self.argument(depth), index))
        elif name in ("overline", "bar", "dot", "overrightarrow", "vec", "hat"):
            out.append(Over(self.argument(depth)))
        elif name in TEXT_COMMANDS:
            if self.peek() in (("char", "{"),):
                self.pos += 1
                as_typed = name.startswith("text") or name == "mbox"
                out.extend(self.text_group() if as_typed else self.items(depth + 1, "}"))
        elif name in SYMBOLS:
            text = SYMBOLS[name]
            out.append(Sym(text, "op" if text in OPERATORS else ("var" if text.isalpha() else "text")))
        elif name in SPACES:
            out.append(Sym(SPACES[name]))
        elif name in IGNORED:
            pass
        elif name == "mathbin" or name == "mathrel":
            out.extend(self.argument(depth))
        else:
            out.append(Sym("\\" + name))  # unknown: shown as written

    def text_group(self) -> list[Item]:
        """The argument of \\text{...}: kept as typed (braces balanced)."""
        level, parts = 1, []
        while (token := self.peek()) is not None:
            self.pos += 1
            if token == ("char", "{"):
                level += 1
            elif token == ("char", "}"):
                level -= 1
                if level == 0:
                    break
            parts.append(("\\" + token[1]) if token[0] == "cmd" else token[1])
        return [Sym("".join(parts))]


def parse(latex: str) -> list[Item]:
    """The tree of `latex`; never fails (what it does not know is text)."""
    return _Parser(latex).items(0)


# --- HTML for exports -------------------------------------------------------------------------------

_SCHEME = re.compile(r"javascript(\s*):", re.IGNORECASE)


def to_html(latex: str, display: bool = False) -> str:
    """Escaped HTML (spans styled in the export templates' CSS), labelled with the linear form. LaTeX that `check`
    refuses (found in an old document, say) is left out: only a placeholder is shown."""
    kind = "maths-display" if display else "maths-inline"
    tag = "div" if display else "span"
    if not is_allowed(latex):
        return f'<{tag} class="maths {kind}">[formula left out]</{tag}>'
    label = escape(to_text(latex), quote=True)
    html = f'<{tag} class="maths {kind}" role="math" aria-label="{label}">{_html(parse(latex))}</{tag}>'
    return _SCHEME.sub(r"javascript\1&#58;", html)  # text pieced together (\text{java}\text{script:}) stays inert


def _html(items: list[Item]) -> str:
    parts: list[str] = []
    for item in items:
        if isinstance(item, Sym):
            text = escape(item.text)
            if item.kind == "var":
                parts.append(f"<i>{text}</i>")
            elif item.kind == "op":
                parts.append(f'<span class="m-op">{text}</span>')
            else:
                parts.append(text)
        elif isinstance(item, Frac):
            parts.append(f'<span class="m-frac"><span class="m-num">{_html(item.num) or "&#8203;"}</span>'
                         f'<span class="m-den">{_html(item.den) or "&#8203;"}</span></span>')
        elif isinstance(item, Scripts):
            parts.append(_html(item.base))
            if item.sup is not None:
                parts.append(f"<sup>{_html(item.sup)}</sup>")
            if item.sub is not None:
                parts.append(f"<sub>{_html(item.sub)}</sub>")
        elif isinstance(item, Root):
            index = f'<sup class="m-index">{_html(item.index)}</sup>' if item.index else ""
            parts.append(f'<span class="m-root">{index}√<span class="m-radicand">{_html(item.body)}</span></span>')
        else:
            parts.append(f'<span class="m-over">{_html(item.body)}</span>')
    return "".join(parts)


# --- linear text ------------------------------------------------------------------------------------

SUPERSCRIPTS = str.maketrans("0123456789+−-=()n", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁻⁼⁽⁾ⁿ")
SUBSCRIPTS = str.maketrans("0123456789+−-=()", "₀₁₂₃₄₅₆₇₈₉₊₋₋₌₍₎")


def to_text(latex: str) -> str:
    """A linear form anyone can read: 3/4, 2 1/3, 2:3, x², √(2x), (a+b)/c."""
    return _text(parse(latex)).strip()


def _text(items: list[Item]) -> str:
    parts: list[str] = []
    for index, item in enumerate(items):
        if isinstance(item, Sym):
            parts.append(f" {item.text} " if item.kind == "op" and item.text not in "()|" else item.text)
        elif isinstance(item, Frac):
            before = items[index - 1] if index else None
            if isinstance(before, Sym) and before.kind == "num":
                parts.append(" ")  # a mixed number: 2 1/3
            parts.append(f"{_bracketed(item.num)}/{_bracketed(item.den)}")
        elif isinstance(item, Scripts):
            parts.append(_text(item.base))
            for part, table, mark in ((item.sub, SUBSCRIPTS, "_"), (item.sup, SUPERSCRIPTS, "^")):
                if part is None:
                    continue
                plain = _text(part).strip()
                small = plain.translate(table)
                if all(c in "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁿ₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎" for c in small) and small:
                    parts.append(small)
                else:
                    parts.append(f"{mark}({plain})")
        elif isinstance(item, Root):
            index_text = _text(item.index).strip().translate(SUPERSCRIPTS) if item.index else ""
            parts.append(f"{index_text}√{_bracketed(item.body)}")
        else:
            parts.append(f"{_text(item.body)}\u0305" if len(_text(item.body)) == 1 else f"overline({_text(item.body)})")
    return re.sub(r" {2,}", " ", "".join(parts))


def _bracketed(items: list[Item]) -> str:
    text = _text(items).strip()
    simple = re.fullmatch(r"[0-9.]+|[^\W\d_]", text) is not None
    return text if simple else f"({text})"


# --- Word equations (OMML) --------------------------------------------------------------------------

M = "http://schemas.openxmlformats.org/officeDocument/2006/math"


def to_omml(latex: str):
    """An `m:oMath` element (lxml) for python-docx: Word shows a real equation, stacked fractions included."""
    from lxml import etree

    def el(tag: str, *children):
        node = etree.Element(f"{{{M}}}{tag}", nsmap={"m": M})
        for child in children:
            node.append(child)
        return node

    def run(text: str, plain: bool):
        r = el("r")
        if plain:
            rpr = el("rPr")
            rpr.append(el("sty"))
            rpr[0].set(f"{{{M}}}val", "p")
            r.append(rpr)
        t = el("t")
        t.text = text
        t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        r.append(t)
        return r

    def part(tag: str, items: list[Item]):
        node = el(tag)
        for child in convert(items):
            node.append(child)
        return node

    def convert(items: list[Item]) -> Iterator:
        for item in items:
            if isinstance(item, Sym):
                yield run(item.text, item.kind != "var")
            elif isinstance(item, Frac):
                yield el("f", part("num", item.num), part("den", item.den))
            elif isinstance(item, Scripts):
                if item.sup is not None and item.sub is not None:
                    yield el("sSubSup", part("e", item.base), part("sub", item.sub), part("sup", item.sup))
                elif item.sup is not None:
                    yield el("sSup", part("e", item.base), part("sup", item.sup))
                else:
                    yield el("sSub", part("e", item.base), part("sub", item.sub or []))
            elif isinstance(item, Root):
                props = el("radPr")
                if not item.index:
                    hide = el("degHide")
                    hide.set(f"{{{M}}}val", "1")
                    props.append(hide)
                yield el("rad", props, part("deg", item.index or []), part("e", item.body))
            else:
                yield el("bar", el("barPr", _pos_top(el)), part("e", item.body))

    return part("oMath", parse(latex))


def _pos_top(el):
    pos = el("pos")
    pos.set(f"{{{M}}}val", "top")
    return pos


# --- $...$ in plain text ----------------------------------------------------------------------------

# As in the browser (static/src/_maths-text.js): $...$ on one line, not $5 and $10 (a digit after the closing $).
INLINE = re.compile(r"\$(?!\s)([^$\n]{1,1000}?)(?<!\s)\$(?!\d)")  # 1000: MAX_LATEX_CHARS


def text_to_html(text: str) -> str:
    """Plain text (a note, a comment) as escaped HTML, with its $...$ maths rendered (allowed LaTeX only)."""
    parts: list[str] = []
    at = 0
    for match in INLINE.finditer(text):
        if not is_allowed(match[1]):
            continue
        parts.append(escape(text[at:match.start()]))
        parts.append(to_html(match[1]))
        at = match.end()
    parts.append(escape(text[at:]))
    return "".join(parts)
