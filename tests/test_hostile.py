"""Issue 14's cases, each kept as a regression test.  The table below maps every numbered
case of the issue to the tests that hold it (``path::test``, under ``tests/``); the test in
this module checks that each one named still exists, so the table cannot drift.

====  ===========================================  ==========================================================================
case  what                                         tests
====  ===========================================  ==========================================================================
1     SPARQL ``SERVICE`` escapes to the network    interchange/test_hostile_sparql.py::test_federated_queries_are_refused_and_send_nothing
                                                   interchange/test_hostile_sparql.py::test_the_listener_would_see_a_federated_query
                                                   interchange/test_hostile_sparql.py::test_generated_federated_queries_are_all_refused
                                                   test_hostile_fuzz.py::test_sparql_fuzz
2     output destroys devices, FIFOs, links        io/test_hostile_files.py::test_a_symlink_is_kept_and_its_target_written
                                                   io/test_hostile_files.py::test_a_fifo_is_written_to_not_replaced
                                                   io/test_hostile_files.py::test_a_device_is_written_to_not_replaced
                                                   io/test_hostile_files.py::test_dev_stdout_into_a_pipe_is_written_through
3     the cache runs code, replays planted text    io/test_hostile_cache.py::test_a_planted_graph_entry_runs_no_code
                                                   io/test_hostile_cache.py::test_a_planted_answer_is_not_replayed
                                                   io/test_hostile_cache.py::test_a_folder_writable_by_others_is_refused_with_one_line
4     an unreadable input is a traceback           io/test_hostile_load.py::test_an_unreadable_file_is_one_line
                                                   io/test_hostile_load.py::test_an_unreadable_folder_is_one_line
                                                   io/test_hostile_load.py::test_an_unreadable_eto_csv_is_one_line
5     loading is quadratic in fan-out              io/test_hostile_load.py::test_many_objects_of_one_predicate_are_added_in_linear_time
                                                   io/test_hostile_load.py::test_one_item_with_30000_suppliers_loads
6     endpoint reads unbounded in time and size    io/test_hostile_endpoint.py::test_cli_a_byte_a_second_meets_endpoint_timeout
                                                   io/test_hostile_endpoint.py::test_cli_an_endless_answer_meets_endpoint_max_mb
                                                   io/test_hostile_endpoint.py::test_a_huge_announced_answer_is_refused_before_reading
                                                   io/test_hostile_endpoint.py::test_cli_bad_bounds_are_usage_errors
7     ``sparql`` has no timeout, no row cap        interchange/test_hostile_sparql.py::test_timeout_stops_a_runaway_query
                                                   interchange/test_hostile_sparql.py::test_limit_caps_the_rows_and_says_so
                                                   interchange/test_hostile_sparql.py::test_sparql_has_safe_defaults
8     ``RecursionError`` past ~990 levels          cli/test_hostile_cli.py::test_a_deep_chain_is_walked_without_recursion
9     ``export --format csv`` into a bad folder    io/test_hostile_files.py::test_export_csv_into_a_folder_it_cannot_create_is_one_line
10    kill -9 leaves temporary files               io/test_hostile_files.py::test_leftovers_of_a_killed_run_are_swept_by_the_next_write
11    invalid data used without a word             queries/test_hostile_data.py::test_a_share_outside_0_to_1_is_refused_at_load
                                                   io/test_hostile_load.py::test_a_share_outside_0_1_is_refused
                                                   io/test_hostile_load.py::test_an_untyped_requirement_is_unmet_and_warned
                                                   io/test_hostile_load.py::test_two_classes_are_refused_with_file_and_line
                                                   io/test_hostile_load.py::test_the_same_path_twice_is_read_once_with_a_warning
                                                   test_hostile_eto_fuzz.py::test_eto_fuzz
12    a requirement cycle gives no reason          engine/test_rules.py::test_a_requirement_cycle_is_named_as_the_reason
13    a full stdout is a traceback                 cli/test_hostile_cli.py::test_a_full_stdout_is_one_line
14    ``chokepoints --json`` grows quadratically   cli/test_hostile_cli.py::test_a_huge_json_ranking_keeps_only_the_chains_asked_for
15    ``stats`` on an empty file, empty ``--store``  engine/test_rules.py::test_stats_on_a_graph_without_edges_says_so
                                                   cli/test_hostile_cli.py::test_an_empty_store_folder_is_named_whole
====  ===========================================  ==========================================================================

The fuzz runs (generated SPARQL, Turtle, names, ETO CSV folders: ``test_hostile_fuzz.py``,
``test_hostile_eto_fuzz.py``) take 100 inputs each with the suite and 10,000 each in CI's slow
step (``pytest -m slow``).
"""

from __future__ import annotations

import re
from pathlib import Path

TESTS = Path(__file__).parent


def _table() -> dict[int, list[str]]:
    """Case -> the ``path::test`` names the docstring's table gives.  O(lines)."""
    cases: dict[int, list[str]] = {}
    case = 0
    for line in (__doc__ or "").splitlines():
        head = re.match(r"(\d+)\s", line)
        if head:
            case = int(head.group(1))
        for ref in re.findall(r"[\w/]+\.py::test_\w+", line):
            cases.setdefault(case, []).append(ref)
    return cases


def test_every_case_of_issue_14_has_a_test_that_exists() -> None:
    table = _table()
    assert sorted(table) == list(range(1, 16))
    for case, refs in table.items():
        for ref in refs:
            path, name = ref.split("::")
            text = (TESTS / path).read_text(encoding="utf-8")
            assert re.search(rf"^def {name}\(", text, re.MULTILINE), f"case {case}: {ref} is gone"
