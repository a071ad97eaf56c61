"""How names from the knowledge base stand in running text.

The knowledge base stores names as headings write them ("Kalmeringsmiddelen", "Stress");
mid-sentence, after a colon or in a list, Dutch writes them in lower case.
"""


def lower_first(name: str) -> str:
    """`name` as it stands mid-sentence: "Kalmeringsmiddelen" → "kalmeringsmiddelen", while
    abbreviations and prefixes keep their capitals ("MAO-remmers", "GABA", "L-theanine")."""
    if len(name) > 1 and name[0].isupper() and name[1].islower():
        return name[0].lower() + name[1:]
    return name
