"""Arabic date formats (FORMAT_MODULE_PATH), over Django's own ``ar`` formats.

Django's ``ar`` locale has no DATETIME_FORMAT, so the admin printed the English order
«ديسمبر 1, 2026, 11 م». Dates read day, month, year as on the reader's pages («j F Y»), and the
time follows an Arabic comma: «1 ديسمبر 2026، 11 م». What is not set here is Django's.
"""

DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y، P"
# The week starts on Saturday, as in the archive's calendars (the admin's date picker too).
FIRST_DAY_OF_WEEK = 6
