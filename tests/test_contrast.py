"""The theme's colours against WCAG 2.1's contrast minimums, worked by hand, and the warnings
at the key that set a colour."""

from __future__ import annotations

import pytest
import yaml

from gtmgen.contrast import ratio
from tests.builders import playbook


def test_ratios_worked_by_hand() -> None:
    # #999999: 153/255 = 0.6 → ((0.6 + 0.055) / 1.055)^2.4 = 0.3185; (1 + 0.05) / (0.3185 +
    # 0.05) = 2.85. #FFD700: R 1, G 215/255 → 0.6796, B 0: L = 0.2126 + 0.7152 × 0.6796 =
    # 0.6986; 1.05 / 0.7486 = 1.40. Black on white: 1.05 / 0.05 = 21.
    assert ratio("#999999", "#FFFFFF") == pytest.approx(2.85, abs=0.005)
    assert ratio("#FFD700", "#FFFFFF") == pytest.approx(1.40, abs=0.005)
    assert ratio("#000000", "#FFFFFF") == pytest.approx(21)
    assert ratio("#FFFFFF", "#000000") == ratio("#000000", "#FFFFFF")


def test_a_theme_below_the_minimums_is_warned_at_its_keys(gtmgen, tmp_path) -> None:
    (tmp_path / "playbook.yaml").write_text(yaml.safe_dump(playbook(), sort_keys=False))
    (tmp_path / "theme.yaml").write_text(
        "colours:\n"
        "  text: '#999999'\n"
        "  chart: ['#1F4E79', '#FFD700']\n")
    run = gtmgen("validate", tmp_path / "playbook.yaml")
    assert run.code == 0  # a warning, not an error
    theme = tmp_path / "theme.yaml"
    assert (f"{theme}:2:9: warning: colours.text #999999 on white is 2.85:1; running text "
            "needs at least 4.5:1 to be read by everyone (WCAG 2.1 AA)") in run.err
    assert (f"{theme}:3:22: warning: colours.chart[1] #FFD700 on white is 1.40:1; chart marks "
            "need at least 3:1") in run.err
    assert "colours.chart[0]" not in run.err  # #1F4E79 is 8.6:1
    strict = gtmgen("validate", tmp_path / "playbook.yaml", "--strict")
    assert strict.code == 1


def test_the_playbooks_own_brand_colours_are_checked_where_they_are_written(gtmgen,
                                                                         tmp_path) -> None:
    data = playbook()
    data["client"]["brand"] = {"colours": {"heading": "#AAAAAA"}}
    path = tmp_path / "playbook.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    line = next(n for n, text in enumerate(path.read_text().splitlines(), 1)
                if "heading:" in text)
    run = gtmgen("validate", path)
    # #AAAAAA: 170/255 → 0.4020; 1.05 / 0.4520 = 2.32.
    assert f"{path}:{line}:" in run.err and "colours.heading #AAAAAA on white is 2.32:1" in run.err


def test_gtmgens_own_theme_passes() -> None:
    from gtmgen.contrast import contrast_warnings
    from gtmgen.theme import plain_theme

    assert contrast_warnings(plain_theme(), lambda key: ("theme.yaml", 1, 1)) == []
