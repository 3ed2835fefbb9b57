"""CPU readers shared by bench.py and the lk_task_cost callback (tests only).

Each returns seconds since boot (or since the docker cgroup began), so a caller keeps a
reading and subtracts it from a later one.
"""
import os
import resource


def cpu_children():
    """user+sys of every child process this process has waited for."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def own_cpu():
    """user+sys of this process alone (not its children)."""
    times = os.times()
    return times.user + times.system


def machine_busy_cpu():
    """CPU seconds the machine spent busy since boot, every process and container included
    (/proc/stat: user, nice, system, irq, softirq, steal; guest time is inside user)."""
    with open("/proc/stat") as handle:
        fields = [int(x) for x in handle.readline().split()[1:9]]
    return (sum(fields) - fields[3] - fields[4]) / os.sysconf("SC_CLK_TCK")


def containers_cpu():
    """CPU seconds used by every docker container (cgroup v1, or v2 with cgroupfs), or None."""
    try:
        with open("/sys/fs/cgroup/cpuacct/docker/cpuacct.usage") as handle:
            return int(handle.read()) / 1e9
    except OSError:
        pass
    try:
        with open("/sys/fs/cgroup/docker/cpu.stat") as handle:
            usage = dict(line.split() for line in handle if line.strip())
        return int(usage["usage_usec"]) / 1e6
    except (OSError, KeyError, ValueError):
        return None
