"""`gtmgen init`: a starter playbook, a template folder with a guide, and a .gitignore; with
`--repo`, a commented gtmgen.toml for a repository of playbooks."""

from __future__ import annotations

from dataclasses import dataclass, field
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


CONFIG_SOURCE = "gtmgen.toml"
GITIGNORE = ".gitignore"
_DEFAULT_LINES = (("locale", "language of the documents: " + ", ".join(SUPPORTED_LOCALES)),
                  ("country", "ISO 3166 code; its public holidays are non-working days"),
                  ("currency", "ISO 4217 code used to print money"))


def repo_config_text(locale: str | None = None) -> str:
    """The commented gtmgen.toml `init --repo` writes. With `locale`, [defaults] sets it and
    its usual country and currency; without, they are shown commented out."""
    if locale is not None and locale not in SUPPORTED_LOCALES:
        raise UsageError(f"unsupported locale '{locale}'; choose from "
                         f"{', '.join(SUPPORTED_LOCALES)}")
    currency, country = LOCALE_DEFAULTS[locale or "en"]
    values = {"locale": locale or "en", "country": country, "currency": currency}
    lines = []
    for key, words in _DEFAULT_LINES:
        setting = f'{key} = "{values[key]}"'
        lines.append(f"{'' if locale else '# '}{setting:<18} # {words}")
    text = (shipped_templates() / "starter" / CONFIG_SOURCE).read_text(encoding="utf-8")
    return text.replace("{defaults}", "\n".join(lines))


@dataclass
class RepoReport:
    """What `init --repo` did, file by file: "wrote", "added /build/ to", "kept"."""

    done: list[tuple[str, Path]] = field(default_factory=list)


def init_repo(folder: Path, locale: str | None = None) -> RepoReport:
    """Write gtmgen.toml into `folder` and make .gitignore ignore the output folder: a new
    .gitignore, or one line added to the end of an existing one that lacks it. WriteError,
    writing nothing, when gtmgen.toml exists."""
    from gtmgen.config import DEFAULT_OUT
    from gtmgen.write import WriteError

    report = RepoReport()
    existing = folder / CONFIG_SOURCE
    if existing.exists() or existing.is_symlink():
        raise WriteError(f"not overwriting {existing}: the repository has its settings "
                         "already; edit that file")
    created = create_files(folder, {CONFIG_SOURCE: repo_config_text(locale).encode("utf-8")})
    report.done += [("wrote", path) for path in created.written]
    entry = f"/{DEFAULT_OUT}/"
    ignore = folder / GITIGNORE
    if not ignore.exists() and not ignore.is_symlink():
        lines = f"# gtmgen build output (gtmgen.toml's `out`)\n{entry}\n"
        written = create_files(folder, {GITIGNORE: lines.encode("utf-8")}).written
        report.done += [("wrote", path) for path in written]
        return report
    try:
        text = ignore.read_text(encoding="utf-8")
        if any(line.strip() in (entry, entry.rstrip("/"), entry.lstrip("/"))
               for line in text.splitlines()):
            report.done.append(("kept", ignore))
            return report
        with ignore.open("a", encoding="utf-8") as stream:
            stream.write(("" if text.endswith("\n") or not text else "\n")
                         + f"# gtmgen build output (gtmgen.toml's `out`)\n{entry}\n")
    except (OSError, UnicodeDecodeError) as problem:
        raise WriteError(f"cannot add {entry} to {ignore}: {problem}") from None
    report.done.append((f"added {entry} to", ignore))
    return report
