"""A SOSI file's bytes to text: the character set named by ..TEGNSETT, checked strictly."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO

from etl.readers.sosi.model import SosiError

# Python codecs for ..TEGNSETT, keyed by the name with case, '-', '_' and
# blanks removed so that 'ISO-8859-10' and 'iso8859_10' are accepted too.
_ND7 = "nd7"
_CHARSETS: dict[str, str] = {
    "UTF8": "utf-8",
    "ISO885910": "iso8859_10",
    "ISO88591": "latin-1",
    "ANSI": "cp1252",
    "DOSN8": "cp865",
    "ND7": _ND7,
}
# ND7 is 7-bit ASCII with the national letters in place of brackets/braces.
_ND7_TABLE = str.maketrans("[\\]{|}", "ÆØÅæøå")

# A header longer than this means the file is not SOSI; stop before reading
# a whole unrelated file into memory.
_MAX_HEADER_LINES = 10_000

_BOM = b"\xef\xbb\xbf"
_HODE_BYTES_RE = re.compile(rb"\.HODE(?:[\s!]|$)")
_LEVEL1_BYTES_RE = re.compile(rb"\.[A-Za-z]")
_TEGNSETT_BYTES_RE = re.compile(rb"\.\.TEGNSETT\s+[\"']?([A-Za-z0-9_\-]+)")

# Builds the reader's error for a line of the file (None: the file as a whole).
ErrorAt = Callable[[int | None, str], SosiError]


class Decoder:
    """Decodes the lines of one SOSI file with the charset its .HODE declares (or the
    caller's override); `charset` and `notes` are known once the header has been read."""

    def __init__(self, path: str, encoding_override: str | None, error: ErrorAt) -> None:
        """Remember the file and how to report a bad byte."""
        self.path = path
        self.encoding_override = encoding_override
        self.error = error
        self.charset = ""
        self.notes: list[str] = []

    def lines(self, handle: IO[bytes]) -> Iterator[tuple[int, str]]:
        """Yield (line number, decoded text) using the charset from .HODE."""
        # ..TEGNSETT is inside .HODE, which is written in that same charset:
        # scan the header as bytes (every SOSI charset is ASCII-compatible in
        # the element names), then decode header and body with the codec.
        head: list[bytes] = []
        declared: str | None = None
        declared_line = 0
        hode_line = 0
        has_bom = False
        lineno = 0
        for line in handle:
            lineno += 1
            raw = line
            if lineno == 1 and raw.startswith(_BOM):
                has_bom = True
                raw = raw[len(_BOM) :]
            head.append(raw)
            stripped = raw.strip()
            if not stripped or stripped.startswith(b"!"):
                continue
            if not hode_line:
                if not _HODE_BYTES_RE.match(stripped):
                    raise self.error(lineno, "file does not start with .HODE")
                hode_line = lineno
                continue
            if _LEVEL1_BYTES_RE.match(stripped):
                break
            match = _TEGNSETT_BYTES_RE.match(stripped)
            if match:
                declared = match.group(1).decode("ascii")
                declared_line = lineno
            if lineno > _MAX_HEADER_LINES:
                raise self.error(lineno, f".HODE runs past {_MAX_HEADER_LINES} lines; not SOSI?")
        if not hode_line:
            reason = "file is empty" if lineno == 0 else "file has no .HODE"
            raise self.error(max(lineno, 1), reason)

        name = self.encoding_override or declared
        if name is None:
            raise self.error(hode_line, "..TEGNSETT missing from .HODE; cannot tell the charset")
        codec = _CHARSETS.get(re.sub(r"[\s_\-]", "", name.upper()))
        if codec is None:
            known = "UTF-8, ISO8859-10, ISO8859-1, ANSI, DOSN8, ND7"
            where = None if self.encoding_override else declared_line
            raise self.error(where, f"unknown ..TEGNSETT {name!r} (known: {known})")
        if codec != "utf-8" and not self.encoding_override and _written_in_utf8(head, has_bom):
            # Exports re-saved by a text editor keep their old ..TEGNSETT line; read as
            # declared, ORIGO-NØ would come out as ORIGO-NÃ\x98 and nothing would match.
            evidence = "starts with a UTF-8 byte-order mark" if has_bom else "bytes are UTF-8"
            self.notes.append(
                f"{Path(self.path).name}:{declared_line}: ..TEGNSETT says {name}, but the file's "
                f"{evidence}; read as UTF-8 (give --encoding {name} to read it as declared)"
            )
            name, codec = "UTF-8", "utf-8"
        if has_bom and codec != "utf-8":
            raise self.error(1, f"UTF-8 byte-order mark, but ..TEGNSETT is {name}")
        self.charset = name.upper()

        for number, raw in enumerate(head, start=1):
            yield number, self._decode(codec, number, raw)
        for raw in handle:
            lineno += 1
            yield lineno, self._decode(codec, lineno, raw)

    def _decode(self, codec: str, lineno: int, raw: bytes) -> str:
        """Decode one line strictly, naming the bad byte and its column."""
        raw = raw.rstrip(b"\r\n")
        try:
            if codec == _ND7:
                return raw.decode("ascii").translate(_ND7_TABLE)
            return raw.decode(codec)
        except UnicodeDecodeError as exc:
            bad = raw[exc.start : exc.end].hex(" ")
            raise self.error(
                lineno,
                f"byte(s) {bad} at column {exc.start + 1} are not valid "
                f"{self.charset} (the ..TEGNSETT of this file)",
            ) from None


def _written_in_utf8(head: list[bytes], has_bom: bool) -> bool:
    """Whether the header's bytes decode as UTF-8 and show it: a non-ASCII letter or a BOM."""
    raw = b"".join(head)
    if raw.isascii() and not has_bom:
        return False
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True
