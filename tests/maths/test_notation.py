"""Maths notation: which LaTeX a formula may hold, and how exports show it (HTML, linear text, Word equations)."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from collab.maths import notation
from collab.maths.schema import InvalidNode, check_attribute


@pytest.mark.parametrize("latex", [r"\frac{3}{4}", "2:3", r"2\frac{1}{3}", r"x^{2} + \sqrt{16} = \pi",
                                   r"3 \times 4 \div 2 \le 6 \ne 7", r"\left(\frac{a}{b}\right)", r"\text{cm}^2"])
def test_the_notation_a_maths_teacher_writes_is_allowed(latex):
    notation.check(latex)


@pytest.mark.parametrize("latex", [r"\href{javascript:alert(1)}{x}", r"\url{http://example.com}",
                                   r"\htmlClass{x}{y}", r"\htmlStyle{color:red}{x}", r"\HTMLid{a}{b}",
                                   r"\includegraphics{a.png}", "<script>alert(1)</script>", "x </ script>",
                                   r"\def\a{\a\a}\a", r"\newcommand{\x}{y}", "javascript:alert(1)", "a\x00b", "a\x1bb",
                                   "x" * (notation.MAX_LATEX_CHARS + 1)])
def test_links_html_images_macros_control_characters_and_long_formulas_are_refused(latex):
    with pytest.raises(notation.InvalidLatex):
        notation.check(latex)


def test_a_formula_that_is_not_text_is_refused():
    with pytest.raises(notation.InvalidLatex):
        notation.check(3)


def test_the_schema_checks_the_latex_of_both_maths_nodes_and_nothing_else():
    for tag in ("inlineMath", "blockMath"):
        with pytest.raises(InvalidNode):
            check_attribute(tag, "latex", r"\href{x}{y}")
        check_attribute(tag, "latex", r"\frac{1}{2}")
    check_attribute("paragraph", "latex", r"\href{x}{y}")  # not a maths node: its own checks, if any


@pytest.mark.parametrize(("latex", "text"), [
    (r"\frac{3}{4}", "3/4"), (r"2\frac{1}{3}", "2 1/3"), ("2:3", "2 : 3"), ("x^2", "x²"), (r"\sqrt{2x}", "√(2x)"),
    (r"\frac{a+b}{c}", "(a + b)/c"), (r"\frac34", "3/4"), (r"3 \times 4", "3 × 4"), (r"x_1^2", "x₁²"),
    (r"\sqrt[3]{8}", "³√8"), (r"\text{cm}^2", "cm²"), (r"\left(\frac{1}{2}\right)^{2}", "(1/2)²"),
])
def test_linear_text_reads_as_a_teacher_would_write_it(latex, text):
    assert notation.to_text(latex) == text


def test_html_stacks_a_fraction_and_labels_it_for_screen_readers():
    html = notation.to_html(r"\frac{3}{4}")
    assert '<span class="m-frac"><span class="m-num">3</span><span class="m-den">4</span></span>' in html
    assert 'role="math" aria-label="3/4"' in html


def test_html_of_refused_latex_is_a_placeholder():
    html = notation.to_html(r"\href{javascript:alert(1)}{x}")
    assert html == '<span class="maths maths-inline">[formula left out]</span>'


def test_text_pieced_together_into_a_scheme_stays_inert():
    assert "javascript:" not in notation.to_html(r"\text{java}\text{script:}alert(1)")


def test_omml_is_a_word_equation_with_a_stacked_fraction():
    xml = etree.tostring(notation.to_omml(r"2\frac{1}{3} + x^{2} + \sqrt{2}")).decode()
    assert xml.startswith("<m:oMath") and "<m:f><m:num>" in xml and "<m:sSup>" in xml and "<m:rad>" in xml


def test_dollars_in_plain_text_become_maths_and_everything_else_is_escaped():
    assert notation.text_to_html("costs $5 and $10") == "costs $5 and $10"  # a digit after the closing $: money
    html = notation.text_to_html(r"Share $3:4$ of £5 <b>$\frac{1}{2}$</b> $\href{x}{y}$")
    assert html.count('class="maths maths-inline"') == 2
    assert "&lt;b&gt;" in html and "<b>" not in html
    assert r"$\href{x}{y}$" in html  # refused: left as typed, escaped


ALLOWED_TAGS = {"span", "div", "i", "sup", "sub"}
ALLOWED_ATTRIBUTES = {"class", "role", "aria-label"}


class _Audit(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.bad: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag not in ALLOWED_TAGS:
            self.bad.append(tag)
        self.bad.extend(name for name, _ in attrs if name not in ALLOWED_ATTRIBUTES)
        self.bad.extend(value for _, value in attrs if value and "javascript:" in value.lower())


PIECES = list("\\{}[]^_&$%#~<>:/=+-*()0123456789 abcxyz\n\x00\u2028") + [
    "\\frac", "\\sqrt", "\\text", "\\href", "script", "javascript:", "\\html", "\\left", "\\right", "\\times",
    "\\overline", "java", "script:"]
LATEXISH = st.lists(st.sampled_from(PIECES), max_size=120).map("".join) | st.text(max_size=300)


@settings(max_examples=400, deadline=None)
@given(LATEXISH)
def test_the_checker_and_renderers_never_fail_and_never_emit_active_content(latex):
    allowed = notation.is_allowed(latex)
    html = notation.to_html(latex) + notation.to_html(latex, display=True)
    assert "<script" not in html.lower() and "javascript:" not in html.lower()
    in_text = notation.text_to_html(latex)  # plain text around the maths: escaped, so "javascript:" is only text
    assert "<script" not in in_text.lower()
    audit = _Audit()
    audit.feed(html + in_text)
    assert audit.bad == []
    notation.to_text(latex)
    if allowed:
        etree.tostring(notation.to_omml(latex.replace("\ufffe", "")))


@settings(max_examples=50, deadline=None)
@given(st.integers(min_value=1, max_value=400))
def test_deep_nesting_is_drawn_without_overflowing_the_stack(depth):
    for latex in ("{" * depth + "x" + "}" * depth, "\\frac" * depth, "x^" * depth, "\\sqrt{" * depth,
                  "\\frac{" * depth):
        notation.to_html(latex[:notation.MAX_LATEX_CHARS])
        notation.to_text(latex[:notation.MAX_LATEX_CHARS])
