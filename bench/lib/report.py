"""Renders the bench's measurements as Markdown: the figures, the ratios against their targets, and the machine.

    python3 report.py RESULTS_TSV FACTS_TSV

RESULTS_TSV has one line per measurement (name, seconds or "-", rows, max worker heap in MiB or "-", note, and
optionally the CPU-seconds line of bench/lib/cpu.sh), as bench/lib/common.sh's bench_record writes it. FACTS_TSV has one `key<TAB>value` line per fact about the run
(scale, machine, versions). The targets are the product's (issue 5): backfill at least 0.8x the raw COPY pipe's
rows/s, validation at least 2x faster than reladiff, the worker's heap within 512 MiB; issue 20's: the backfill at its
best parallelism at least 1.0x pgcopydb at its best setting, and at most 1.2x the raw pipe's CPU-seconds. A measurement run more than
once (the raw pipe, the validations) enters the ratios with its fastest run: for the raw pipe, the harsher comparison.
"""

import csv
import sys

BACKFILL_TARGET = 0.8
VALIDATION_TARGET = 2.0
HEAP_LIMIT_MIB = 512
PGCOPYDB_TARGET = 1.0
CPU_TARGET = 1.2


def read_results(path):
    with open(path, encoding="utf-8") as f:
        rows = list(csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE))
    return [dict(name=r[0], seconds=number(r[1]), rows=int(r[2]), heap=number(r[3]), note=r[4],
                 cpu=r[5] if len(r) > 5 else "") for r in rows]


def cpu_total(m):
    """The sum at the end of a CPU-seconds line ("databases 1.0 + ... = 8.3"), or None."""
    return float(m["cpu"].rsplit("=", 1)[1]) if "=" in m.get("cpu", "") else None


def read_facts(path):
    with open(path, encoding="utf-8") as f:
        return dict(line.rstrip("\n").split("\t", 1) for line in f if "\t" in line)


def number(text):
    return None if text == "-" else float(text)


def rate(m):
    return m["rows"] / m["seconds"] if m["seconds"] else None


def figure(value, digits=0):
    return "-" if value is None else f"{value:,.{digits}f}"


def verdict(ok):
    return "meets the target" if ok else "**falls short**"


def figures_table(results):
    lines = ["| measurement | seconds | rows/s | worker heap max (MiB) | CPU-seconds | note |",
             "| --- | ---: | ---: | ---: | --- | --- |"]
    for m in results:
        lines.append(f"| {m['name']} | {figure(m['seconds'], 2)} | {figure(rate(m))} | {figure(m['heap'])} "
                     f"| {m['cpu'] or '-'} | {m['note'].replace('|', '/')} |")
    return lines


def fastest_runs(results):
    """Each measurement's fastest run, by name; a measurement without any timed run keeps its untimed record."""
    fastest = {}
    for m in results:
        best = fastest.get(m["name"])
        if best is None or (m["seconds"] and (not best["seconds"] or m["seconds"] < best["seconds"])):
            fastest[m["name"]] = m
    return fastest


def ratio_lines(results):
    by_name = fastest_runs(results)
    raw = by_name.get("raw COPY pipe (psql to psql)")
    lines = ["| comparison | ratio | target | verdict |", "| --- | ---: | ---: | --- |"]
    for m in by_name.values():
        if m["name"].startswith("backfill") and raw and m["seconds"]:
            r = rate(m) / rate(raw)
            lines.append(f"| {m['name']} vs raw COPY pipe (rows/s) | {r:.2f}x | >= {BACKFILL_TARGET}x "
                         f"| {verdict(r >= BACKFILL_TARGET)} |")
    for m in by_name.values():
        if m["name"].startswith("pgloader") and raw and m["seconds"]:
            lines.append(f"| pgloader vs raw COPY pipe (rows/s) | {rate(m) / rate(raw):.2f}x | (peer) | - |")
    timed = [m for m in by_name.values() if m["seconds"]]
    pgcopydb = min((m for m in timed if m["name"].startswith("pgcopydb")), key=lambda m: m["seconds"], default=None)
    backfills = [m for m in timed if m["name"].startswith("backfill")]
    if pgcopydb:
        for m in backfills:
            r = rate(m) / rate(pgcopydb)
            lines.append(f"| {m['name']} vs {pgcopydb['name']} (its best; rows/s) | {r:.2f}x | >= {PGCOPYDB_TARGET}x "
                         f"at the best parallelism | {verdict(r >= PGCOPYDB_TARGET)} |")
    if raw and cpu_total(raw):
        for m in backfills + ([pgcopydb] if pgcopydb else []):
            if cpu_total(m) is not None:
                r = cpu_total(m) / cpu_total(raw)
                target = f"<= {CPU_TARGET}x" if m["name"].startswith("backfill") else "(peer)"
                judged = verdict(r <= CPU_TARGET) if m["name"].startswith("backfill") else "-"
                lines.append(f"| CPU-seconds, {m['name']} vs raw COPY pipe | {r:.2f}x | {target} | {judged} |")
    ours = by_name.get("validation, runbook")
    for peer in ("reladiff", "data-diff"):
        other = by_name.get(peer)
        if ours and other and ours["seconds"] and other["seconds"]:
            r = other["seconds"] / ours["seconds"]
            target = f">= {VALIDATION_TARGET}x" if peer == "reladiff" else "(peer)"
            judged = verdict(r >= VALIDATION_TARGET) if peer == "reladiff" else "-"
            lines.append(f"| validation speed-up over {peer} ({peer} s / ours s) | {r:.2f}x | {target} | {judged} |")
    heaps = [m["heap"] for m in results if m["heap"] is not None]
    if heaps:
        lines.append(f"| worker heap max over all runbook runs | {max(heaps):,.0f} MiB | <= {HEAP_LIMIT_MIB} MiB "
                     f"| {verdict(max(heaps) <= HEAP_LIMIT_MIB)} |")
    return lines


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    results = read_results(sys.argv[1])
    facts = read_facts(sys.argv[2])
    out = [f"# Benchmark, scale {facts.get('scale')} ({int(facts.get('rows', 0)):,} rows), {facts.get('date')}", ""]
    out += figures_table(results) + [""]
    out += ["Ratios use each measurement's fastest run (for the raw pipe, the harsher comparison):", ""]
    out += ratio_lines(results) + [""]
    out += ["Machine and run:", ""]
    out += [f"- {key}: {value}" for key, value in facts.items() if key not in ("scale", "rows", "date")]
    print("\n".join(out))


if __name__ == "__main__":
    main()
