"""Build the shipped sample forms in templates/samples/ (our own wording, free to share).

Run: python scripts/make_sample.py
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

SAMPLES = Path(__file__).resolve().parent.parent / "templates" / "samples"

QUESTIONS = [
    ("Data Protection", None),
    ("DP-01", "Is customer data encrypted at rest?"),
    ("DP-02", "Is data encrypted in transit using TLS 1.2 or higher?"),
    ("DP-03", "Do you use customer data to train your AI models?"),
    ("DP-04", "Is customer data excluded from model training by default?"),
    ("DP-05", "Does the customer retain ownership of inputs and outputs?"),
    ("DP-06", "How long are API inputs and outputs retained?"),
    ("DP-07", "Do you offer zero data retention for eligible API endpoints?"),
    ("DP-08", "Do you back up customer data to a secondary region daily?"),
    ("Identity and Access", None),
    ("IAM-01", "Do you support SAML single sign-on (SSO)?"),
    ("IAM-02", "Is multi-factor authentication enforced for all workforce accounts?"),
    ("IAM-03", "Can customer administrators control access and available features?"),
    ("Compliance", None),
    ("CMP-01", "Have you completed a SOC 2 Type 2 examination?"),
    ("CMP-02", "Do you have a SOC 1 Type 2 report?"),
    ("CMP-03", "Are you ISO/IEC 27001 certified?"),
    ("CMP-04", "Are you ISO 22301 certified for business continuity?"),
    ("CMP-05", "Will you sign a Data Processing Addendum (DPA)?"),
    ("CMP-06", "Will you sign a Business Associate Agreement (BAA) for HIPAA?"),
    ("Security Operations", None),
    ("SEC-01", "Do you have a bug bounty program?"),
    ("SEC-02", "Is the security team on call 24x7 for incidents?"),
    ("SEC-03", "Do you encrypt data at rest and in transit, and rotate encryption keys yearly?"),
    ("SEC-04", "Do you conduct annual third-party penetration testing?"),
    ("SEC-05", "Are visitors to your data centers escorted at all times?"),
    ("SEC-06", "Do you provide audit logs to enterprise customers?"),
]


def make_xlsx(path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "Security Questionnaire"
    ws["A1"] = "Vendor Security Questionnaire"
    ws["A1"].font = Font(bold=True, size=14)
    ws["A2"] = "Answer each question with Yes, No or N/A and explain in the comments column."
    ws.append([])
    ws.append(["ID", "Question", "Answer", "Comments"])
    header_fill = PatternFill("solid", fgColor="1F4E78")
    for cell in ws[4]:
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = header_fill
    validation = DataValidation(type="list", formula1='"Yes,No,N/A"', allow_blank=True)
    ws.add_data_validation(validation)
    for qid, text in QUESTIONS:
        if text is None:
            ws.append([qid])
            row = ws.max_row
            ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=4)
            ws.cell(row, 1).font = Font(bold=True)
            ws.cell(row, 1).fill = PatternFill("solid", fgColor="D9E1F2")
            continue
        ws.append([qid, text, None, None])
        validation.add(f"C{ws.max_row}")
    ws.column_dimensions["A"].width = 10
    ws.column_dimensions["B"].width = 70
    ws.column_dimensions["C"].width = 12
    ws.column_dimensions["D"].width = 80
    for row in ws.iter_rows(min_row=5):
        row[1].alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = "A5"
    wb.save(path)


def make_docx(path: Path) -> None:
    from docx import Document
    from docx.shared import Pt

    document = Document()
    document.add_heading("Vendor Security Assessment", 1)
    document.add_paragraph("Please answer every question and add evidence in the comments column.")
    table = document.add_table(rows=1, cols=4)
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, ("#", "Question", "Response (Yes/No/N/A)", "Comments"), strict=True):
        cell.text = text
        cell.paragraphs[0].runs[0].bold = True
    for qid, text in QUESTIONS:
        row = table.add_row().cells
        if text is None:
            merged = row[0].merge(row[3])
            merged.text = qid
            merged.paragraphs[0].runs[0].bold = True
            continue
        row[0].text, row[1].text = qid, text
        row[1].paragraphs[0].runs[0].font.size = Pt(10)
    document.add_heading("Free-text questions", 2)
    for number, text in enumerate(
        ("Describe how customer data is encrypted at rest.", "Will you sign a Data Processing Addendum (DPA)?"),
        start=1,
    ):
        document.add_paragraph(f"{number}. {text}")
        document.add_paragraph("Response: ")
    document.save(str(path))


if __name__ == "__main__":
    SAMPLES.mkdir(parents=True, exist_ok=True)
    make_xlsx(SAMPLES / "sample-questionnaire.xlsx")
    make_docx(SAMPLES / "sample-questionnaire.docx")
    print(f"wrote the samples in {SAMPLES}")
