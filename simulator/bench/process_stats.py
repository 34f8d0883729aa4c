"""What Linux's /proc tells about a server process the bench started: its CPU time and its
memory high-water mark.
"""

from __future__ import annotations

import os
from pathlib import Path


def reset_peak_rss(pid: int) -> bool:
    """Restart the kernel's RSS high-water mark (Linux `clear_refs` 5); False where refused."""
    try:
        Path(f"/proc/{pid}/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def peak_rss_mib(pid: int) -> float | None:
    """VmHWM of a live process in MiB, None where /proc does not tell."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    for line in status.splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return None


def cpu_seconds(pid: int) -> float:
    """User plus system CPU a live process has used: steadier than throughput on a busy box."""
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    user_ticks, system_ticks = int(fields[11]), int(fields[12])
    return (user_ticks + system_ticks) / os.sysconf("SC_CLK_TCK")
