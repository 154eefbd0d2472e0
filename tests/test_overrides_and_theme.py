"""A user template that replaces one block, the limits on what a template may cost, and the
theme read from gtmgen's theme.yaml, a theme.yaml beside the playbook and client.brand."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from gtmgen.render import bounds

PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00"
       b"\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xcf\xc0\xf0\x1f\x00\x05\x00\x01\xff"
       b"\x89\x99=\x1d\x00\x00\x00\x00IEND\xaeB`\x82")


def _sections(text: str) -> dict[str, str]:
    """The Markdown cut at its level-2 and level-3 headings: heading → what follows."""
    parts = re.split(r"^(#{2,3} .*)$", text, flags=re.M)
    return {parts[i]: parts[i + 1] for i in range(1, len(parts), 2)}


def test_one_block_overridden_and_everything_else_as_shipped(gtmgen, crumb: Path) -> None:
    out_plain, out_own = crumb.parent / "plain", crumb.parent / "own"
    assert gtmgen("build", crumb, "--out", out_plain, "--doc", "playbook").code == 0
    _own_template(crumb, "documents/playbook.md.j2", '{% extends "gtmgen/playbook.md.j2" %}\n'
        "{% block funnel %}\n### {{ _(\"Funnel\") }}\n\n"
        "Our own words: {{ plan.budget.channel_total | money }} buys "
        "{{ sections.count_or(plan.budget.customers) }} customers.\n{% endblock %}\n")
    assert gtmgen("build", crumb, "--out", out_own, "--doc", "playbook").code == 0
    plain = _sections((out_plain / "playbook.md").read_text(encoding="utf-8"))
    mine = _sections((out_own / "playbook.md").read_text(encoding="utf-8"))
    # crumb's channels: 3,000 + 12,000 + 7,000 + 4,000 a month for 3 months = 78,000; the
    # funnel table of the shipped block has 2,745 customers in its total row.
    assert mine["### Funnel"].strip() == "Our own words: $78,000 buys 2,745 customers."
    assert "| **Total** | **$78,000** |" in plain["### Funnel"]
    assert list(mine) == list(plain)
    for heading in plain:
        if heading != "### Funnel":
            assert mine[heading] == plain[heading], heading


def test_the_short_name_and_the_full_path_of_a_shipped_template(gtmgen, crumb: Path) -> None:
    _own_template(crumb, "documents/roles.md.j2",
         '{% extends "gtmgen/documents/roles.md.j2" %}{% block org_chart %}{% endblock %}\n')
    assert gtmgen("build", crumb, "--out", crumb.parent / "out", "--doc", "roles").code == 0
    roles = (crumb.parent / "out" / "roles.md").read_text(encoding="utf-8")
    assert "## Organisation chart" not in roles
    assert "## Growth Marketing Manager" in roles  # the definitions block is still there


def test_a_misspelt_block_is_an_error_at_its_line(gtmgen, crumb: Path) -> None:
    _own_template(crumb, "documents/playbook.md.j2",
         '{% extends "gtmgen/playbook.md.j2" %}\n\n{% block funel %}Ours{% endblock %}\n')
    run = gtmgen("build", crumb, "--out", crumb.parent / "out", "--doc", "playbook")
    assert run.code == 1
    assert re.search(r"playbook\.md\.j2:3: the block 'funel' is not in gtmgen/playbook\.md\.j2, "
                     r"so it would change nothing; did you mean 'funnel'\?", run.err), run.err
    assert not (crumb.parent / "out").exists()


def test_a_block_that_uses_itself_is_stopped_in_plain_words(gtmgen, crumb: Path) -> None:
    _own_template(crumb, "documents/playbook.md.j2",
                  '{% extends "gtmgen/playbook.md.j2" %}\n{% block cover %}{{ self.cover() }}'
                  "{% endblock %}\n")
    run = gtmgen("build", crumb, "--out", crumb.parent / "out", "--doc", "playbook")
    assert run.code == 1 and "Traceback" not in run.err
    assert "the template calls itself (a block or macro that uses itself) without end" in run.err
    assert "RecursionError" not in run.err


HOSTILE = [
    ('{{ "x" * 2000000000 }}', "a repeated text or list would be longer than 1,000,000"),
    ('{{ "x" | center(2000000000) }}', "a padded or wrapped text would be longer"),
    ('{{ "a".ljust(10 ** 10) }}', "'ljust' would be longer"),
    ('{{ "%099999999d" % 1 }}', "a formatted text would be longer"),
    ('{{ "ab" | replace("a", "a" * 900000) | replace("a", "a" * 900000) }}',
     "a replaced text would be longer"),
    ("{{ 7 ** 100000 }}", "a power with more than 4096 bits"),
    ('{% set ns = namespace(s=[1]) %}{% for i in range(30) %}{% set ns.s = ns.s + ns.s %}'
     "{% endfor %}", "a joined text or list would be longer"),
]


@pytest.mark.parametrize(("body", "words"), HOSTILE)
def test_a_template_that_asks_too_much_stops_at_its_line(gtmgen, crumb: Path, body: str,
                                                          words: str) -> None:
    _own_template(crumb, "documents/playbook.md.j2", f"# Title\n\n{body}\n")
    out = crumb.parent / "out"
    run = gtmgen("build", crumb, "--out", out, "--doc", "playbook")
    assert run.code == 1
    assert "Traceback" not in run.err
    assert re.search(r"template error: \S*playbook\.md\.j2:3: ", run.err), run.err
    assert words in run.err
    assert not out.exists()


LIMITS = [
    ("MAX_DOCUMENT", 50_000,
     "# Title\n\n{% for i in range(100000) %}\n{{ 'word ' * 20 }}\n{% endfor %}\n",
     "playbook.md.j2:4: the document is longer than 50,000 characters"),
    ("MAX_SECONDS", 0.5,
     "# Title\n\n{% for i in range(100000) %}{% for j in range(100000) %}"
     "{% endfor %}{% endfor %}\n",
     "playbook.md.j2:3: the template ran for more than 0.5 seconds"),
]


@pytest.mark.parametrize(("limit", "value", "body", "words"), LIMITS)
def test_a_document_past_its_size_or_time_stops(gtmgen, crumb: Path,
                                                monkeypatch: pytest.MonkeyPatch, limit: str,
                                                value: float, body: str, words: str) -> None:
    monkeypatch.setattr(bounds, limit, value)  # lowered, so that the test is quick
    _own_template(crumb, "documents/playbook.md.j2", body)
    run = gtmgen("build", crumb, "--out", crumb.parent / "out", "--doc", "playbook")
    assert run.code == 1
    assert words in run.err, run.err
    assert not (crumb.parent / "out").exists()


# The theme ------------------------------------------------------------------------------
def _validate(playbook: Path, theme: Path | None = None):
    from gtmgen.validate import validate_path

    return validate_path(playbook, playbook.name, theme)


def test_the_shipped_theme_and_paper_by_country(crumb: Path) -> None:
    result = _validate(crumb)
    assert result.ok and result.theme is not None
    assert result.theme.page_size == "letter"  # crumb is in the US
    assert result.theme.heading == "#1F4E79"
    text = crumb.read_text(encoding="utf-8").replace("country: US", "country: NL")
    crumb.write_text(text, encoding="utf-8")
    theme = _validate(crumb).theme
    assert theme is not None and theme.page_size == "A4" and theme.page_mm == (210.0, 297.0)


def test_theme_file_then_brand_each_wins_over_the_one_before(crumb: Path) -> None:
    (crumb.parent / "theme.yaml").write_text(
        "colours:\n  heading: '#112233'\n  accent: '#445566'\nheader: Firm header\n"
        "page: {size: A5}\n", encoding="utf-8")
    text = crumb.read_text(encoding="utf-8").replace(
        "  currency: USD\n",
        "  currency: USD\n  brand:\n    colours: {heading: '#aabbcc'}\n    confidential: yes\n")
    assert "brand:" in text
    crumb.write_text(text, encoding="utf-8")
    theme = _validate(crumb).theme
    assert theme is not None
    assert theme.heading == "#AABBCC"  # the playbook's brand
    assert theme.accent == "#445566"  # the theme file
    assert theme.muted == "#52606D"  # gtmgen's own
    assert theme.header == "Firm header" and theme.confidential is True
    assert theme.page_size == "A5"


def test_a_mistake_in_the_theme_file_is_located_in_it(gtmgen, crumb: Path) -> None:
    (crumb.parent / "theme.yaml").write_text(
        "fonts:\n  body: Georgia\ncolours:\n  heading: blue\n  accnet: '#000000'\n",
        encoding="utf-8")
    run = gtmgen("build", crumb, "--out", crumb.parent / "out")
    assert run.code == 1
    assert "theme.yaml:4:12: error: 'blue' is not a colour; write it as #RRGGBB" in run.err
    assert "theme.yaml:5:3: error: unknown key 'accnet'" in run.err
    assert "did you mean 'accent'?" in run.err
    assert not (crumb.parent / "out").exists()


def test_a_logo_that_cannot_be_used_is_an_error_at_its_key(gtmgen, crumb: Path) -> None:
    text = crumb.read_text(encoding="utf-8").replace(
        "  currency: USD\n", "  currency: USD\n  brand:\n    logo: mark.png\n")
    crumb.write_text(text, encoding="utf-8")
    line = text.splitlines().index("    logo: mark.png") + 1
    run = gtmgen("validate", crumb)
    assert run.code == 1
    assert f":{line}:11: error: the logo 'mark.png' is not there" in run.err
    (crumb.parent / "mark.png").write_bytes(b"GIF89a not a png")
    assert "is not a PNG or JPEG picture" in gtmgen("validate", crumb).err
    (crumb.parent / "mark.png").write_bytes(PNG)
    assert gtmgen("validate", crumb).code == 0
    result = _validate(crumb)
    assert result.theme is not None and result.theme.logo is not None
    assert result.theme.logo.kind == "png" and result.theme.logo.data == PNG


def _png_header(width: int, height: int, body: bytes = b"") -> bytes:
    """A PNG of the given size whose pixel data is `body` (compressed), for pictures a logo
    must not be."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(body))
            + chunk(b"IEND", b""))


