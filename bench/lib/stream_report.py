"""Renders bench/stream.sh's measurements as Markdown: catch-up rates, their ratio, lag under load, the machine.

    python3 stream_report.py RESULTS_TSV LAG_TSV FACTS_TSV

RESULTS_TSV is bench/lib/common.sh's bench_record format (name, seconds, changes, "-", note, CPU-seconds line of
bench/lib/cpu.sh: databases, our engine process, Temporal (not running here), clients); LAG_TSV has one
`series<TAB>seconds` line per lag sample; FACTS_TSV one `key<TAB>value` line per fact. The target is issue 15's:
our catch-up rate at least 0.8x native logical replication's on the same backlog.
"""

import sys

from report import cpu_total, read_facts, read_results, figure, rate, verdict

CATCH_UP_TARGET = 0.8


def percentile(values, p):
    """The nearest-rank percentile: the smallest sample with at least p% of the samples at or below it."""
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * p // 100))
    return ordered[int(rank) - 1]


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    results = read_results(sys.argv[1])
    facts = read_facts(sys.argv[3])
    series = {}
    with open(sys.argv[2], encoding="utf-8") as f:
        for line in f:
            if "\t" in line:
                name, value = line.rstrip("\n").split("\t", 1)
                series.setdefault(name, []).append(float(value))
    out = [f"# Change-capture benchmark, pgbench scale {facts.get('scale')}, "
           f"{int(facts.get('transactions', 0)):,}-transaction backlog, {facts.get('date')}", ""]
    out += ["| measurement | seconds | changes | changes/s | CPU-seconds (worker: our engine process) | note |",
            "| --- | ---: | ---: | ---: | --- | --- |"]
    for m in results:
        out.append(f"| {m['name']} | {figure(m['seconds'], 2)} | {m['rows']:,} | {figure(rate(m))} "
                   f"| {m['cpu'] or '-'} | {m['note'].replace('|', '/')} |")
    ours = next((m for m in results if m["name"].startswith("catch-up, ours")), None)
    native = next((m for m in results if m["name"].startswith("catch-up, native")), None)
    out += ["", "| comparison | ratio | target | verdict |", "| --- | ---: | ---: | --- |"]
    if ours and native and ours["seconds"] and native["seconds"]:
        r = rate(ours) / rate(native)
        out.append(f"| catch-up rate, ours vs native logical replication | {r:.2f}x | >= {CATCH_UP_TARGET}x "
                   f"| {verdict(r >= CATCH_UP_TARGET)} |")
    if ours and native and cpu_total(ours) and cpu_total(native):
        per_ours = 1000 * cpu_total(ours) / ours["rows"]
        per_native = 1000 * cpu_total(native) / native["rows"]
        out.append(f"| CPU-seconds per 1,000 changes, ours ({per_ours:.3f}) vs native ({per_native:.3f}) "
                   f"| {per_ours / per_native:.2f}x | (what the rate ratio follows on a busy machine) | - |")
    out += ["", "Lag under the steady load (seconds; one sample a second):", "",
            "| series | samples | p50 | p95 | max |", "| --- | ---: | ---: | ---: | ---: |"]
    for name, values in series.items():
        out.append(f"| {name} | {len(values)} | {percentile(values, 50):.2f} | {percentile(values, 95):.2f} "
                   f"| {max(values):.2f} |")
    out += ["", "Machine and run:", ""]
    out += [f"- {key}: {value}" for key, value in facts.items() if key not in ("scale", "transactions", "date")]
    print("\n".join(out))


if __name__ == "__main__":
    main()
