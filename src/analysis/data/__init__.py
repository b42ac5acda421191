"""The data layer: the number parser, the unit vocabulary, strict CSV reading and atomic
writing, the schemas of ``data/raw/``, its checksum manifest and the check of each
transcription against the source text. It imports nothing above it: no analyses, checks,
presentation or run machinery (``analysis.data.datasets`` builds the public tables on top of it).
"""
