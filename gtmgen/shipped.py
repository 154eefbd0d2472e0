"""Where gtmgen's own templates, catalogs and theme are: inside the package when installed
from a wheel, beside it in a checkout (an editable install)."""

from __future__ import annotations

from pathlib import Path

from gtmgen.errors import TemplateProblem

DOCUMENTS = "documents"


class MissingTemplates(TemplateProblem):
    """gtmgen's own files are not where the install put them."""


def shipped_templates() -> Path:
    """The folder of gtmgen's own templates."""
    package = Path(__file__).resolve().parent
    for folder in (package / "templates", package.parent / "templates"):
        if (folder / DOCUMENTS).is_dir():
            return folder
    raise MissingTemplates(f"gtmgen's own templates are missing (looked in {package})")
