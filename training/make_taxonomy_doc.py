"""Regenerate src/otklik/understand/TAXONOMY.md's tables from the taxonomy and pattern YAML files."""

from __future__ import annotations

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1] / "src" / "otklik" / "understand"
APPLIES = {"goods": "товары", "services": "услуги", "both": "товары и услуги"}
HEAD, _, _ = (ROOT / "TAXONOMY.md").read_text(encoding="utf-8").partition("| id |")


def main() -> None:
    tax = yaml.safe_load((ROOT / "data" / "taxonomy.yaml").read_text(encoding="utf-8"))
    pat = yaml.safe_load((ROOT / "data" / "patterns.yaml").read_text(encoding="utf-8"))
    lines = ["| id | название | для | примеры терминов | примеры жалоб | примеры похвалы |", "|---|---|---|---|---|---|"]
    for a in tax["aspects"]:
        def ex(key: str, a: dict = a) -> str:
            return ", ".join(a.get(key, [])[:5]) or "—"
        lines.append(f"| `{a['id']}` | {a['name']} | {APPLIES[a.get('applies', 'both')]} | {ex('terms')} | "
                     f"{ex('negative')} | {ex('positive')} |")
    lines += ["", "## Question topics", "",
              "`Analysis.question_topics` holds these topic ids and any aspect ids named in the question",
              "(patterns in [`data/patterns.yaml`](data/patterns.yaml), `question_topics`).", "",
              "| topic | примеры |", "|---|---|"]
    lines += [f"| `{k}` | {', '.join(v[:5])} |" for k, v in pat["question_topics"].items()]
    (ROOT / "TAXONOMY.md").write_text(HEAD + "\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
