"""The message template (templates/locale/gtmgen.pot): every label of the shipped templates,
extracted with Babel, so translators and tests see exactly what the documents say."""

from __future__ import annotations

import io
from pathlib import Path

from gtmgen.render.templates import shipped_templates

METHOD_MAP = [("**.j2", "jinja2.ext:babel_extract")]
OPTIONS = {"**.j2": {"extensions": "jinja2.ext.i18n", "trim_blocks": "True",
                     "lstrip_blocks": "True"}}


def extract_catalog(folder: Path | None = None) -> bytes:
    """The .pot of a template folder, without dates or versions (reproducible)."""
    from babel.messages.catalog import Catalog
    from babel.messages.extract import extract_from_dir
    from babel.messages.pofile import write_po

    catalog = Catalog(project="gtmgen", domain="gtmgen", charset="utf-8")
    root = folder or shipped_templates()
    for filename, line, message, comments, context in extract_from_dir(
            str(root), METHOD_MAP, OPTIONS):
        catalog.add(message, None, [(filename, line)], auto_comments=comments,
                    context=context)
    out = io.BytesIO()
    write_po(out, catalog, omit_header=True, sort_output=True, width=100)
    return out.getvalue()


if __name__ == "__main__":
    target = shipped_templates() / "locale" / "gtmgen.pot"
    target.write_bytes(extract_catalog())
    print(f"wrote {target}")
