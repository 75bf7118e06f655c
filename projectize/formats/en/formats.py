"""One date format on English pages, as on Chinese ones: 1 Jul 2026, and 1 Jul 2026 09:30 with a time.

Django's English formats mix 07/01/2026 (short) with July 1, 2026 (long) and a.m./p.m. times; the
Chinese pages write every date one way (2026年7月1日 09:30), so the English pages do too.
"""

DATE_FORMAT = SHORT_DATE_FORMAT = "j M Y"
DATETIME_FORMAT = SHORT_DATETIME_FORMAT = "j M Y H:i"
