"""Tagged PDFs as PDF/UA asks: what the page margins show is an artifact, table headers
have a scope.

WeasyPrint marks the text of the page's margin boxes (the running header, 第 N 页 / 共 M
页) as content, a /Span with a marked-content id, and then builds it structure elements
that no element links to: a screen reader's tree misses them, and PDF/UA checkers find
content outside the structure. ISO 32000-1 §14.8.2.2 has pagination artifacts for them.
"""

from __future__ import annotations

import functools


class _Unlinked:
    """A stand-in for the PDF that structure elements are built against but never
    written to: the margin boxes' elements, which nothing in the structure tree names."""

    def __init__(self, pdf) -> None:
        self.page_references = pdf.page_references

    def add_object(self, element) -> None:
        element.number = 0


@functools.cache
def pagination_as_artifacts() -> None:
    """Have a tagged PDF mark what the page margins show as /Artifact of /Type
    /Pagination, /Subtype /Header or /Footer, its ids left out of the page's parent tree
    (null there); and give each <th> the /Scope PDF/UA asks of table headers: /Row for
    scope="row", else /Column."""
    from builder.render.print.weasy import reach, replace

    dictionary = reach("pydyf.Dictionary")
    margin_box = reach("weasyprint.formatting_structure.boxes.MarginBox")
    build = reach("weasyprint.pdf.tags._build_box_tree")
    add = reach("weasyprint.pdf.tags.add_tags")
    margins: dict[int, dict[int, str]] = {}  # page number → marked-content id → /Subtype

    def build_box_tree(box, parent, pdf, page_number, nums, annotations, page_tags):
        if isinstance(box, margin_box):
            before = set(nums)
            for child in box.children:
                tuple(
                    build_box_tree(
                        child, parent, _Unlinked(pdf), page_number, nums, annotations, page_tags
                    )
                )
            kind = "/Header" if box.at_keyword.startswith("top") else "/Footer"
            for mcid in set(nums) - before:
                nums[mcid] = "null"
                margins.setdefault(page_number, {})[mcid] = kind
            return
        for element in build(box, parent, pdf, page_number, nums, annotations, page_tags):
            if element.get("S") == "/TH" and "A" in element:
                row = box.element is not None and box.element.attrib.get("scope") == "row"
                element["A"]["Scope"] = "/Row" if row else "/Column"
            yield element

    def add_tags(pdf, document, pdf_version, page_streams):
        margins.clear()
        add(pdf, document, pdf_version, page_streams)
        for page_number, kinds in margins.items():
            operations = page_streams[page_number].stream
            for i, item in enumerate(operations):
                if isinstance(item, dictionary) and item.get("MCID") in kinds:
                    operations[i - 1] = "/Artifact"
                    operations[i] = dictionary(
                        {"Type": "/Pagination", "Subtype": kinds[item["MCID"]]}
                    )

    replace("weasyprint.pdf.tags._build_box_tree", build_box_tree)
    replace("weasyprint.pdf.add_tags", add_tags)
