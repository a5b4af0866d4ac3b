"""Never stale, from an adversarial trial across sphinx-needs' features (59 edits,
each compared with a clean build): the edits that left a page as it was, each the
same as a clean build now. Page ``a`` holds the edited need, page ``b`` shows it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import build, write_project
from test_freshness import _clean_build, _pages, _written

INDEX = "Index\n=====\n\n.. toctree::\n\n   a\n   b\n   c\n"


def _page(title: str, body: str) -> str:
    return f"{title}\n{'=' * len(title)}\n\n{body}\n"


EXT = (
    '{"current_version": "1.0", "versions": {"1.0": {"needs": {"EXTRQ_1": {"id": "EXTRQ_1", '
    '"title": "Ext", "type": "req", "docname": "page1"}}}}}'
)
EXTERNAL = 'needs_external_needs = [{"base_url": "http://ext.invalid", "json_path": "ext.json"}]\n'
DERIVED = (
    'needs_fields = {"hours": {"schema": {"type": "integer"}, "nullable": True}, '
    '"total": {"schema": {"type": "number"}, "nullable": True, '
    '"derive": {"kind": "sum", "field": "hours", "over": "links_back"}}}\n'
)


def _with_ext2(text: str) -> str:
    data = json.loads(text)
    data["versions"]["1.0"]["needs"]["EXTRQ_2"] = {
        "id": "EXTRQ_2", "title": "Ext2", "type": "req", "docname": "page2"}  # fmt: skip
    return json.dumps(data)


# name: (conf.py lines, {page or file: its body}, (file, old, new) or an edit)
CASES = {
    "a reference shows a field": (
        'needs_fields = {"priority": {"schema": {"type": "string"}, "nullable": True}}\n',
        {"a": ".. req:: One\n   :id: REQ_1\n   :priority: high",
         "b": "Priority: :need:`[[priority]] <REQ_1>`."},
        ("a", ":priority: high", ":priority: low"),
    ),
    "a reference shows a part": (
        "",
        {"a": ".. req:: One\n   :id: REQ_1\n\n   Shall :np:`(p1) do this`.",
         "b": "Part: :need:`REQ_1.p1`."},
        ("a", "do this", "do that"),
    ),
    "a reference shows a copied title": (
        "",
        {"a": '.. req:: Original\n   :id: REQ_1\n\n.. req:: [[copy("title", "REQ_1")]]\n'
              "   :id: REQ_2",
         "b": "See :need:`REQ_2`."},
        ("a", "req:: Original", "req:: Renamed"),
    ),
    "a link shows its title": (
        "needs_show_link_title = True\n",
        {"a": ".. req:: Original\n   :id: REQ_1",
         "b": ".. spec:: Spec\n   :id: SPEC_1\n   :links: REQ_1"},
        ("a", "req:: Original", "req:: Renamed"),
    ),
    "a derived field": (
        DERIVED,
        {"a": ".. spec:: Work\n   :id: SPEC_1\n   :links: REQ_1\n   :hours: 5",
         "b": ".. req:: Goal\n   :id: REQ_1",
         "c": '.. needtable::\n   :filter: type == "req"\n   :columns: id;title;total'},
        ("a", ":hours: 5", ":hours: 7"),
    ),
    "a derived link": (
        'needs_links = {"covers": {"incoming": "covered by", "outgoing": "covers", '
        '"derive": {"kind": "links", "where": "\\"smoke\\" in tags"}}}\n',
        {"a": ".. test:: T\n   :id: TEST_1\n   :tags: full",
         "b": ".. req:: Goal\n   :id: REQ_1"},
        ("a", ":tags: full", ":tags: smoke"),
    ),
    "a needextend that adds a link starts to apply": (
        "",
        {"a": ".. req:: One\n   :id: REQ_1\n   :tags: new",
         "b": ".. spec:: Target\n   :id: SPEC_1",
         "c": '.. needextend:: "legacy" in tags\n   :+links: SPEC_1'},
        ("a", ":tags: new", ":tags: legacy"),
    ),
    "a needextend that adds a link starts to apply, shown by a role": (
        "",
        {"a": ".. req:: One\n   :id: REQ_1\n   :tags: new",
         "b": "Linking to it: :need_incoming:`SPEC_1`.",
         "c": '.. spec:: Target\n   :id: SPEC_1\n\n'
              '.. needextend:: "legacy" in tags\n   :+links: SPEC_1'},
        ("a", ":tags: new", ":tags: legacy"),
    ),
    "an external need moves": (
        EXTERNAL,
        {"a": ".. spec:: Local\n   :id: SPEC_1\n   :links: EXTRQ_1", "ext.json": EXT},
        ("ext.json", "page1", "page2"),
    ),
    # the third trial, of the references with text of their own
    "a reference's text is the id itself": (
        "",
        {"a": ".. req:: Original\n   :id: REQ_1", "b": "See :need:`REQ_1 <REQ_1>`."},
        ("a", "req:: Original", "req:: Renamed"),
    ),
    "a needextend's filter reads the title a reference with its own text hides": (
        'needs_role_need_template = "{{ title }} [{{ status }}] ({{ id }})"\n',
        {"a": ".. req:: Original\n   :id: REQ_1\n   :status: open",
         "b": "See :need:`the first one <REQ_1>`.",
         "c": '.. needextend:: search("Legacy", title)\n   :status: closed'},
        ("a", "req:: Original", "req:: Legacy thing"),
    ),
    "a dead link to an external need comes alive": (
        EXTERNAL,
        {"a": ".. spec:: Local\n   :id: SPEC_1\n   :links: EXTRQ_2", "ext.json": EXT},
        ("ext.json", _with_ext2),
    ),
}  # fmt: skip


@pytest.mark.parametrize("case", sorted(CASES))
def test_the_trial_s_stale_pages_are_as_a_clean_build_s(tmp_path: Path, case: str) -> None:
    conf, files, edit = CASES[case]
    written = {"index.rst": INDEX}
    for name, body in {"b": "Text.", "c": "Text.", **files}.items():
        if "." in name:  # (a data file, as it is)
            written[name] = body
        else:
            written[f"{name}.rst"] = _page(name.upper(), body)
    conf = 'extensions = ["policycheck"]\nproject = "trial"\n' + conf
    root = write_project(tmp_path / "proj", written, conf=conf)
    build(root, "html")
    path = root / (edit[0] if "." in edit[0] else f"{edit[0]}.rst")
    text = path.read_text()
    if len(edit) == 3:
        assert edit[1] in text
        path.write_text(text.replace(edit[1], edit[2]))
    else:
        path.write_text(edit[1](text))
    assert _pages(build(root, "html").outdir) == _clean_build(root, tmp_path)


def test_a_reference_with_its_own_text_is_not_rewritten_for_a_title(tmp_path: Path) -> None:
    """``:need:`the committer <REQ_1>``` shows its own text in place of the title
    (the real project's role pages, 29 rewritten for a role's new title, unchanged):
    such a page is rewritten for what the role's template shows of the need, its
    status here, and not for its title."""
    conf = 'extensions = ["policycheck"]\nneeds_role_need_template = "{title} [{status}]"\n'
    files = {
        "index.rst": INDEX,
        "a.rst": _page("A", ".. req:: One\n   :id: REQ_1\n   :status: open"),
        "b.rst": _page("B", "By :need:`the first one <REQ_1>`."),
        "c.rst": _page(
            "C",
            "By :need:`REQ_1` and :need:`[[title]]! <REQ_1>`.\n\n"
            # (a needextend whose filter reads no title: S-CORE's 217 are of this form)
            '.. needextend:: "c.this_doc()"\n   :status: closed\n\n'
            ".. needextend:: c.this_doc() and 'x' in id\n   :status: closed",
        ),
    }
    root = write_project(tmp_path / "proj", files, conf=conf)
    build(root, "html")
    for old, new, rewritten in (
        ("req:: One", "req:: Uno", False),
        (":status: open", ":status: closed", True),
    ):
        path = root / "a.rst"
        path.write_text(path.read_text().replace(old, new))
        built = build(root, "html")
        written = set(_written(built.status))
        assert ("b" in written) is rewritten and "c" in written
        assert _pages(built.outdir) == _clean_build(root, tmp_path)


def test_a_line_added_above_a_referenced_need_rewrites_no_other_page(tmp_path: Path) -> None:
    files = {
        "index.rst": INDEX,
        "a.rst": _page("A", "Some text.\n\n.. req:: One\n   :id: REQ_1"),
        "b.rst": _page("B", "See :need:`REQ_1`."),
        "c.rst": _page("C", "Text."),
    }
    root = write_project(tmp_path / "proj", files, conf='extensions = ["policycheck"]\n')
    build(root, "html")
    path = root / "a.rst"
    path.write_text(path.read_text().replace("Some text.", "Some text.\n\nAnd more."))
    built = build(root, "html")
    assert "b" not in _written(built.status)
    assert _pages(built.outdir) == _clean_build(root, tmp_path)
