"""`sync.touched`: what a batch names, so that a store reads it all at once (issue 8, a push that scales)."""

from __future__ import annotations

from sync import Mutation, touched

A, B, C = ("6f1c2a7e-3b4d-4c5e-8f90-1a2b3c4d5e6f", "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d",
           "11111111-2222-4333-8444-555555555555")


def test_a_batch_names_its_days_and_the_flows_it_adds_voids_or_corrects():
    batch = [
        Mutation(1, "day.put", {"register_id": 1, "date": "2025-03-14", "base_revision": 0, "fields": {}}),
        Mutation(2, "flow.add", {"register_id": 1, "date": "2025-03-14", "flow": {"id": A, "kind": "cash_in"}}),
        Mutation(3, "flow.add", {"register_id": 2, "date": "2025-03-15",
                                 "flow": {"id": B, "kind": "void", "voids": A, "corrects": C}}),
        Mutation(4, "day.close", {"register_id": 1, "date": "2025-03-14", "base_revision": 1}),
    ]
    names = touched(batch)
    assert names.days == {(1, "2025-03-14"), (2, "2025-03-15")}
    assert names.flows == {A, B, C}


def test_args_of_the_wrong_shape_name_nothing():
    batch = [
        Mutation(1, "day.put", {"register_id": True, "date": "2025-03-14"}),
        Mutation(2, "day.put", {"register_id": "1", "date": "2025-03-14"}),
        Mutation(3, "day.put", {"register_id": 1, "date": "2025-02-30"}),
        Mutation(4, "day.put", {"register_id": 1, "date": "14/03/2025"}),
        Mutation(5, "flow.add", {"register_id": 1, "date": 20250314, "flow": {"id": "not-a-uuid", "voids": 3}}),
        Mutation(6, "flow.add", {"flow": [A]}),
        Mutation(7, "day.reopen", {"flow": {"id": A}}),  # only flow.add names flows
    ]
    names = touched(batch)
    assert names.days == frozenset() and names.flows == frozenset()
