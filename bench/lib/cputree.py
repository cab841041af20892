"""CPU-seconds used so far by process trees, from /proc, as pidstat would count them (and the dead ones too).

    python3 cputree.py NAME=PID [NAME=PID ...] [NAME=children:PID ...]

Prints one `NAME<TAB>seconds` line per argument. NAME=PID: the process PID and every living descendant, each
counted as utime + stime + cutime + cstime (the c- fields hold what its reaped children used, so a backend that
ended since is still counted, by the process that reaped it). NAME=children:PID: only the reaped children of PID
(cutime + cstime): for a shell, what its finished foreground commands used. A PID that is gone counts 0.
bench/lib/cpu.sh takes two readings and prints their difference.
"""

import os
import sys

TICKS = os.sysconf("SC_CLK_TCK")


def read_all():
    procs = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as f:
                text = f.read()
        except OSError:
            continue  # ended while we looked
        # The command name may hold spaces and parentheses: the fields start after the last ')'.
        fields = text[text.rindex(")") + 2:].split()
        # fields[0] is field 3 of proc(5): state; ppid is field 4, utime..cstime are fields 14..17.
        procs[int(entry)] = (int(fields[1]), [int(x) for x in fields[11:15]])
    return procs


def tree_ticks(procs, root):
    children = {}
    for pid, (ppid, _) in procs.items():
        children.setdefault(ppid, []).append(pid)
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        if pid in procs:
            total += sum(procs[pid][1])
            todo.extend(children.get(pid, []))
    return total


def main():
    procs = read_all()
    for arg in sys.argv[1:]:
        name, _, what = arg.partition("=")
        if what.startswith("children:"):
            pid = int(what.split(":", 1)[1])
            ticks = sum(procs[pid][1][2:]) if pid in procs else 0
        else:
            ticks = tree_ticks(procs, int(what)) if what.isdigit() else 0
        print(f"{name}\t{ticks / TICKS:.2f}")


if __name__ == "__main__":
    main()
