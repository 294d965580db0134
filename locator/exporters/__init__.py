"""Exporters: the directory written out in the formats the importers read."""
