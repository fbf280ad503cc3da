"""Finding selfcheck-report.json: every copy in the name tree counts, however the tree is split."""

from __future__ import annotations

import io

from pyhanko.pdf_utils import embed, generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader

from selfcheck.report.data import ATTACHMENT_NAME
from selfcheck.verification.attachments import read_report_attachment
from tests.verification.conftest import Genuine


def _with_name_tree(pdf: bytes, leaves: list[list[tuple[str, bytes]]]) -> bytes:
    """The pages with an EmbeddedFiles tree whose /Kids are `leaves` (each a list of (name, data))."""
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    kids = generic.ArrayObject()
    for leaf in leaves:
        names = generic.ArrayObject()
        for name, data in leaf:
            stream = embed.EmbeddedFileObject.from_file_data(writer, data=data, mime_type="application/json")
            spec = embed.FileSpec(file_spec_string=name, file_name=name, embedded_data=stream)
            names.extend([generic.pdf_string(name), writer.add_object(spec.as_pdf_object())])
        kids.append(writer.add_object(generic.DictionaryObject({generic.pdf_name("/Names"): names})))
    tree = generic.DictionaryObject({generic.pdf_name("/Kids"): kids})
    writer.root[generic.pdf_name("/Names")] = writer.add_object(generic.DictionaryObject(
        {generic.pdf_name("/EmbeddedFiles"): writer.add_object(tree)}))
    writer.update_root()
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _root(pdf: bytes) -> generic.DictionaryObject:
    return PdfFileReader(io.BytesIO(pdf), strict=False).root


def test_one_copy_under_kids_is_read(genuine: Genuine) -> None:
    data = genuine.small.data.to_json().encode()
    found = read_report_attachment(_root(_with_name_tree(genuine.unsigned, [[("other.txt", b"x")],
                                                                             [(ATTACHMENT_NAME, data)]])))
    assert found.copies == 1 and found.data == genuine.small.data and found.problem is None


def test_copies_in_different_leaves_are_all_counted(genuine: Genuine) -> None:
    data = genuine.small.data.to_json().encode()
    found = read_report_attachment(_root(_with_name_tree(genuine.unsigned, [[(ATTACHMENT_NAME, data)],
                                                                             [(ATTACHMENT_NAME, data)]])))
    assert found.copies == 2 and found.data is None and found.kind == "tampered"


def test_invalid_json_is_not_a_selfcheck_report(genuine: Genuine) -> None:
    found = read_report_attachment(_root(_with_name_tree(genuine.unsigned, [[(ATTACHMENT_NAME, b"{}")]])))
    assert found.kind == "not_selfcheck" and "不符合 selfcheck-report/1 格式" in (found.problem or "")
    missing = read_report_attachment(_root(genuine.unsigned))
    assert missing.copies == 0 and missing.kind == "not_selfcheck"
