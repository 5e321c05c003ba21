"""Document builders for tenders: DOCX tender document, XLSX response form, OCDS JSON.

Pure functions from an `exports.model.TenderDocument` snapshot to bytes; nothing here imports the
registry, reads the clock or touches the network.
"""
