#!/usr/bin/env python3
"""Renders bench/compare.sh's raw JSON lines as Markdown: workload, moto, localorg, ratio.

usage: report.py RESULTS.jsonl > latest.md
Medians over rounds; "advantage" is how many times better localorg is (moto time / localorg time,
or localorg rate / moto rate). Standard library only.
"""
import json
import statistics
import sys

SERVERS = ("moto", "localorg")


def load(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def median(xs):
    xs = [x for x in xs if x is not None]
    return statistics.median(xs) if xs else None


def fmt(x, unit=""):
    if x is None:
        return "—"
    if isinstance(x, str):
        return x
    if x >= 100:
        s = f"{x:,.0f}"
    elif x >= 10:
        s = f"{x:.1f}"
    else:
        s = f"{x:.2f}"
    return f"{s}{unit}"


def ratio(moto, local, higher_is_better):
    if not isinstance(moto, (int, float)) or not isinstance(local, (int, float)):
        return "—"
    if moto <= 0 or local <= 0:
        return "—"
    r = local / moto if higher_is_better else moto / local
    return f"**{r:,.1f}×**" if r >= 10 else f"{r:.2f}×"


def status_note(runs):
    """A cell text for runs that did not measure cleanly, else None."""
    if not runs:
        return "not run"
    for r in runs:
        st = r.get("status")
        if st == "not_implemented":
            return f"not implemented ({r.get('note', '')})"
        if st == "setup_failed":
            note = (r.get("note") or "")[:80]
            return f"setup failed: {note}"
    errs = sum(r.get("errors", 0) for r in runs)
    if errs and all(r.get("ok", 0) == 0 for r in runs):
        codes = {}
        for r in runs:
            for k, v in (r.get("error_codes") or {}).items():
                codes[k] = codes.get(k, 0) + v
        if set(codes) == {"PaginationCutOff"}:
            pages = max(r.get("requests", 0) for r in runs)
            limit = max(r.get("duration_limit_s", 0) for r in runs)
            return f"> {limit:g} s (cut off after {pages} pages)"
        if set(codes) == {"NotDenied"}:
            return "not enforced (every call allowed)"
        top = ", ".join(f"{k}×{v}" for k, v in sorted(codes.items(), key=lambda kv: -kv[1])[:2])
        return f"all failed ({top})"
    return None


def error_suffix(runs):
    errs = sum(r.get("errors", 0) for r in runs)
    ops = sum(r.get("ops", 0) for r in runs)
    if errs and ops:
        codes = {}
        for r in runs:
            for k, v in (r.get("error_codes") or {}).items():
                codes[k] = codes.get(k, 0) + v
        top = ", ".join(f"{k}" for k in sorted(codes, key=lambda k: -codes[k])[:2])
        return f" ({100.0 * errs / ops:.0f}% errors: {top})"
    return ""


def multipart_rows(w, name, cells):
    """The s3-multipart rows: upload and download MB/s (from each run's extra facts)."""
    for key, err_key, metric in (
        ("upload_mb_per_s", "complete_error", "upload MB/s (create + parts + complete)"),
        ("download_mb_per_s", "download_error", "download MB/s (one streamed GetObject)"),
    ):
        v, text = {}, {}
        for s in SERVERS:
            note, ok, rs = cells[s]
            vals = [(r.get("extra") or {}).get(key) for r in rs]
            v[s] = median(vals)
            errs = [(r.get("extra") or {}).get(err_key) for r in rs if (r.get("extra") or {}).get(err_key)]
            if v[s] is not None:
                text[s] = fmt(v[s])
            elif note:
                text[s] = note
            elif errs:
                text[s] = f"failed: {errs[0][:80]}"
            elif key == "download_mb_per_s" and any((r.get("extra") or {}).get("upload_mb_per_s") is None for r in rs):
                text[s] = "not run (upload failed)"
            else:
                text[s] = "—" if rs else "not run"
        w(f"| {name} | {metric} | {text['moto']} | {text['localorg']} | {ratio(v['moto'], v['localorg'], True)} |")


def main():
    rows = load(sys.argv[1])
    meta = next((r for r in rows if r.get("workload") == "meta"), {})
    runs = [r for r in rows if r.get("workload") not in ("meta", "rss", "rss-peak", "cold-start")]

    def pick(label, workload, tag):
        return [r for r in runs if r.get("label") == label and r.get("workload") == workload and r.get("tag") == tag]

    out = []
    w = out.append
    w("# localorg vs moto_server — side by side, same signed workloads, one run")
    w("")
    w(f"- Date: {meta.get('date', '?')}; host: {meta.get('cpus', '?')} CPUs ({meta.get('cpu', '?')}); "
      f"load average at start {meta.get('loadavg_start', '?')}, at end {meta.get('loadavg_end', '?')}")
    w(f"- localorg {meta.get('localorg_rev', '?')} (release build, `serve --in-memory`, default logging to a file); "
      f"moto[server] {meta.get('moto_version', '?')} (`moto_server`, logging to a file)")
    w(f"- Load generator: `localorg-loadgen` (Rust, SigV4-signs every request with the `aws-sigv4` crate, "
      f"{meta.get('connections', '?')} keep-alive connections for throughput runs, one for sequential ones); "
      f"{meta.get('rounds', '?')} rounds alternating moto/localorg (A B, B A, …), {meta.get('duration', '?')} s per "
      f"throughput run; medians over rounds. Client and servers share the same cores.")
    if any(r.get("workload") in ("s3-put-4k", "s3-get-4k") for r in runs):
        w("- S3 4 KB PutObject / GetObject: path-style, SigV4 over the payload's SHA-256, against the same "
          "servers as above (localorg `serve --in-memory`: object bodies in memory).")
    if any(r.get("workload") == "s3-multipart" for r in runs):
        w(f"- S3 multipart: one {meta.get('size_mb', '?')} MB object (1 MB = 2^20 bytes) in 8 MB parts, "
          f"{meta.get('connections', '?')} parts in flight, `UNSIGNED-PAYLOAD`; upload MB/s = size ÷ "
          "(CreateMultipartUpload + all UploadParts + CompleteMultipartUpload); download MB/s = size ÷ one "
          "GetObject read to its last byte (counted, never held by the client). Against a fresh server "
          "each: localorg `serve --data-dir` (bodies streamed to files on disk), moto_server as it keeps "
          "bodies. Server RSS sampled from /proc every 0.5 s during the run.")
    w("- Advantage = how many times better localorg is (rate ÷ rate, or time ÷ time).")
    w("")
    w("| Workload | Metric | moto | localorg | Advantage |")
    w("|---|---|---:|---:|---:|")

    # Cold start.
    cs = {s: median([r.get("cold_start_ms") for r in rows if r.get("workload") == "cold-start"
                     and r.get("label") == s and r.get("status") == "ok"]) for s in SERVERS}
    if any(r.get("workload") == "cold-start" for r in rows):
        w(f"| Cold start (spawn → first signed GetCallerIdentity) | ms, median | {fmt(cs['moto'])} | "
          f"{fmt(cs['localorg'])} | {ratio(cs['moto'], cs['localorg'], False)} |")

    # One row per (tag, workload) in first-seen order.
    seen = []
    for r in runs:
        key = (r.get("tag", ""), r.get("workload"))
        if key not in seen:
            seen.append(key)
    details = []
    for tag, workload in seen:
        cells = {}
        for s in SERVERS:
            rs = pick(s, workload, tag)
            note = status_note(rs)
            ok = [r for r in rs if r.get("status") in ("ok", "errors") and r.get("ops", 0) > 0]
            cells[s] = (note, ok, rs)
        name = f"{workload} ({tag})" if tag else workload
        if workload == "s3-multipart":
            multipart_rows(w, name, cells)
        if workload == "create-accounts":
            metric, higher = "seconds for the batch (incl. status polls), median", False
            val = lambda ok: median([r["elapsed_s"] for r in ok])
            name = f"CreateAccount ×{(cells['localorg'][1] or cells['moto'][1] or [{}])[0].get('ops', '?')} sequential, until SUCCEEDED ({tag})"
        elif workload == "seed-accounts":
            metric, higher = "accounts created per second", True
            val = lambda ok: median([r["ops_per_s"] for r in ok])
        elif workload == "list-accounts":
            metric, higher = "ms per full pagination (20/page), p50", False
            val = lambda ok: median([r["latency_us"]["p50"] / 1000.0 for r in ok])
        elif workload in ("ou-move", "assume-role", "ic-assignments", "ic-users"):
            metric, higher = "ops/s (an op = 2 calls)", True
            val = lambda ok: median([r["ops_per_s"] for r in ok])
        else:
            metric, higher = "requests/s", True
            val = lambda ok: median([r["requests_per_s"] for r in ok])
        v = {}
        text = {}
        for s in SERVERS:
            note, ok, rs = cells[s]
            if note:
                v[s], text[s] = None, note
            elif ok:
                v[s] = val(ok)
                text[s] = fmt(v[s]) + error_suffix(rs)
            else:
                v[s], text[s] = None, "no ops"
        if workload != "s3-multipart":
            w(f"| {name} | {metric} | {text['moto']} | {text['localorg']} | {ratio(v['moto'], v['localorg'], higher)} |")
        for s in SERVERS:
            note, ok, rs = cells[s]
            if ok:
                lat = lambda q: median([r["latency_us"][q] for r in ok])
                extra = ok[-1].get("extra") or {}
                acc = extra.get("accounts_seen", extra.get("accounts_present", ""))
                details.append(
                    f"| {name} | {s} | {len(ok)} | {sum(r['requests'] for r in ok):,} | "
                    f"{fmt(median([r['requests_per_s'] for r in ok]))} | {fmt(lat('p50') / 1000)} | "
                    f"{fmt(lat('p90') / 1000)} | {fmt(lat('p99') / 1000)} | {fmt(lat('max') / 1000)} | "
                    f"{sum(r.get('errors', 0) for r in ok)} | {acc} |")

    # RSS.
    rss_tags = []
    for r in rows:
        if r.get("workload") == "rss" and r.get("tag") not in rss_tags:
            rss_tags.append(r.get("tag"))
    for tag in rss_tags:
        m = {s: next((r.get("rss_kb") for r in rows if r.get("workload") == "rss" and r.get("tag") == tag
                      and r.get("label") == s), None) for s in SERVERS}
        acc = {s: next((r.get("accounts") for r in rows if r.get("workload") == "rss" and r.get("tag") == tag
                        and r.get("label") == s), None) for s in SERVERS}
        mb = {s: (m[s] / 1024.0 if m[s] else None) for s in SERVERS}
        label = {s: fmt(mb[s], " MB") + (f" ({acc[s]:,} accts)" if acc[s] is not None else "") for s in SERVERS}
        w(f"| Server RSS: {tag} | MB (VmRSS from /proc) | {label['moto']} | {label['localorg']} | "
          f"{ratio(mb['moto'], mb['localorg'], False)} |")

    # RSS while the multipart workload ran (idle just before, peak of the 0.5 s samples).
    peak_tags = []
    for r in rows:
        if r.get("workload") == "rss-peak" and r.get("tag") not in peak_tags:
            peak_tags.append(r.get("tag"))
    for tag in peak_tags:
        rec = {s: next((r for r in rows if r.get("workload") == "rss-peak" and r.get("tag") == tag
                        and r.get("label") == s), None) for s in SERVERS}
        text, peak = {}, {}
        for s in SERVERS:
            r = rec[s]
            if not r:
                text[s], peak[s] = "not run", None
                continue
            peak[s] = r["peak_kb"] / 1024.0
            text[s] = f"idle {fmt(r['idle_kb'] / 1024.0, ' MB')}, peak {fmt(peak[s], ' MB')}"
            if r.get("data_dir_kb") is not None:
                text[s] += f" ({fmt(r['data_dir_kb'] / 1024.0, ' MB')} in the data dir)"
        w(f"| Server RSS during the S3 multipart upload + download ({tag}) | VmRSS, sampled every "
          f"0.5 s | {text['moto']} | {text['localorg']} | {ratio(peak['moto'], peak['localorg'], False)} |")

    w("")
    w("## Latency detail (medians over rounds; ms)")
    w("")
    w("| Workload | Server | Rounds | Requests | req/s | p50 | p90 | p99 | max | Errors | Accounts listed |")
    w("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    out.extend(details)
    w("")
    print("\n".join(out))


if __name__ == "__main__":
    main()
