"""Files that cannot be checked: each gets one clear line, exit 2, the batch goes on, no traceback,
bounded time. Every bad file is made here: a password-protected .docx (msoffcrypto-tool) and .pdf
(pypdf), a corrupt zip, an entity bomb and an external entity inside a .docx and an .ofd, a zip bomb
inside a .docx, a 500-page PDF and a PDF that is only an image (pypdfium2)."""
import ctypes
import functools
import io
import json
import os
import shutil
import time
import zipfile

import pytest

from checker.engine.evaluate import check_path
from checker.readers.pdf import SCAN_MESSAGE

from .cli_helpers import run
from .conftest import SEEDS, SEED_FILES
from .format_fixtures import write_docx, write_ofd

SEED0 = os.path.join(SEEDS, SEED_FILES[0])
BOMB_DTD = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;">'
            b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>')
XXE_DTD = b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'


def _seed_text():
    with open(SEED0, encoding="utf-8") as handle:
        return handle.read()


def _docx_bytes(tmp_path) -> bytes:
    path = tmp_path / "good.docx"
    write_docx(_seed_text(), str(path))
    return path.read_bytes()


def _replace_member(data: bytes, name: str, new) -> bytes:
    """The zip ``data`` with member ``name`` rewritten by ``new(old_bytes)``."""
    source, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            target.writestr(info.filename, new(content) if info.filename == name else content)
    return out.getvalue()


def _with_dtd(xml: bytes, dtd: bytes, entity: bytes) -> bytes:
    body = xml.split(b"?>", 1)[1] if xml.startswith(b"<?xml") else xml
    return dtd + body.replace(b"</w:body>", b"<w:p><w:r><w:t>" + entity + b"</w:t></w:r></w:p></w:body>")


def _encrypted_docx(tmp_path) -> bytes:
    pytest.importorskip("msoffcrypto", reason="msoffcrypto-tool (test extra) encrypts the .docx")
    from msoffcrypto.format.ooxml import OOXMLFile

    out = io.BytesIO()
    OOXMLFile(io.BytesIO(_docx_bytes(tmp_path))).encrypt("secret", out)
    return out.getvalue()