def _logo_message(crumb: Path) -> list[str]:
    (crumb.parent / "theme.yaml").write_text("header: ACME\nlogo: mark.png\n", encoding="utf-8")
    return [f"{Path(d.file).name}:{d.line}:{d.column}: {d.message}"
            for d in _validate(crumb).diagnostics
            if d.severity.value == "error"]


def test_a_logo_that_is_a_device_or_a_pipe_is_not_read(crumb: Path) -> None:
    import os

    (crumb.parent / "mark.png").symlink_to("/dev/zero")
    assert _logo_message(crumb) == [
        "theme.yaml:2:7: the logo 'mark.png' is not a file; name a PNG or JPEG picture"]
    (crumb.parent / "mark.png").unlink()
    os.mkfifo(crumb.parent / "mark.png")
    assert _logo_message(crumb) == [
        "theme.yaml:2:7: the logo 'mark.png' is not a file; name a PNG or JPEG picture"]


def test_a_logo_cut_short_is_an_error_at_its_key(crumb: Path) -> None:
    (crumb.parent / "mark.png").write_bytes(PNG[:40])
    assert _logo_message(crumb) == [
        "theme.yaml:2:7: the logo 'mark.png' cannot be read as a PNG picture (it may be cut "
        "short); save it again"]


@pytest.mark.parametrize(("width", "height", "words"), [
    (6000, 5000, "is 6,000 × 5,000 pixels; a logo has at most 25,000,000 pixels"),
    # beyond Pillow's own bomb guard: 3.6 billion pixels in a few bytes
    (60000, 60000, "has more than 25,000,000 pixels; use a smaller picture"),
])
def test_a_logo_with_too_many_pixels_is_refused_before_it_is_decoded(
        crumb: Path, width: int, height: int, words: str) -> None:
    (crumb.parent / "mark.png").write_bytes(_png_header(width, height))
    assert _logo_message(crumb) == [f"theme.yaml:2:7: the logo 'mark.png' {words}"]


