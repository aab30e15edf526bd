"""$...$ maths in plain text: discussion posts (Markdown) and observation notes (the timeline, the summary PDF)."""

from __future__ import annotations

from collab.discussions.markdown import render


def test_maths_in_a_post_is_kept_out_of_markdown_and_marked_for_katex():
    html = render(r"Pupils wrote $x_1 + y_2$ and *then* $\frac{1}{2}$.")
    assert '<span class="maths-tex" data-latex="x_1 + y_2">$x_1 + y_2$</span>' in html
    assert r'<span class="maths-tex" data-latex="\frac{1}{2}">$\frac{1}{2}$</span>' in html
    assert "<em>then</em>" in html and html.count("<em>") == 1  # the underscores were not emphasis


def test_maths_in_a_post_is_escaped_and_refused_latex_stays_text():
    html = render(r'$"><img src=x onerror=alert(1)>$ and $\href{javascript:alert(1)}{x}$ and <script>')
    assert "<img" not in html and "<script" not in html and 'data-latex="&quot;&gt;&lt;img' in html
    assert r"$\href{javascript:alert(1)}{x}$" in html and html.count("maths-tex") == 1


def test_money_in_a_post_is_not_maths():
    assert "maths-tex" not in render("Tickets cost $5 and $10.")


def test_private_use_characters_typed_into_a_post_cannot_fake_a_formula():
    assert "maths-tex" not in render("\ue0000\ue001 and text")


def test_a_note_on_the_timeline_shows_its_maths_and_escapes_the_rest(app):
    template = app.jinja_env.from_string("{{ text|maths_text }}")
    html = template.render(text=r"Most said $\frac{3}{4}$ <b>not</b> 0.75")
    assert '<span class="m-frac">' in html and "&lt;b&gt;not&lt;/b&gt;" in html
