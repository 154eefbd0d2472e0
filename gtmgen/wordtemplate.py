"""A client's Word document used as a template, checked before anything reads it: a real
.docx, of a bounded size once unpacked, with no DTD or entity in any XML part (a Word document
never needs one; an entity bomb or an external entity is refused, not expanded)."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

MAX_PART_BYTES = 32 * 1024 * 1024  # one unpacked part: far above any real styles.xml or logo
MAX_TOTAL_BYTES = 128 * 1024 * 1024
MAX_PARTS = 2000
_DTD = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)


def _read_bounded(package: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes | None:
    # The size in the header can lie: read at most the limit, and refuse if there is more.
    with package.open(info) as stream:
        data = stream.read(MAX_PART_BYTES + 1)
    return None if len(data) > MAX_PART_BYTES else data


def word_template_problem(path: Path) -> str | None:
    """Why `path` cannot serve as a Word template, in plain words; None when it can."""
    if not path.is_file():  # a pipe or a device is never opened (it could block)
        return "is not a file"
    try:
        with zipfile.ZipFile(path) as package:
            infos = package.infolist()
            if len(infos) > MAX_PARTS:
                return f"holds more than {MAX_PARTS} parts; it is not a Word document"
            if sum(info.file_size for info in infos) > MAX_TOTAL_BYTES:
                return "unpacks to more than 128 MiB; a Word template is far smaller"
            names = {info.filename for info in infos}
            if "[Content_Types].xml" not in names:
                return "is not a Word document (.docx)"
            total = 0
            for info in infos:
                if info.file_size > MAX_PART_BYTES:
                    return f"its part {info.filename} unpacks to more than 32 MiB"
                if not info.filename.endswith((".xml", ".rels")):
                    continue
                data = _read_bounded(package, info)
                if data is None:
                    return f"its part {info.filename} unpacks to more than 32 MiB"
                total += len(data)
                if total > MAX_TOTAL_BYTES:
                    return "unpacks to more than 128 MiB; a Word template is far smaller"
                # UTF-16 parts hide ASCII between zero bytes: look with those taken out too.
                if _DTD.search(data) or _DTD.search(data.replace(b"\x00", b"")):
                    return (f"its part {info.filename} declares a DTD or entities, which a "
                            "Word document never does; save it again from Word")
                if info.filename == "[Content_Types].xml" and \
                        b"wordprocessingml.document.main+xml" not in data:
                    return ("is not a Word document (.docx); a .dotx template must be saved "
                            "as .docx")
    except (OSError, zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError,
            NotImplementedError, RuntimeError):  # RuntimeError: an encrypted entry
        return "is not a Word document (.docx)"
    return None
