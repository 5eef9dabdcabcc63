#!/usr/bin/env python3
"""Writes the document fixtures of ExtractTests.swift into this folder.

Only the standard library is used (zipfile, email, base64, quopri, zlib), every ZIP entry has a fixed
date and every MIME boundary is fixed, so running it again gives the same files. Each fixture is tiny
and holds exactly what a test asserts; the sentence with the employee id MT482913 is placed where leaks
hide (a docx header, a pptx note, an xlsx cell, a docx attached to a mail, an HTML comment and script).

Run: python3 make-fixtures.py   (from anywhere)
"""
import base64
import os
import quopri
import struct
import zipfile
import zlib
from email.header import Header

HERE = os.path.dirname(os.path.abspath(__file__))
SECRET = "Ping MT482913 before Friday."
DATE = (1980, 1, 1, 0, 0, 0)


def write(name, data):
    with open(os.path.join(HERE, name), "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode("utf-8"))


def make_zip(entries, method=zipfile.ZIP_DEFLATED):
    """ZIP bytes of (name, text) pairs, in order, with a fixed date."""
    import io
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in entries:
            info = zipfile.ZipInfo(name, DATE)
            info.compress_type = method
            info.external_attr = 0o644 << 16
            archive.writestr(info, content.encode("utf-8") if isinstance(content, str) else content)
    return buffer.getvalue()


# ---------------------------------------------------------------- plain files

write("memo.txt", "Quarterly memo\nNothing to report.\n")
write("invalid-utf8.txt", b"caf\xe9 au lait\n")  # Latin-1, not UTF-8: passed through unchanged
write("notes.md", "# Notes\n\n- item\n")
write("people.csv", "name,id\nAna,MT482913\n")
write("config.json", '{"owner": "ana"}\n')
write("deploy.sh", "#!/bin/sh\necho deploy\n")  # unknown extension, text
write("image.bin", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")  # unknown extension, binary
write("legacy.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00\x00")  # OLE compound file
write("windows.txt", b"\xff\xfe" + ("Unicode notes: " + SECRET + "\r\n").encode("utf-16-le"))  # UTF-16 with BOM

# ---------------------------------------------------------------- docx

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" ' \
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" ' \
    'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" ' \
    'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"'
CONTENT_TYPES = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' \
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' \
    '<Default Extension="xml" ContentType="application/xml"/></Types>'


def para(*runs, props=""):
    return "<w:p>%s%s</w:p>" % (props, "".join(runs))


def run(text, tag="w:t"):
    return '<w:r><%s xml:space="preserve">%s</%s></w:r>' % (tag, text, tag)


def word_part(root, body):
    return '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:%s %s>%s</w:%s>' % (root, W, body, root)


def cell(text):
    return "<w:tc><w:tcPr/>%s</w:tc>" % para(run(text))


document_body = "<w:body>" + "".join([
    para(run("Board memo")),
    para(run("Terms &amp; conditions "), run("apply"), props='<w:pPr><w:tabs><w:tab w:val="left" w:pos="720"/></w:tabs></w:pPr>'),
    para(run("See "), '<w:hyperlink r:id="rId9"><w:r><w:t>the intranet page</w:t></w:r></w:hyperlink>', run(" for details.")),
    para("<w:r><w:t>Name</w:t><w:tab/><w:t>Role</w:t></w:r>"),
    "<w:tbl><w:tblPr/>" + "<w:tr>" + cell("Region") + cell("Owner") + "</w:tr>"
    + "<w:tr>" + cell("North") + "<w:tc>" + para(run("Ana")) + para(run("Bo")) + "</w:tc></w:tr></w:tbl>",
    para(run("Budget was "), '<w:del w:id="1" w:author="x"><w:r><w:delText>cut</w:delText></w:r></w:del>', run(" kept.")),
    para(run("Box: "), '<w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wps:txbx><w:txbxContent>'
         + para(run("Text box line")) + '</w:txbxContent></wps:txbx></w:drawing></mc:Choice><mc:Fallback><w:pict>'
         + '<w:txbxContent>' + para(run("Text box line")) + '</w:txbxContent></w:pict></mc:Fallback></mc:AlternateContent></w:r>'),
    para(),
    para(run("Caf\u00e9 \u20ac5 &#x2014; done")),
    "<w:sectPr/>",
]) + "</w:body>"

docx_entries = [
    ("[Content_Types].xml", CONTENT_TYPES),
    ("word/document.xml", word_part("document", document_body)),
    ("word/header1.xml", word_part("hdr", para(run(SECRET)))),
    ("word/footer1.xml", word_part("ftr", para(run("Page footer")))),
    ("word/footnotes.xml", word_part("footnotes",
        '<w:footnote w:type="separator" w:id="-1">' + para("<w:r><w:separator/></w:r>") + '</w:footnote>'
        + '<w:footnote w:id="1">' + para(run("A footnote.")) + '</w:footnote>')),
    ("word/comments.xml", word_part("comments", '<w:comment w:id="0" w:author="Ana">' + para(run("Check the figure.")) + '</w:comment>')),
]
report_docx = make_zip(docx_entries)
write("report.docx", report_docx)

# A document whose text is 2 MiB of spaces: tiny compressed, large expanded (a ZIP bomb in miniature).
write("bomb.docx", make_zip([("word/document.xml", word_part("document",
    "<w:body>" + para(run(" " * (2 << 20))) + "</w:body>"))]))
write("not-a-zip.docx", "This is not a ZIP file.\n")
write("truncated.docx", report_docx[: len(report_docx) // 2])
write("malformed.docx", make_zip([("word/document.xml", word_part("document", "<w:body><w:p><w:r><w:t>open</w:r></w:p></w:body>"))]))
write("dtd.docx", make_zip([("word/document.xml",
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">]><w:document ' + W + '><w:body>'
    + para(run("&lol;")) + '</w:body></w:document>')]))
write("no-document.docx", make_zip([("[Content_Types].xml", CONTENT_TYPES)]))


def truncated_deflate_zip():
    """A ZIP whose only entry's deflate stream stops halfway (its header sizes match the cut stream)."""
    text = word_part("document", "<w:body>" + "".join(para(run("line %d" % i)) for i in range(200)) + "</w:body>").encode()
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    stream = compressor.compress(text) + compressor.flush()
    stream = stream[: len(stream) // 2]
    name = b"word/document.xml"
    crc = zlib.crc32(text)
    local = struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0x21, crc, len(stream), len(text), len(name), 0) + name
    central = struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 0x21, crc, len(stream), len(text),
                          len(name), 0, 0, 0, 0, 0, 0) + name
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, 1, 1, len(central), len(local) + len(stream), 0)
    return local + stream + central + end


write("truncated-deflate.docx", truncated_deflate_zip())

# ---------------------------------------------------------------- pptx

P = 'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" ' \
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" ' \
    'xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"'
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"


def shape(*paragraphs):
    body = "".join("<a:p>%s</a:p>" % "".join('<a:r><a:rPr lang="en-GB"/><a:t>%s</a:t></a:r>' % t for t in p)
                   for p in paragraphs)
    return "<p:sp><p:txBody><a:bodyPr/>%s</p:txBody></p:sp>" % body


def slide(root, *shapes):
    return '<?xml version="1.0" encoding="UTF-8"?><p:%s %s><p:cSld><p:spTree>%s</p:spTree></p:cSld></p:%s>' % (
        root, P, "".join(shapes), root)


def rels(*relationships):
    return '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' \
        + "".join('<Relationship Id="%s" Type="%s%s" Target="%s"/>' % r for r in relationships) + "</Relationships>"


table = ('<p:graphicFrame><a:graphic><a:graphicData><a:tbl><a:tr h="1"><a:tc><a:txBody><a:p><a:r><a:t>Q1</a:t></a:r></a:p>'
         '</a:txBody></a:tc><a:tc><a:txBody><a:p><a:r><a:t>12</a:t></a:r></a:p></a:txBody></a:tc></a:tr></a:tbl>'
         '</a:graphicData></a:graphic></p:graphicFrame>')
write("deck.pptx", make_zip([
    ("[Content_Types].xml", CONTENT_TYPES),
    ("ppt/presentation.xml", '<?xml version="1.0"?><p:presentation %s/>' % P),
    ("ppt/slides/slide1.xml", slide("sld", shape(["Roadmap ", "2025"], ["Second ", "line"]))),
    ("ppt/slides/slide10.xml", slide("sld", shape(["Thanks"]))),
    ("ppt/slides/slide2.xml", slide("sld", shape(["Figures"]), table)),
    ("ppt/slides/_rels/slide2.xml.rels", rels(("rId2", REL, "notesSlide", "../notesSlides/notesSlide1.xml"))),
    ("ppt/notesSlides/notesSlide1.xml", slide("notes", shape(["Speaker: " + SECRET]))),
]))

# ---------------------------------------------------------------- xlsx

S = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" ' \
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
write("budget.xlsx", make_zip([
    ("[Content_Types].xml", CONTENT_TYPES),
    ("xl/workbook.xml", '<?xml version="1.0"?><workbook %s><sheets>'
        '<sheet name="Budget" sheetId="1" r:id="rId2"/><sheet name="Staff &amp; ids" sheetId="2" r:id="rId1"/>'
        '</sheets></workbook>' % S),
    ("xl/_rels/workbook.xml.rels", rels(("rId1", REL, "worksheet", "worksheets/sheet1.xml"),
                                        ("rId2", REL, "worksheet", "/xl/worksheets/sheet2.xml"),
                                        ("rId3", REL, "sharedStrings", "sharedStrings.xml"))),
    ("xl/sharedStrings.xml", '<?xml version="1.0"?><sst %s count="4" uniqueCount="4">'
        '<si><t>Item</t></si><si><t>Cost</t></si>'
        '<si><r><t>Rich </t></r><r><rPr><b/></rPr><t>text</t></r><rPh sb="0" eb="1"><t>ruby</t></rPh></si>'
        '<si><t>Name</t></si></sst>' % S),
    ("xl/worksheets/sheet2.xml", '<?xml version="1.0"?><worksheet %s><sheetData>'
        '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>'
        '<row r="2"><c r="A2" t="s"><v>2</v></c><c r="B2"><v>1250.5</v></c><c r="D2" t="b"><v>1</v></c></row>'
        '<row r="4"><c r="A4" t="inlineStr"><is><t>Total</t></is></c><c r="B4"><f>SUM(B2:B3)</f><v>1250.5</v></c></row>'
        '</sheetData></worksheet>' % S),
    ("xl/worksheets/sheet1.xml", '<?xml version="1.0"?><worksheet %s><sheetData>'
        '<row r="1"><c r="A1" t="s"><v>3</v></c></row>'
        '<row r="2"><c r="A2" t="str"><v>%s</v></c></row>'
        '</sheetData></worksheet>' % (S, SECRET)),
]))

# A memo with the workbook above embedded in it (as Word stores a pasted worksheet) and an OLE object.
write("embedded.docx", make_zip([
    ("word/document.xml", word_part("document", "<w:body>" + para(run("See the table below.")) + "</w:body>")),
    ("word/embeddings/Microsoft_Excel_Worksheet.xlsx", open(os.path.join(HERE, "budget.xlsx"), "rb").read()),
    ("word/embeddings/oleObject1.bin", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00\x00"),
]))

# ---------------------------------------------------------------- eml


def b64(data):
    return base64.encodebytes(data).decode("ascii")


def qp(text, charset="utf-8"):
    return quopri.encodestring(text.encode(charset)).decode("ascii")


html_body = ('<html><body><p>Hello <b>team</b>,</p><p>Caf&eacute; at 10.</p>'
             '<!-- internal: ' + SECRET + ' --></body></html>')
mail = "\r\n".join([
    "From: =?iso-8859-1?Q?Ren=E9e_Dupont?= <renee@example.com>",
    "To: Team <team@example.com>,",
    " Board <board@example.com>",
    "Cc: ana@example.com",
    "Subject: " + Header("Réunion budget — 2025", "utf-8").encode(),
    "Date: Mon, 6 Jan 2025 09:00:00 +0100",
    "MIME-Version: 1.0",
    'Content-Type: multipart/mixed; boundary="outer-boundary"',
    "",
    "This is a multi-part message in MIME format.",
    "--outer-boundary",
    'Content-Type: multipart/alternative; boundary="inner-boundary"',
    "",
    "--inner-boundary",
    "Content-Type: text/plain; charset=utf-8",
    "Content-Transfer-Encoding: quoted-printable",
    "",
    qp("Hello team,\nCafé at 10. A long line that quoted-printable has to wrap with a soft line break because it is long.\n").replace("\n", "\r\n").rstrip("\r\n"),
    "--inner-boundary",
    "Content-Type: text/html; charset=utf-8",
    "Content-Transfer-Encoding: base64",
    "",
    b64(html_body.encode("utf-8")).replace("\n", "\r\n").rstrip("\r\n"),
    "--inner-boundary--",
    "",
    "--outer-boundary",
    "Content-Type: application/vnd.openxmlformats-officedocument.wordprocessingml.document; name=\"report.docx\"",
    "Content-Disposition: attachment; filename*=UTF-8''report.docx",
    "Content-Transfer-Encoding: base64",
    "",
    b64(report_docx).replace("\n", "\r\n").rstrip("\r\n"),
    "--outer-boundary",
    "Content-Type: image/png; name=\"logo.png\"",
    "Content-Disposition: inline; filename=\"logo.png\"",
    "Content-Transfer-Encoding: base64",
    "",
    b64(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR").rstrip("\n"),
    "--outer-boundary--",
    "",
])
write("mail.eml", mail)

write("latin1.eml", b"\r\n".join([
    b"From: ana@example.com",
    b"Subject: =?windows-1252?Q?Co=FBt_=80?= =?utf-8?B?w6k=?=",
    b"Content-Type: text/plain; charset=\"ISO-8859-1\"",
    b"Content-Transfer-Encoding: quoted-printable",
    b"",
    quopri.encodestring("Déjà vu: the cost is 5 ".encode("latin-1") + b"\x80" + b"\nSecond line\n").replace(b"\n", b"\r\n"),
]))

inner = "\n".join([
    "From: bo@example.com",
    "Subject: Original",
    'Content-Type: multipart/mixed; boundary="b2"',
    "",
    "--b2",
    "Content-Type: text/plain",
    "",
    "Original text.",
    "--b2",
    "Content-Type: text/plain; name=\"ids.txt\"",
    "Content-Disposition: attachment; filename=\"ids.txt\"",
    "",
    SECRET,
    "--b2--",
    "",
])
def forward(*extra_parts):
    """A mail forwarding `inner` as a message/rfc822 part, then `extra_parts`."""
    lines = ["From: ana@example.com", "Subject: Fwd: Original", 'Content-Type: multipart/mixed; boundary="b1"', "",
             "--b1", "Content-Type: text/plain", "", "See below.",
             "--b1", "Content-Type: message/rfc822", "", inner]
    for part in extra_parts:
        lines += ["--b1"] + part
    return "\n".join(lines + ["--b1--", ""])


write("forward.eml", forward())
write("forward-broken.eml", forward([
    'Content-Type: application/octet-stream; name="broken.docx"',
    'Content-Disposition: attachment; filename="broken.docx"',
    "Content-Transfer-Encoding: base64",
    "",
    b64(b"not a zip").rstrip("\n"),
]))

# ---------------------------------------------------------------- html

write("page.html", """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>Quarterly &amp; plans</title>
<meta name="description" content="Internal roadmap">
<style>p { margin: 3%; }</style>
<script>var owner = "MT482913"; // """ + SECRET + """
</script></head>
<body>
<h1>Roadmap</h1>
<p>We   will
launch <a href="https://intranet.example.com/kestrel">the plan</a> soon.<!-- """ + SECRET + """ --></p>
<div>Caf&eacute; &#233;&#x20AC; &nbsp;&lt;ok&gt; &unknown; AT&T</div>
<table><tr><th>Region</th><th>Owner</th></tr><tr><td>North</td><td>Ana</td></tr></table>
<ul><li>One</li><li>Two<br>Three</li></ul>
<pre>  kept   as
  is</pre>
<img src="logo.png" alt="Company logo">
</body></html>
""")

# ---------------------------------------------------------------- pdf


def make_pdf(pages):
    """A minimal PDF with one line of Helvetica text per page."""
    objects = ["<< /Type /Catalog /Pages 2 0 R >>", None, "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    kids = []
    for text in pages:
        stream = "BT /F1 12 Tf 72 720 Td (%s) Tj ET" % text
        objects.append("<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream))
        objects.append("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> "
                       "/Contents %d 0 R >>" % len(objects))
        kids.append("%d 0 R" % len(objects))
    objects[1] = "<< /Type /Pages /Kids [%s] /Count %d >>" % (" ".join(kids), len(kids))
    out = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += ("%d 0 obj\n%s\nendobj\n" % (number, body)).encode("latin-1")
    xref = len(out)
    out += ("xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)).encode()
    out += "".join("%010d 00000 n \n" % o for o in offsets).encode()
    out += ("trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)).encode()
    return out


write("report.pdf", make_pdf(["First page", SECRET]))
write("corrupt.pdf", b"%PDF-1.4\nthis is not a PDF body\n")
