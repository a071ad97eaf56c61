"""Summarise pip-audit's JSON report: what was audited, what is vulnerable, what was
skipped (a release PyPI gives no advisories for is named, not passed over in silence)."""

import json
import sys
from pathlib import Path

dependencies = json.loads(Path(sys.argv[1]).read_text())["dependencies"]
skipped = [d for d in dependencies if "skip_reason" in d]
vulnerable = [d for d in dependencies if d.get("vulns")]
print(f"audited {len(dependencies) - len(skipped)} of {len(dependencies)} dependencies")
for dependency in vulnerable:
    for vuln in dependency["vulns"]:
        fixes = ", ".join(vuln["fix_versions"]) or "none yet"
        name, version = dependency["name"], dependency["version"]
        print(f"VULNERABLE {name} {version}: {vuln['id']} (fixed in {fixes})")
if skipped:
    print(f"NOT AUDITED ({len(skipped)}), e.g. {skipped[0]['skip_reason']}")
    print("  also: " + ", ".join(d["name"] for d in skipped[1:]))
