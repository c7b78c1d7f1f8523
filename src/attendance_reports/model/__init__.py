"""Indicator tables -> report models (site data, disclosure, assembling, overview, narrative)."""
