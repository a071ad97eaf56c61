"""How names from the knowledge base stand in running text.

The knowledge base stores names as headings write them ("Kalmeringsmiddelen", "Stress");
mid-sentence, after a colon or in a list, Dutch writes them in lower case.
"""


def lower_first(name: str) -> str:
    """`name` as it stands mid-sentence: "Kalmeringsmiddelen" → "kalmeringsmiddelen",
    "IJzer" → "ijzer" (the Dutch IJ is one letter), while abbreviations and prefixes keep
    their capitals ("MAO-remmers", "GABA", "L-theanine")."""
    capital = 2 if name.startswith("IJ") else 1
    if len(name) > capital and name[:capital].isupper() and name[capital].islower():
        return name[:capital].lower() + name[capital:]
    return name
