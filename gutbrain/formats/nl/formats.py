"""Dutch: Django's formats, with two-digit days and months where a date is short."""

SHORT_DATE_FORMAT = "d-m-Y"
SHORT_DATETIME_FORMAT = "d-m-Y H:i"
