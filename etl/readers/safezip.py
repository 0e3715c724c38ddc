"""Opening zip archives (GTFS feeds, .xlsx workbooks) without trusting their sizes.

zipfile itself never yields more than a member's declared size (and checks its CRC), so
checking the declared sizes before reading is enough to refuse a zip bomb.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path

from etl.errors import LoadError


@dataclass(frozen=True)
class ZipLimits:
    """How big an archive may unpack: in all, per member, and relative to its compressed size."""

    max_total_bytes: int = 4 << 30
    max_member_bytes: int = 3 << 30
    max_ratio: float = 200.0
    max_members: int = 1000


def open_checked_zip(path: Path, limits: ZipLimits = ZipLimits()) -> zipfile.ZipFile:
    """The archive, opened only when its directory promises sane sizes (a zip bomb is refused)."""
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise LoadError(f"{path.name}: not a readable zip archive ({exc})") from exc
    try:
        check_zip(path, archive, limits)
    except LoadError:
        archive.close()
        raise
    return archive


def check_zip(path: Path, archive: zipfile.ZipFile, limits: ZipLimits) -> None:
    """Refuse archives whose declared sizes or compression ratios are implausible."""
    members = archive.infolist()
    if len(members) > limits.max_members:
        raise LoadError(f"{path.name}: the archive holds {len(members)} files "
                        f"(at most {limits.max_members}); refused")
    total = 0
    for member in members:
        if member.file_size > limits.max_member_bytes:
            raise LoadError(f"{path.name}: {member.filename} would unpack to {member.file_size:,} "
                            f"bytes (limit {limits.max_member_bytes:,}); refused as a zip bomb")
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > (1 << 20) and ratio > limits.max_ratio:
            raise LoadError(f"{path.name}: {member.filename} is compressed {ratio:,.0f}:1 "
                            f"(limit {limits.max_ratio:,.0f}:1); refused as a zip bomb")
        total += member.file_size
    if total > limits.max_total_bytes:
        raise LoadError(f"{path.name}: the archive would unpack to {total:,} bytes "
                        f"(limit {limits.max_total_bytes:,}); refused as a zip bomb")