@functools.lru_cache(maxsize=None)
def _pdf_with_pages(n: int, text: str = "Annual report page") -> bytes:
    """An ``n``-page PDF whose every page has a line of text (one page drawn, then copied)."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    one = pdfium.PdfDocument.new()
    page = one.new_page(595, 842)
    obj = raw.FPDFPageObj_NewTextObj(one.raw, b"Helvetica", 12.0)
    encoded = (text + "\x00").encode("utf-16-le")
    raw.FPDFText_SetText(obj, (ctypes.c_ushort * (len(encoded) // 2)).from_buffer_copy(encoded))
    raw.FPDFPageObj_Transform(obj, 1, 0, 0, 1, 72, 700)
    raw.FPDFPage_InsertObject(page.raw, obj)
    raw.FPDFPage_GenerateContent(page.raw)
    pdf = pdfium.PdfDocument.new()
    pdf.import_pages(one, [0] * n)
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def _image_only_pdf() -> bytes:
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    pdf = pdfium.PdfDocument.new()
    page = pdf.new_page(595, 842)
    image = pdfium.PdfImage.new(pdf)
    bitmap = pdfium.PdfBitmap.new_native(200, 100, raw.FPDFBitmap_BGR)
    bitmap.fill_rect((30, 30, 30, 255), 0, 0, 200, 100)   # a "scanned" grey page
    image.set_bitmap(bitmap)
    image.set_matrix(pdfium.PdfMatrix().scale(400, 200).translate(90, 500))
    page.insert_obj(image)
    page.gen_content()
    out = io.BytesIO()
    pdf.save(out)
    assert raw.FPDFPage_CountObjects(page.raw) == 1
    return out.getvalue()


def _encrypted_pdf() -> bytes:
    pypdf = pytest.importorskip("pypdf", reason="pypdf (test extra) encrypts the PDF")
    reader = pypdf.PdfReader(io.BytesIO(_pdf_with_pages(2)))
    writer = pypdf.PdfWriter()
    for page in reader.pages:
        writer.add_page(page)
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="AES-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


CASES = {
    "encrypted.docx": (_encrypted_docx, "Word 文档已加密（受密码保护）"),
    "corrupt.zip": (lambda tmp: b"PK\x03\x04" + b"\x00" * 40, "zip 压缩包已损坏"),
    "truncated.docx": (lambda tmp: _docx_bytes(tmp)[:3000], "Word 文档已损坏"),
    "bomb.docx": (lambda tmp: _replace_member(_docx_bytes(tmp), "word/document.xml",
                                              lambda xml: _with_dtd(xml, BOMB_DTD, b"&lol3;")), "实体炸弹或外部实体"),
    "xxe.docx": (lambda tmp: _replace_member(_docx_bytes(tmp), "word/document.xml",
                                             lambda xml: _with_dtd(xml, XXE_DTD, b"&xxe;")), "实体炸弹或外部实体"),
    "zipbomb.docx": (lambda tmp: _add_member(_docx_bytes(tmp), "word/media/zeros.bin", b"\x00" * (8 << 20)), "疑似压缩炸弹"),
    "encrypted.pdf": (lambda tmp: _encrypted_pdf(), "PDF 已加密（需要密码）"),
    "broken.pdf": (lambda tmp: b"%PDF-1.7\n1 0 obj<<>>\n%%EOF", "PDF 文件已损坏"),
    "pages500.pdf": (lambda tmp: _pdf_with_pages(500), "PDF 页数过多（500 页"),
    "scan.pdf": (lambda tmp: _image_only_pdf(), SCAN_MESSAGE),
}


def _add_member(data: bytes, name: str, content: bytes) -> bytes:
    out = io.BytesIO(data)
    with zipfile.ZipFile(out, "a", zipfile.ZIP_DEFLATED) as z:
        z.writestr(name, content)
    return out.getvalue()


def _ofd_with(tmp_path, dtd: bytes, entity: bytes) -> bytes:
    path = tmp_path / "x.ofd"
    write_ofd(_seed_text(), str(path))
    return _replace_member(path.read_bytes(), "Doc_0/Pages/Page_0/Content.xml",
                           lambda xml: dtd + xml.split(b"?>", 1)[1].replace(b"</ofd:Layer>", entity + b"</ofd:Layer>"))


CASES["bomb.ofd"] = (lambda tmp: _ofd_with(tmp, BOMB_DTD, b"&lol3;"), "实体炸弹或外部实体")
CASES["xxe.ofd"] = (lambda tmp: _ofd_with(tmp, XXE_DTD, b"&xxe;"), "实体炸弹或外部实体")


@pytest.mark.parametrize("name", sorted(CASES))
def test_one_clear_line_per_bad_file(name, tmp_path, ruleset):
    make, reason = CASES[name]
    path = tmp_path / name
    path.write_bytes(make(tmp_path))
    started = time.perf_counter()
    if name.endswith(".zip"):      # a zip of reports: its one input is the archive, which reports why
        from checker.inputs import collect

        (item,) = collect([str(path)]).inputs
        result = check_path(item, ruleset)
    else:
        result = check_path(str(path), ruleset)
    assert result.error and reason in result.error, result.error
    assert "\n" not in result.error and "Traceback" not in result.error
    assert time.perf_counter() - started < 10


def test_a_bad_batch_goes_on_and_exits_2(tmp_path):
    folder = tmp_path / "inbox"
    folder.mkdir()
    shutil.copy(SEED0, folder / "good.txt")
    for name in ("corrupt.zip", "bomb.docx", "scan.pdf", "pages500.pdf", "encrypted.docx"):
        try:
            (folder / name).write_bytes(CASES[name][0](tmp_path))
        except pytest.skip.Exception:
            continue
    result = run("--format", "json", str(folder))
    data = json.loads(result.stdout)
    by_name = {os.path.basename(f["path"]): f for f in data["files"]}
    assert by_name["good.txt"]["score"] is not None and by_name["good.txt"]["error"] is None
    for name, entry in by_name.items():
        if name != "good.txt":
            assert CASES[name][1] in entry["error"], (name, entry["error"])
    assert data["summary"]["unreadable"] == len(by_name) - 1
    assert result.exit_code == 2 and "Traceback" not in result.stderr


def test_doc_without_libreoffice_names_the_conversion(tmp_path, ruleset, monkeypatch):
    from checker.readers import office

    monkeypatch.setattr(office, "soffice", lambda: "")
    path = tmp_path / "old.doc"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    result = check_path(str(path), ruleset)
    assert "soffice --headless --convert-to docx" in result.error and "LibreOffice" in result.error
