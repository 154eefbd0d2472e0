"""`gtmgen init`: a starter playbook, a template folder with a guide, and a .gitignore."""

from __future__ import annotations

from pathlib import Path

from gtmgen.errors import UsageError
from gtmgen.render.templates import shipped_templates
from gtmgen.types import SUPPORTED_LOCALES
from gtmgen.write import WriteReport, create_files

# A sensible first currency and country for each language; the starter says to change them.
LOCALE_DEFAULTS = {"en": ("USD", "US"), "nl": ("EUR", "NL"), "vi": ("VND", "VN"),
                   "zh": ("CNY", "CN"), "ru": ("RUB", "RU"), "ky": ("KGS", "KG")}
FILES = {"playbook.yaml": "playbook.yaml", "templates/README.md": "templates-README.md",
         ".gitignore": "gitignore"}


def starter_files(locale: str) -> dict[str, bytes]:
    """The files `init` writes, by their path in the folder."""
    if locale not in SUPPORTED_LOCALES:
        raise UsageError(f"unsupported locale '{locale}'; choose from "
                         f"{', '.join(SUPPORTED_LOCALES)}")
    currency, country = LOCALE_DEFAULTS[locale]
    folder = shipped_templates() / "starter"
    files = {}
    for target, source in FILES.items():
        text = (folder / source).read_text(encoding="utf-8")
        text = text.replace("{locale}", locale).replace("{currency}", currency) \
            .replace("{country}", country)
        files[target] = text.encode("utf-8")
    return files


def init(folder: Path, locale: str = "en") -> WriteReport:
    """Write the starter into `folder`; WriteError, writing nothing, if any file exists."""
    return create_files(folder, starter_files(locale))
