"""Run every benchmark in this folder, one after another, printing their figures."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ORDER = ["pipeline_bench.py", "analyze_bench.py", "uniqueness_bench.py", "sync_bench.py", "fault_bench.py", "import_bench.py",
         "inbox_bench.py"]


def main() -> int:
    failed = 0
    for name in ORDER:
        path = HERE / name
        if not path.exists():
            continue
        print(f"== {name}", flush=True)
        failed += subprocess.run([sys.executable, str(path)], check=False).returncode != 0
    for name in sorted(p.name for p in HERE.glob("*_bench.py") if p.name not in ORDER):  # newer ones, by name
        print(f"== {name}", flush=True)
        failed += subprocess.run([sys.executable, str(HERE / name)], check=False).returncode != 0
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
