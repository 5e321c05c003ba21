"""Procurement requirements and supplier-evidence registry for Nordic welfare technology."""
