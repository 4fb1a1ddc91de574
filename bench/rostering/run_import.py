"""Time one OneRoster import into the configured database; print the figures as JSON.

    PATHWAYS_VAR_DIR=/tmp/x python bench/rostering/run_import.py SET_DIR [--repeat]

Migrates first (not timed). Measures reading + validating + writing, then (with --repeat) the
same import again, which must change nothing. Peak memory is this process's maximum RSS.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import time
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("folder", type=Path)
    parser.add_argument("--repeat", action="store_true")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pathways.config.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    from pathways.apps.roster.importers import import_oneroster, known_ids
    from pathways.interop.oneroster import read_oneroster

    def once() -> dict[str, object]:
        start = time.perf_counter()
        package = read_oneroster(args.folder, known=known_ids())
        read_s = time.perf_counter() - start
        report = import_oneroster(package)
        total = time.perf_counter() - start
        return {
            "read_s": round(read_s, 1),
            "total_s": round(total, 1),
            "changed": report.changed,
            "created": dict(+report.created),
            "users": len(package.users),
            "enrollments": len(package.enrollments),
        }

    result: dict[str, object] = {"database": connection.vendor, "first": once()}
    if args.repeat:
        result["again"] = once()
    result["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    result["load_average"] = round(os.getloadavg()[0], 1)  # the machine is shared
    json.dump(result, sys.stdout)
    print()


if __name__ == "__main__":
    main()
