"""Reading wrk's report and writing the load table (make bench-load), without wrk."""

import pytest

from kbapp.loadtest import (
    Run,
    WrkOutputError,
    mix_script,
    mix_table,
    parse_wrk,
    replace_section,
    table,
)

WRK = """Running 5s test @ http://127.0.0.1:8100/advice/
  2 threads and 64 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency    28.10ms   10.00ms 103.80ms   70.00%
  Latency Distribution
     50%   28.10ms
     75%   33.00ms
     90%   40.00ms
     99%  103.80ms
  10180 requests in 5.00s, 80.00MB read
  Socket errors: connect 0, read 2, write 0, timeout 1
  Non-2xx or 3xx responses: 4
Requests/sec:   2036.00
Transfer/sec:     16.00MB
STATUS 4xx=3 5xx=1
"""


def test_parse_reads_rate_latencies_errors_and_statuses():
    run = parse_wrk(WRK)
    assert run == Run(
        rate=2036.0, p50_ms=28.1, p99_ms=103.8, socket_errors=3, non_2xx=4, status_5xx=1
    )
    assert run.errors == 7


def test_latency_units_are_converted_to_milliseconds():
    text = WRK.replace("28.10ms", "950.00us").replace("103.80ms", "1.20s")
    run = parse_wrk(text)
    assert (run.p50_ms, run.p99_ms) == pytest.approx((0.95, 1200.0))


def test_output_without_figures_is_an_error():
    with pytest.raises(WrkOutputError):
        parse_wrk("unable to connect to 127.0.0.1:8100 Connection refused")


def test_table_gives_shares_of_the_ceiling_and_dashes_when_nothing_finished():
    ceiling = Run(4000.0, 15.0, 30.0, 0, 0, 0)
    page = Run(1000.0, 50.0, 90.0, 0, 0, 0)
    stuck = Run(0.0, 0.0, 0.0, 0, 0, 0)
    markdown = table([("/healthz", ceiling, ceiling), ("/", page, stuck)], ceiling)
    assert "| `/healthz` | 4,000.0 | 100% | 15.0 | 30.0 | 4,000.0 | 15 | 30 | 0 | 0 |" in markdown
    assert "| `/` | 1,000.0 | 25% | 50.0 | 90.0 | 0.0 | — | — | 0 | 0 |" in markdown


def test_sections_are_replaced_in_place_or_appended():
    doc = "# Perf\n\n<!-- bench-load:demo -->\nold\n<!-- /bench-load:demo -->\n\nAfter.\n"
    replaced = replace_section(doc, "demo", "new")
    assert (
        replaced == "# Perf\n\n<!-- bench-load:demo -->\nnew\n<!-- /bench-load:demo -->\n\nAfter.\n"
    )
    appended = replace_section("# Perf\n", "corpus", "table")
    assert appended == "# Perf\n\n<!-- bench-load:corpus -->\ntable\n<!-- /bench-load:corpus -->\n"


def test_the_mix_script_asks_for_every_path_in_turn_and_counts_statuses():
    script = mix_script(["/", "/advice/?location=knees"])
    assert 'paths = {"/", "/advice/?location=knees"}' in script
    assert "function request()" in script and "STATUS 4xx" in script


def test_the_mix_table_shows_each_run_against_the_ceiling():
    ceiling = Run(rate=1000.0, p50_ms=1, p99_ms=2, socket_errors=0, non_2xx=0, status_5xx=0)
    busy = Run(rate=400.0, p50_ms=20, p99_ms=120.5, socket_errors=1, non_2xx=2, status_5xx=0)
    markdown = mix_table([("busy", busy)], ceiling)
    assert "| busy | 400.0 | 40% | 20.0 | 120.5 | 3 | 0 |" in markdown