def test_a_jpeg_word_cannot_hold_is_an_error_at_its_key(crumb: Path) -> None:
    from PIL import Image

    # Pillow writes a CMYK JPEG with an Adobe header and neither JFIF nor Exif.
    Image.new("CMYK", (20, 8)).save(crumb.parent / "mark.png", "JPEG")
    assert _logo_message(crumb) == [
        "theme.yaml:2:7: the logo 'mark.png' is a JPEG picture that a Word document cannot "
        "hold (a JPEG needs a JFIF or Exif header); save it again as PNG"]


def test_a_logo_of_many_pixels_within_the_limit_is_used(crumb: Path) -> None:
    data = _png_header(5000, 5000, b"".join(b"\x00" + bytes(5000) for _ in range(5000)))
    (crumb.parent / "mark.png").write_bytes(data)
    assert _logo_message(crumb) == []


def _own_template(crumb: Path, path: str, text: str) -> None:
    own = crumb.parent / "templates" / path
    own.parent.mkdir(parents=True, exist_ok=True)
    own.write_text(text, encoding="utf-8")


@pytest.mark.parametrize(("path", "fmt"), [("documents/playbook.md.j2", "md,docx"),
                                           ("slides/playbook.md.j2", "pptx")])
def test_a_control_character_in_a_template_is_an_error_at_its_line(gtmgen, crumb: Path,
                                                                     path: str, fmt: str) -> None:
    _own_template(crumb, path, "# Title\n\n## Part\n\nbody\x01 text\n")
    run = gtmgen("build", crumb, "--out", crumb.parent / "out", "--format", fmt,
                 "--doc", "playbook")
    assert run.code == 1
    assert (f"{path}:5: the character U+0001 cannot be stored in a Word document or a "
            "slide; remove it") in run.err
    assert "Traceback" not in run.err and "internal error" not in run.err
    assert not (crumb.parent / "out").exists()


