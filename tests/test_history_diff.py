"""The item diff: added, removed, changed field by field; moves are not changes."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from policycheck.history.diff import diff
from policycheck.history.scan import scan
from policycheck.history.words import Words
from policycheck.model import Item

ids = st.from_regex(r"[A-Z][A-Z0-9_]{2,6}", fullmatch=True)
text = st.text(max_size=20)
items = st.builds(
    Item,
    id=ids,
    type=st.sampled_from(["goal", "action", "followup", "org", "decision"]),
    title=text,
    status=st.none() | st.sampled_from(["active", "done", "planned"]),
    content=st.none() | text,
    due=st.none() | st.just("2027-01-01"),
    owner=st.lists(ids, max_size=2),
    docname=st.none() | text,
    lineno=st.none() | st.integers(0, 1000),
)
registers = st.lists(items, max_size=15).map(lambda xs: {i.id: i for i in xs})


@given(registers)
def test_a_register_against_itself_has_no_changes(register: dict[str, Item]) -> None:
    assert not diff(register, register)


@given(registers, st.data())
def test_moving_or_reformatting_items_is_no_change(register: dict[str, Item], data) -> None:  # type: ignore[no-untyped-def]
    moved = {
        i: Item(
            **{
                **{f: getattr(item, f) for f in item.__struct_fields__},
                "docname": data.draw(text),
                "lineno": data.draw(st.integers(0, 9999)),
                "content": None if item.content is None else f"  {item.content}\n\n ",
                "owner": list(reversed(item.owner)),
            }
        )
        for i, item in register.items()
    }
    assert not diff(register, moved)


@given(registers, registers)
def test_every_difference_is_told_once(old: dict[str, Item], new: dict[str, Item]) -> None:
    changes = diff(old, new)
    assert {r.id for r in changes.added} == set(new) - set(old)
    assert {r.id for r in changes.removed} == set(old) - set(new)
    for change in changes.changed:
        assert change.fields
        for _, (before, after) in change.fields.items():
            assert before != after


def test_field_by_field_with_old_and_new_values() -> None:
    old = {"G_OK": Item(id="G_OK", type="goal", title="Old", status="active", owner=["O_A"])}
    new = {
        "G_OK": Item(
            id="G_OK",
            type="goal",
            title="New",
            status="achieved",
            owner=["O_B"],
            docname="elsewhere",
            lineno=99,
        )
    }
    changes = diff(old, new)
    assert changes.as_dict()["changed"] == [
        {
            "id": "G_OK",
            "type": "goal",
            "title": "New",
            "fields": {
                "title": ["Old", "New"],
                "status": ["active", "achieved"],
                "owner": [["O_A"], ["O_B"]],
            },
        }
    ]
    assert Words("fi").changed(changes.changed[0]) == (
        "G_OK: otsikko Old → New; tila käynnissä → saavutettu; vastuutaho O_A → O_B"
    )
    assert Words("en").changed(changes.changed[0]).startswith("G_OK: title Old → New; status")
    assert Words("sv").lines(diff({}, new)) == ["G_OK (mål) tillagd: New"]


MYST = """
# Plan

```{goal} Goal one
:id: G_ONE
:status: active
:owner: O_A; O_B

Text of the goal.
```

````md
```{goal} An example in a code block is not an item
:id: G_EXAMPLE
```
````

:::{note}
```{action} Nested in a note
:id: A_ONE
:implements: G_ONE
```
:::

```{goal} No id, no history
```
"""

RST = """
Plan
====

.. goal:: Goal one
   :id: G_ONE
   :status: active
   :owner: O_A,
      O_B

   Text of the goal.

Example::

   .. goal:: Not an item
      :id: G_EXAMPLE

.. note::

   .. action:: Nested in a note
      :id: A_ONE
      :implements: G_ONE
"""


def test_the_scanner_reads_myst_and_rst_alike() -> None:
    md = {i.id: i for i in scan(MYST, "docs/plan.md", {"goal", "action"})}
    rst = {i.id: i for i in scan(RST, "docs/plan.rst", {"goal", "action"})}
    assert set(md) == set(rst) == {"G_ONE", "A_ONE"}
    assert not diff(md, rst)
    assert md["G_ONE"].owner == ["O_A", "O_B"]
    assert md["G_ONE"].content == "Text of the goal."
    assert md["A_ONE"].implements == ["G_ONE"]
    # a renamed type is read by its directive, the others are not
    assert [
        i.id for i in scan(MYST.replace("{action}", "{plan_action}"), "p.md", {"plan_action"})
    ] == ["A_ONE"]


@given(st.text(max_size=300))
def test_the_scanner_never_fails_on_any_text(source: str) -> None:
    scan(source, "x.md", {"goal"})
    scan(source, "x.rst", {"goal"})
