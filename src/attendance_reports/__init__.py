"""attendance-reports: DfE school absence statistics as accessible web pages and committee PDFs."""

import os

# numpy (under pandas) asks the kernel for transparent huge pages for large arrays. On a machine
# whose memory is watched page by page (Linux DAMON, as on this project's CI machine) each new
# large array then costs about five times the CPU to fill: `make bench` 5.2 s by default, 3.85 s
# without. numpy reads the setting when it is first imported, so it is set here, before any
# module of the package imports numpy; a value already in the environment is kept.
os.environ.setdefault("NUMPY_MADVISE_HUGEPAGE", "0")

__version__ = "0.1.0"
