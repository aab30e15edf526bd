"""The year at a glance page: who sees it, what it shows, and its charts."""

from __future__ import annotations

import pytest

from collab.reports.charts import Row, bar_chart


def test_the_lead_sees_the_year_with_its_figures_and_exports(client, world, year, login_as):
    login_as(world.lead)
    page = client.get(f"/groups/{world.group.id}/year").get_data(as_text=True)
    assert "The year at a glance" in page
    assert "60%" in page and "66.7%" in page and "50%" in page  # the year, then each session
    assert "1 of 3" in page  # agreed actions done
    assert f"/groups/{world.group.id}/year/attendance.csv" in page
    assert f"/groups/{world.group.id}/year.pdf" in page


def test_every_chart_is_an_accessible_image_with_a_table_beside_it(client, world, year, login_as):
    login_as(world.lead)
    page = client.get(f"/groups/{world.group.id}/year").get_data(as_text=True)
    assert page.count('role="img"') == 5
    for chart in ("chart-kinds", "chart-sessions", "chart-school-rates", "chart-school-present", "chart-work"):
        assert f'aria-labelledby="{chart}-title {chart}-desc"' in page
        assert f'<title id="{chart}-title">' in page and f'<desc id="{chart}-desc">' in page
    assert page.count("<table") == 4


def test_the_hubs_administrator_sees_the_year_and_may_export_it(client, world, year, login_as):
    login_as(world.admin)
    assert client.get(f"/groups/{world.group.id}/year").status_code == 200
    assert client.get(f"/groups/{world.group.id}/year/summary.csv").status_code == 200


def test_a_member_sees_the_year_read_only(client, world, year, login_as):
    login_as(world.advocate)
    page = client.get(f"/groups/{world.group.id}/year").get_data(as_text=True)
    assert "60%" in page and "attendance.csv" not in page
    for path in ("year/attendance.csv", "year/summary.csv", "year.pdf"):
        assert client.get(f"/groups/{world.group.id}/{path}").status_code == 403


@pytest.mark.parametrize("who", ["outsider", "other_admin"])
@pytest.mark.parametrize("path", ["year", "year/attendance.csv", "year/summary.csv", "year.pdf"])
def test_someone_outside_the_work_group_gets_404(client, world, login_as, who, path):
    login_as(getattr(world, who))
    assert client.get(f"/groups/{world.group.id}/{path}").status_code == 404


def test_signed_out_people_are_sent_to_sign_in(client, world):
    assert client.get(f"/groups/{world.group.id}/year").status_code == 302


def test_the_work_group_page_links_to_its_year(client, world, login_as):
    login_as(world.advocate)
    assert f"/groups/{world.group.id}/year" in client.get(f"/groups/{world.group.id}").get_data(as_text=True)


def test_an_empty_year_shows_no_sessions_yet(client, world, login_as):
    login_as(world.lead)
    page = client.get(f"/groups/{world.group.id}/year").get_data(as_text=True)
    assert "No sessions yet." in page and "No session has been held yet." in page


def test_a_chart_escapes_its_text():
    svg = bar_chart("c", "<script>", 'say "hi" & <b>', [Row("<img src=x onerror=alert(1)>", (2,))], "<axis>")
    assert "<script>" not in svg and "<img" not in svg and "<b>" not in svg and "<axis>" not in svg
    assert "&lt;script&gt;" in svg and "&lt;img src=x" in svg


def test_a_chart_has_its_axis_title_and_ticks():
    svg = str(bar_chart("c", "Title", "Desc", [Row("A", (3,)), Row("B", (7,))], "Sessions"))
    assert ">Sessions</text>" in svg and ">0</text>" in svg and ">8</text>" in svg  # 0, 2, ..., 8
