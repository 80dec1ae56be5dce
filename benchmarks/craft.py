"""Full-size checks of the claims of notebooks 06, 07 and 08 (training craft).

CI runs those notebooks only with tiny test parameters; the claims they make at
full size ("clipping prevents divergence at lr X", "bidirectional beats
unidirectional on tagging by more than the seed spread", ...) are measured here,
several seeds each, and printed as Markdown tables for README.

Each part lives in its own module (``craft_training.py`` for notebook 06,
``craft_bidirectional.py`` for 07, ``craft_execute.py`` for 08) with a
``main(argv) -> int`` of its own options (``--help``).

Usage:
    python benchmarks/craft.py training [--help]
    python benchmarks/craft.py bidirectional [--help]
    python benchmarks/craft.py execute [--help]
    python benchmarks/craft.py all                # every part with its defaults
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

PARTS = {
    "training": "craft_training",
    "bidirectional": "craft_bidirectional",
    "execute": "craft_execute",
}


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    if not argv or argv[0] in {"-h", "--help"}:
        print(__doc__)
        return 0 if argv else 2
    part, rest = argv[0], argv[1:]
    if part == "all":
        return max(importlib.import_module(m).main([]) for m in PARTS.values())
    if part not in PARTS:
        print(f"craft.py: unknown part {part!r}; choose among {list(PARTS)} or all")
        return 2
    return importlib.import_module(PARTS[part]).main(rest)


if __name__ == "__main__":
    sys.exit(main())
