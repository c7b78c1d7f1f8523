"""attendance-reports: DfE school absence statistics as accessible web pages and committee PDFs."""

__version__ = "0.1.0"