def test_a_control_character_a_template_computes_is_placed_in_the_document(gtmgen,
                                                                             crumb: Path) -> None:
    _own_template(crumb, "documents/playbook.md.j2", "# Title\n\nx{{ '%c' | format(11) }}\n")
    run = gtmgen("build", crumb, "--out", crumb.parent / "out", "--doc", "playbook")
    assert run.code == 1
    assert ("playbook.md.j2: line 3 of the document it writes has the character U+000B, which "
            "cannot be stored in a Word document or a slide; remove it") in run.err


def test_a_missing_template_named_by_another_is_an_error_at_that_line(gtmgen,
                                                                       crumb: Path) -> None:
    _own_template(crumb, "documents/playbook.md.j2",
                  '# Title\n\n{% include "gtmgen/../../etc/passwd" %}\n')
    run = gtmgen("build", crumb, "--out", crumb.parent / "out", "--doc", "playbook")
    assert run.code == 1
    assert "documents/playbook.md.j2:3: no template '../../etc/passwd'" in run.err
    assert not (crumb.parent / "out").exists()


@pytest.mark.parametrize("text", ["", "# the client's colours, to come\n"])
def test_an_empty_theme_file_changes_nothing(crumb: Path, text: str) -> None:
    (crumb.parent / "theme.yaml").write_text(text, encoding="utf-8")
    result = _validate(crumb)
    assert [d.message for d in result.diagnostics if d.severity.value == "error"] == []
    assert result.theme is not None
    assert (result.theme.body_font, result.theme.accent, result.theme.header) == (
        "Calibri", "#1F4E79", None)
