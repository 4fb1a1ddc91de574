"""Open a OneRoster CSV set from a folder or a zip, refusing unsafe or oversized archives."""

from __future__ import annotations

import stat
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from pathways.engines.errors import InputError, InputErrors

__all__ = ["Limits", "open_csv_set"]


@dataclass(frozen=True)
class Limits:
    """What a CSV set may weigh (the defaults fit a district of 100,000 people, with room)."""

    max_files: int = 64
    max_file_bytes: int = 512 * 1024 * 1024
    max_total_bytes: int = 1024 * 1024 * 1024
    #: Refuse members that inflate more than this many times (zip bombs); tiny files are exempt.
    max_ratio: int = 200
    ratio_exempt_bytes: int = 1024 * 1024


def open_csv_set(path: Path, limits: Limits | None = None) -> Mapping[str, bytes]:
    """Map each ``*.csv`` file name (case kept) to its bytes, from a folder or a ``.zip``.

    A zip may hold its files at the top or inside one folder. Members with absolute paths, ``..``,
    backslashes or links are refused, as are sets that break ``limits`` (checked while inflating,
    never trusting the sizes the archive claims).
    """
    limits = limits or Limits()
    source = str(path)
    if path.is_dir():
        return _read_folder(path, limits)
    if path.is_file() and zipfile.is_zipfile(path):
        return _read_zip(path, limits)
    if not path.exists():
        raise InputError(source, "no such file or folder")
    raise InputError(source, "expected a folder or a .zip of OneRoster CSV files")


def _read_folder(folder: Path, limits: Limits) -> dict[str, bytes]:
    files: dict[str, bytes] = {}
    total = 0
    for entry in sorted(folder.iterdir()):
        if entry.suffix.lower() != ".csv" or entry.is_symlink() or not entry.is_file():
            continue
        size = entry.stat().st_size
        total += size
        if size > limits.max_file_bytes:
            raise InputError(str(entry), f"{size} bytes is over the {limits.max_file_bytes} limit")
        if total > limits.max_total_bytes or len(files) >= limits.max_files:
            raise InputError(str(folder), "too many or too large CSV files")
        files[entry.name] = entry.read_bytes()
    return files


def _member_problem(info: zipfile.ZipInfo) -> str | None:
    name = info.filename
    pure = PurePosixPath(name)
    first = pure.parts[0] if pure.parts else ""
    if "\\" in name or name.startswith("/") or ":" in first:
        return "absolute or Windows-style path"
    if any(part == ".." for part in pure.parts):
        return "path goes outside the archive (..)"
    mode = info.external_attr >> 16
    if stat.S_ISLNK(mode):
        return "symbolic link"
    if info.flag_bits & 0x1:
        return "encrypted member"
    return None


def _read_zip(path: Path, limits: Limits) -> dict[str, bytes]:
    source = str(path)
    errors: list[InputError] = []
    files: dict[str, bytes] = {}
    total = 0
    with zipfile.ZipFile(path) as archive:
        infos = [i for i in archive.infolist() if not i.is_dir()]
        if len(infos) > limits.max_files:
            raise InputError(
                source, f"{len(infos)} members, more than the {limits.max_files} allowed"
            )
        for info in infos:
            problem = _member_problem(info)
            if problem:
                errors.append(InputError(source, f"refused member {info.filename!r}: {problem}"))
        if errors:
            raise InputErrors(errors)
        csvs = [
            i
            for i in infos
            if i.filename.lower().endswith(".csv")
            and not PurePosixPath(i.filename).name.startswith(".")
            and "__MACOSX" not in PurePosixPath(i.filename).parts
        ]
        folders = {PurePosixPath(i.filename).parent for i in csvs}
        if len(folders) > 1:
            raise InputError(source, "CSV files must sit together (top level or one folder)")
        for info in csvs:
            name = PurePosixPath(info.filename).name
            data = _inflate(archive, info, limits, limits.max_total_bytes - total, source)
            total += len(data)
            files[name] = data
    return files


def _inflate(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, limits: Limits, budget: int, source: str
) -> bytes:
    where = f"{source}!{info.filename}"
    cap = min(limits.max_file_bytes, budget)
    chunks: list[bytes] = []
    size = 0
    with archive.open(info) as member:
        while True:
            chunk = member.read(1024 * 1024)
            if not chunk:
                break
            size += len(chunk)
            if size > cap:
                raise InputError(where, f"inflates past the {cap} byte limit")
            if size > limits.ratio_exempt_bytes and size > limits.max_ratio * max(
                info.compress_size, 1
            ):
                raise InputError(where, f"compression ratio over {limits.max_ratio}: zip bomb?")
            chunks.append(chunk)
    return b"".join(chunks)
