"""Formula cells of a workbook that hold no calculated result.

A workbook written by a script (openpyxl, pandas) keeps its formulas (=TEXT(A2,"0"), =A2&B2) without the results
that Excel or WPS store when they save; read for its values, such a cell is empty, and a student number or name
built by it would silently go missing. XlsxWriter (what pandas writes with when it is installed) stores 0 as every
formula's result instead and asks for a full calculation on load: read as it is, a name would be "0". Finding them
takes reading the sheet's XML, since openpyxl reads an empty result and a missing one alike; a sheet without any
formula is passed over after a byte search.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from xml.etree import ElementTree

from openpyxl.utils.cell import column_index_from_string, coordinate_from_string, get_column_letter

_HAS_FORMULA = re.compile(rb"<(?:\w+:)?f[\s>/]")
_CALCULATE_ON_LOAD = re.compile(rb'<(?:\w+:)?calcPr\b[^>]*\bfullCalcOnLoad="(?:1|true)"')
_RELATIONSHIP = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"

# row number -> {column position (0-based): the cell's name, "C5"}
Uncalculated = dict[int, dict[int, str]]


def sheet_parts(package: zipfile.ZipFile, workbook_part: str) -> dict[str, str]:
    """Each sheet's title -> the part holding its cells, as the workbook and its relationships name them."""
    folder = posixpath.dirname(workbook_part)
    rels = ElementTree.fromstring(package.read(f"{folder}/_rels/{posixpath.basename(workbook_part)}.rels"))
    targets = {rel.get("Id"): rel.get("Target", "") for rel in rels}
    parts = {}
    for element in ElementTree.fromstring(package.read(workbook_part)).iter():
        if _local(element.tag) == "sheet" and element.get(_RELATIONSHIP) in targets:
            target = targets[element.get(_RELATIONSHIP)]
            parts[element.get("name", "")] = target.lstrip("/") if target.startswith("/") else \
                posixpath.normpath(posixpath.join(folder, target))
    return parts


def placeholder_results(workbook_xml: bytes) -> bool:
    """Whether the workbook asks to be calculated in full when opened (fullCalcOnLoad): its writer could not calculate
    it, and a formula's stored 0 is XlsxWriter's placeholder, not a result. Excel calculates on opening and saves
    without the request."""
    return bool(_CALCULATE_ON_LOAD.search(workbook_xml))


def uncalculated_cells(data: bytes, placeholders: bool) -> Uncalculated:
    """The formula cells of one sheet's XML with no stored result: no <v>, or an empty one on a cell that is not of
    text type (Excel stores a formula's empty text result as t="str" with an empty <v>; openpyxl writes <v/>), or
    with `placeholders`, a number 0."""
    found: Uncalculated = {}
    if not _HAS_FORMULA.search(data):
        return found
    row = 0
    for _, element in ElementTree.iterparse(io.BytesIO(data)):
        if _local(element.tag) != "row":
            continue
        row, column = int(element.get("r") or row + 1), -1
        for cell in element:
            reference = cell.get("r")
            column = column_index_from_string(coordinate_from_string(reference)[0]) - 1 if reference else column + 1
            children = {_local(child.tag): child for child in cell}
            value = children.get("v")
            kind = cell.get("t", "n")
            if "f" in children and (value is None or (not value.text and kind != "str")
                                    or (placeholders and kind == "n" and value.text == "0")):
                found.setdefault(row, {})[column] = reference or f"{get_column_letter(column + 1)}{row}"
        element.clear()
    return found


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]
