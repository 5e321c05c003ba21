"""Document builders for tenders: the DOCX tender document, the XLSX response form, OCDS JSON.

Pure functions from an `exports.model.TenderDocument` snapshot to bytes. Nothing here imports the
registry, reads the clock or touches the network, so the same snapshot always gives the same bytes.
"""

from exports.docx import tender_docx
from exports.model import TenderDocument
from exports.ocds import tender_ocds
from exports.template import TemplateError
from exports.xlsx import response_form_xlsx

__all__ = ["TemplateError", "TenderDocument", "response_form_xlsx", "tender_docx", "tender_ocds"]
