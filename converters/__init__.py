"""Pure functions from a source record to RDF triples: no I/O, no globals, no store.

`lod.converters.marc` turns one MARC 21 record into BIBFRAME 2 and schema.org triples.
Each tag range has its own module with a `convert(record, ctx)` function; `convert_record`
runs them all in the order of the registry `CONVERTERS`.
"""
