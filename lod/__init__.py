"""Linked open data for Vietnam's library network: MARC 21 and registry records as BIBFRAME 2 and
schema.org RDF, validated with SHACL, kept in Oxigraph, served as dereferenceable IRIs and SPARQL.

Importing this package does nothing but define names: no I/O, no store, no app.
"""

__version__ = "0.1.0"
