"""Date formats for a Dutch practice, in both languages (`FORMAT_MODULE_PATH`).

Django's own shorten a date to 2-12-2026 in Dutch and to 12/02/2026 in (American)
English, which a Dutch reader takes for 12 February. Here both languages write
"2 December 2026" in text and 02-12-2026 where a date is short or typed, and read a
typed date day first.
"""
