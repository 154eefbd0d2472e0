"""`gtmgen init`: a starter playbook, a template folder with a guide, and a .gitignore; with
`--repo`, a commented gtmgen.toml for a repository of playbooks."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from gtmgen.errors import UsageError
from gtmgen.render.templates import shipped_templates
from gtmgen.types import SUPPORTED_LOCALES
from gtmgen.write import WriteReport, create_files
from gtmgen.yamledit import quoted

# A sensible first currency and country for each language; the starter says to change them.
LOCALE_DEFAULTS = {"en": ("USD", "US"), "nl": ("EUR", "NL"), "vi": ("VND", "VN"),
                   "zh": ("CNY", "CN"), "ru": ("RUB", "RU"), "ky": ("KGS", "KG")}
FILES = {"playbook.yaml": "playbook.yaml", "templates/README.md": "templates-README.md",
         ".gitignore": "gitignore"}


# The starter's main texts, which `init --locales` writes as a text in several languages.
_MAIN_TEXTS = re.compile(r"^(\s*(?:- )?(?:product|pillar|value_proposition): )(.+?)"
                         r"(\s+#.*)?$", re.M)
_LOCALE_LINE = re.compile(r"^  locale: \{locale\} *#.*$", re.M)


def _several_languages(text: str, locales: tuple[str, ...]) -> str:
    """The starter with client.locales in place of client.locale, and its main texts as
    mappings of locale to text (the same words in each, for the author to translate)."""
    listed = f"  locales: [{', '.join(locales)}]"
    text = _LOCALE_LINE.sub(f"{listed:<35}# languages of the documents, the primary first; "
                            "a text may give each: {" + ", ".join(f"{x}: …" for x in locales)
                            + "}", text)

    def mapping(match: re.Match[str]) -> str:
        words = quoted(match.group(2))
        entries = ", ".join(f"{locale}: {words}" for locale in locales)
        return f"{match.group(1)}{{{entries}}}{match.group(3) or ''}"

    return _MAIN_TEXTS.sub(mapping, text)


def check_locales(locales: tuple[str, ...]) -> None:
    """UsageError unless `locales` are two or more distinct supported locales."""
    unknown = [x for x in locales if x not in SUPPORTED_LOCALES]
    if unknown or len(locales) < 2 or len(set(locales)) != len(locales):
        raise UsageError(f"--locales takes two or more different locales, the primary first "
                         f"(nl,en); choose from {', '.join(SUPPORTED_LOCALES)}")


def starter_files(locale: str, locales: tuple[str, ...] = ()) -> dict[str, bytes]:
    """The files `init` writes, by their path in the folder; with `locales`, a playbook in
    those languages (`locale` is then the first of them)."""
    if locales:
        check_locales(locales)
        locale = locales[0]
    if locale not in SUPPORTED_LOCALES:
        raise UsageError(f"unsupported locale '{locale}'; choose from "
                         f"{', '.join(SUPPORTED_LOCALES)}")
    currency, country = LOCALE_DEFAULTS[locale]
    folder = shipped_templates() / "starter"
    files = {}
    for target, source in FILES.items():
        text = (folder / source).read_text(encoding="utf-8")
        if locales and target == "playbook.yaml":
            text = _several_languages(text, locales)
        text = text.replace("{locale}", locale).replace("{currency}", currency) \
            .replace("{country}", country)
        files[target] = text.encode("utf-8")
    return files


def init(folder: Path, locale: str = "en", locales: tuple[str, ...] = ()) -> WriteReport:
    """Write the starter into `folder` (in `locales` when given); WriteError, writing
    nothing, if any file exists."""
    return create_files(folder, starter_files(locale, locales))


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
