"""Reading wrk's report and writing the load table of docs/performance.md (make bench-load).

Pure functions on text, so they are tested without wrk or a server.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# wrk calls response() for every answer when a script defines it; the counts of 4xx and
# 5xx are summed over wrk's threads in done(), which runs once at the end.
STATUS_SCRIPT = """
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) s4xx = 0; s5xx = 0 end
function response(status, headers, body)
  if status >= 500 then s5xx = s5xx + 1 elseif status >= 400 then s4xx = s4xx + 1 end
end
function done(summary, latency, requests)
  local t4, t5 = 0, 0
  for _, t in ipairs(threads) do t4 = t4 + t:get("s4xx"); t5 = t5 + t:get("s5xx") end
  io.write(string.format("STATUS 4xx=%d 5xx=%d\\n", t4, t5))
end
"""
UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0}
LATENCY = re.compile(r"^\s*(50|99)(?:\.0+)?%\s+([\d.]+)(us|ms|s)\s*$", re.MULTILINE)
RATE = re.compile(r"^Requests/sec:\s+([\d.]+)", re.MULTILINE)
SOCKET = re.compile(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)")
NON_2XX = re.compile(r"Non-2xx or 3xx responses: (\d+)")
STATUS = re.compile(r"STATUS 4xx=(\d+) 5xx=(\d+)")
START, END = "<!-- bench-load:{label} -->", "<!-- /bench-load:{label} -->"


class WrkOutputError(ValueError):
    """wrk printed something this module cannot read."""


@dataclass(frozen=True)
class Run:
    rate: float
    p50_ms: float
    p99_ms: float
    socket_errors: int
    non_2xx: int
    status_5xx: int

    @property
    def errors(self) -> int:
        return self.socket_errors + self.non_2xx


def parse_wrk(text: str) -> Run:
    rate = RATE.search(text)
    latencies = {pct: float(value) * UNITS_MS[unit] for pct, value, unit in LATENCY.findall(text)}
    if not rate or set(latencies) != {"50", "99"}:
        raise WrkOutputError(f"no rate or latency distribution in wrk output: {text[:200]!r}")
    socket = SOCKET.search(text)
    status = STATUS.search(text)
    non_2xx = NON_2XX.search(text)
    return Run(
        rate=float(rate.group(1)),
        p50_ms=latencies["50"],
        p99_ms=latencies["99"],
        socket_errors=sum(int(n) for n in socket.groups()) if socket else 0,
        non_2xx=int(non_2xx.group(1)) if non_2xx else 0,
        status_5xx=int(status.group(2)) if status else 0,
    )


def mix_script(paths: list[str]) -> str:
    """STATUS_SCRIPT that asks for the paths in turn, one after the other on each connection."""
    listed = ", ".join(f'"{p}"' for p in paths)
    return (
        STATUS_SCRIPT
        + f"""
paths = {{{listed}}}
counter = 0
function request()
  counter = counter + 1
  return wrk.format(nil, paths[(counter % #paths) + 1])
end
"""
    )


def mix_table(rows: list[tuple[str, Run]], ceiling: Run) -> str:
    """Markdown: one row per way of running the mix."""
    lines = [
        "| mix of public URLs | req/s | share of `/healthz` | p50 ms | p99 ms | errors | 5xx |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for label, run in rows:
        share = 100 * run.rate / ceiling.rate if ceiling.rate else 0
        lines.append(
            f"| {label} | {run.rate:,.1f} | {share:.0f}% | {ms(run, run.p50_ms, 1)} "
            f"| {ms(run, run.p99_ms, 1)} | {run.errors} | {run.status_5xx} |"
        )
    return "\n".join(lines)


def table(rows: list[tuple[str, Run, Run]], ceiling: Run) -> str:
    """Markdown: one row per URL with warm (cached) and cold (uncached) figures."""
    lines = [
        "| URL | warm req/s | share of `/healthz` | warm p50 ms | warm p99 ms "
        "| cold req/s | cold p50 ms | cold p99 ms | errors | 5xx |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for url, warm, cold in rows:
        share = 100 * warm.rate / ceiling.rate if ceiling.rate else 0
        lines.append(
            f"| `{url}` | {warm.rate:,.1f} | {share:.0f}% | {ms(warm, warm.p50_ms, 1)} "
            f"| {ms(warm, warm.p99_ms, 1)} | {cold.rate:,.1f} | {ms(cold, cold.p50_ms, 0)} "
            f"| {ms(cold, cold.p99_ms, 0)} | {warm.errors + cold.errors} "
            f"| {warm.status_5xx + cold.status_5xx} |"
        )
    return "\n".join(lines)


def ms(run: Run, value: float, digits: int) -> str:
    """A latency, or a dash when no request finished within the run (wrk then says 0)."""
    return f"{value:,.{digits}f}" if run.rate else "—"


def replace_section(document: str, label: str, body: str) -> str:
    """Put body between the label's markers, adding them at the end if they are missing."""
    start, end = START.format(label=label), END.format(label=label)
    block = f"{start}\n{body}\n{end}"
    if start in document and end in document:
        before, rest = document.split(start, 1)
        return before + block + rest.split(end, 1)[1]
    return document.rstrip("\n") + f"\n\n{block}\n"
