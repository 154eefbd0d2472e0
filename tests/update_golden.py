"""Rebuild the golden Markdown of the crumb example (tests/golden/crumb) and the examples'
reviews (tests/golden/reviews), and show what changed.

`make golden` runs it: read the diff it prints, and commit the goldens together with the change
that explains them. The test suite compares every build of the example with these files."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CRUMB = ROOT / "playbooks" / "crumb" / "playbook.yaml"
GOLDEN = ROOT / "tests" / "golden" / "crumb"


def rebuild(target: Path) -> list[Path]:
    """Build the crumb example's Markdown, alone in a temporary folder as the test builds it,
    and copy each document into `target`; the paths written, sorted."""
    from gtmgen.build import Options, build
    from tests.bilingual import write_one_locale

    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary)
        write_one_locale(CRUMB, folder / "playbook.yaml", "en")  # its English alone
        result = build(folder / "playbook.yaml", folder / "out", Options(formats=("md",)))
        if not result.validation.ok:
            problems = "\n".join(str(d) for d in result.validation.diagnostics)
            raise SystemExit(f"the crumb example does not validate:\n{problems}")
        target.mkdir(parents=True, exist_ok=True)
        written = []
        for source in sorted((folder / "out").glob("*.md")):
            shutil.copyfile(source, target / source.name)
            written.append(target / source.name)
    return written


# The reviews of both examples at their first operating review, from their results files.
REVIEWS = {"crumb": "2027-06-01", "ledgerly": "2027-12-06"}
REVIEW_GOLDEN = ROOT / "tests" / "golden" / "reviews"


def rebuild_reviews(target: Path) -> list[Path]:
    """Each example's review Markdown (REVIEWS), built from a copy of its playbook and results
    alone in a temporary folder, copied into `target` as NAME-review-DATE.md."""
    import datetime as dt

    from gtmgen.build import Options
    from gtmgen.review import review
    from tests.bilingual import write_one_locale

    written = []
    target.mkdir(parents=True, exist_ok=True)
    for name, day in REVIEWS.items():
        with tempfile.TemporaryDirectory() as temporary:
            folder = Path(temporary)
            write_one_locale(ROOT / "playbooks" / name / "playbook.yaml",
                             folder / "playbook.yaml", "en")
            shutil.copy(ROOT / "playbooks" / name / "results.csv", folder / "results.csv")
            done = review(folder / "playbook.yaml", folder / "out", Options(formats=("md",)),
                          as_of=dt.date.fromisoformat(day))
            if done.review is None:
                raise SystemExit(f"the {name} review failed: {done.diagnostics}")
            source = folder / "out" / f"review-{day}.md"
            shutil.copyfile(source, target / f"{name}-review-{day}.md")
            written.append(target / f"{name}-review-{day}.md")
    return written


def main() -> int:
    """Rebuild the goldens, then print `git diff --stat` and `git diff` of them."""
    rebuild(GOLDEN)
    rebuild_reviews(REVIEW_GOLDEN)
    where = str(GOLDEN.parent.relative_to(ROOT))
    for command in (["git", "diff", "--stat", "--", where], ["git", "diff", "--", where],
                    ["git", "ls-files", "--others", "--exclude-standard", "--", where]):
        done = subprocess.run(command, cwd=ROOT, check=False, capture_output=True, text=True)
        if command[1] == "ls-files" and done.stdout:
            print("new golden files (not yet in git):\n" + done.stdout, end="")
        else:
            print(done.stdout, end="")
        if done.returncode:
            print(done.stderr, end="", file=sys.stderr)
            return done.returncode
    return 0


if __name__ == "__main__":
    sys.exit(main())
