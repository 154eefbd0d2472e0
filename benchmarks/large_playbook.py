"""A large valid playbook for timing: 52 weeks of phases, 40 daily channels, 300 personas,
60 roles. `write_large_playbook(path)` writes it; run this file to print it."""

from __future__ import annotations

import sys
from pathlib import Path

import yaml

PHASES, CHANNELS, PERSONAS, ROLES = 26, 40, 300, 60  # 26 two-week phases = 52 weeks


def large_playbook(count: int = PHASES) -> dict:
    """The large playbook as data, with `count` two-week phases (26 by default)."""
    roles = [{"id": f"role-{n}", "title": f"Role {n}", "kind": "full-time",
              "reports_to": f"role-{(n - 1) // 3}" if n else None,
              "mission": f"Own the work of team {n}.", "responsibilities": ["Plan", "Run"],
              "cost": {"monthly": 5000 + 10 * n}} for n in range(ROLES)]
    for role in roles:
        if role["reports_to"] is None:
            del role["reports_to"]
    channels = [{"id": f"channel-{n}", "name": f"Channel {n}", "kind": "paid",
                 "owner": f"role-{n % ROLES}", "budget": 1000 + 25 * n, "cadence": "daily"}
                for n in range(CHANNELS)]
    personas = [{"id": f"persona-{n}", "name": f"Persona {n}", "title": "Buyer",
                 "icps": [f"icp-{n % 10}"], "buying_role": "user",
                 "channels": [f"channel-{n % CHANNELS}", f"channel-{(n * 7) % CHANNELS}"]}
                for n in range(PERSONAS)]
    phases = [{"id": f"phase-{n}", "value_proposition": f"Value proposition number {n}.",
               # Twelve personas a phase at every size, so that an entry costs the same.
               "weeks": 2, "personas": [f"persona-{(n * 12 + k) % PERSONAS}"
                                        for k in range(12)],
               "channels": [c["id"] for c in channels],
               "resonance": {"metric": "signups", "target": 100 + n}} for n in range(count)]
    return {
        "gtmgen": 1,
        "client": {"name": "Bigco", "product": "Everything", "date": "2026-09-01",
                   "country": "US"},
        "launch": {"date": "2027-01-04"},
        "segments": [{"id": f"segment-{n}", "name": f"Segment {n}"} for n in range(5)],
        "icps": [{"id": f"icp-{n}", "name": f"ICP {n}", "segment": f"segment-{n % 5}"}
                 for n in range(10)],
        "personas": personas,
        "partners": [{"id": f"partner-{n}", "name": f"Partner {n}", "kind": "referral",
                      "owner": f"role-{n}", "moments": [{"phase": f"phase-{n % count}",
                                                         "activity": "Joint webinar"}]}
                     for n in range(10)],
        "channels": channels,
        "messages": {"pillar": "One pillar.", "phases": phases},
        "roles": roles,
        "kpis": {"cac": 100, "ltv": 900},
    }


def write_large_playbook(path: Path, phases: int = PHASES) -> Path:
    """Write the large playbook as YAML to `path`."""
    path.write_text(yaml.safe_dump(large_playbook(phases), sort_keys=False), encoding="utf-8")
    return path


if __name__ == "__main__":
    yaml.safe_dump(large_playbook(), sys.stdout, sort_keys=False)
