"""The record library: pure Python, no Django.

It reads instrument files (`records.extractors`), renders previews (`records.previews`),
processes one file end to end with limits (`records.process`), groups a session's files into
acquisition activities (`records.activities`), builds the XML record (`records.xml`), checks it
against the schema in `schemas/` (`records.validate`) and exports NIST Nexus Experiment documents
(`records.nexus`). The Django apps in `lims/` call into it; it never imports from `lims`.
"""
