"""FHIR R4 for gutbrain: the code systems we write and read (`codes`), the export of a
client's record and of a protocol, and the import of a medication list."""
