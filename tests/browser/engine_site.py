"""Which site the engine comparison (test_quarto_site.py) builds with both engines.

By default Camden (a London borough with every LA page type) and three of its schools, small
enough for every test run. To check a whole LA the way an LA would publish it, set
``ATTENDANCE_REPORTS_ENGINE_LA`` (e.g. 873), ``ATTENDANCE_REPORTS_ENGINE_SCHOOLS=0`` (every
school) and ``ATTENDANCE_REPORTS_ENGINE_SEARCH`` (a word of the LA's name):

    ATTENDANCE_REPORTS_ENGINE_LA=873 ATTENDANCE_REPORTS_ENGINE_SCHOOLS=0 \\
    ATTENDANCE_REPORTS_ENGINE_SEARCH=cambridgeshire make test-engines
"""

from __future__ import annotations

import os

ENGINE_LA = os.environ.get("ATTENDANCE_REPORTS_ENGINE_LA", "202")
#: schools of the LA kept in the data (0: every school)
ENGINE_SCHOOLS = int(os.environ.get("ATTENDANCE_REPORTS_ENGINE_SCHOOLS", "3"))
ENGINE_SEARCH = os.environ.get("ATTENDANCE_REPORTS_ENGINE_SEARCH", "camden")
