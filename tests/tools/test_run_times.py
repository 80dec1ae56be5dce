"""tools/run_times.py: one stated run time per notebook, equal to README's table."""

from __future__ import annotations

import pytest

from tools import run_times

SOURCE = """# %% [markdown]
# # 03 Title
#
# **Time:** about 20 minutes to read; the cells run in under 10 minutes on a
# 2-core laptop CPU.
#
# ## Setup

# %%
MINUTES = 5  # code may say 5 minutes

# %% [markdown]
# Train with `--minutes 30` for more.
"""
README = """| # | notebook | what you learn | time | key result |
|---|---|---|---|---|
| 03 | [LM](notebooks/03_lm.ipynb) | things, with | pipes | 6:06 | 2.381 bits/char |
| 04 | [Stocks](notebooks/04_st.ipynb) | more | 1:52 | MASE 1.9 |
"""


@pytest.fixture
def tree(tmp_path):
    (tmp_path / "nb").mkdir()
    (tmp_path / "nb" / "03_lm.py").write_text(SOURCE)
    (tmp_path / "README.md").write_text(README)
    return tmp_path


def test_record_writes_one_header_line_and_the_readme_cell(tree):
    summary = "| 03_lm | 7:15 | ok | x |\n| 04_st | 2:01 | FAILED (boom) | |\n"
    changed = run_times.record(summary, tree / "nb", tree / "README.md")

    source = (tree / "nb" / "03_lm.py").read_text()
    assert changed == [tree / "nb" / "03_lm.py"]
    assert run_times.header_times(source) == ["7:15"]
    assert "20 minutes to read" not in source and "# ## Setup" in source
    readme = (tree / "README.md").read_text()
    assert "| pipes | 7:15 | 2.381 bits/char |" in readme
    assert "| 1:52 | MASE 1.9 |" in readme  # a failed notebook keeps its figure
    assert run_times.problems(tree / "nb", tree / "README.md") == []
    # recording the same summary again changes nothing
    assert run_times.record(summary, tree / "nb", tree / "README.md") == []


def test_problems_name_a_mismatch_a_bad_header_and_a_typed_time(tree):
    found = run_times.problems(tree / "nb", tree / "README.md")
    assert len(found) == 1 and "needs exactly one header line" in found[0]

    run_times.record("| 03_lm | 6:06 | ok | x |", tree / "nb", tree / "README.md")
    path = tree / "nb" / "03_lm.py"
    path.write_text(path.read_text() + "# It takes about 3 minutes.\n")
    (tree / "README.md").write_text(README.replace("6:06", "6:07"))
    found = run_times.problems(tree / "nb", tree / "README.md")
    assert any("header says 6:06, README's table says 6:07" in p for p in found)
    assert any("typed run time" in p and "3 minutes" in p for p in found)
    assert not any("--minutes" in p or "code may say" in p for p in found)


@pytest.mark.parametrize(
    "line, typed",
    [
        ("# about 15 minutes on 2 cores", True),
        ("# a 10-minute budget", True),
        ("# ran in 2:57 here", True),
        ("# 4.5 min", True),
        ("# 3 seeds and 20 steps, a ratio of 1.5", False),
        ("# run `lm train --minutes 30`", False),
    ],
)
def test_typed_times(line, typed):
    assert bool(run_times.typed_times(f"# %% [markdown]\n{line}\n")) == typed


def test_record_refuses_an_empty_summary(tree):
    with pytest.raises(ValueError, match="`summary` has no notebook row"):
        run_times.record("| x | 1:00 | FAILED | |", tree / "nb", tree / "README.md")


def test_the_repository_states_each_run_time_once():
    assert run_times.problems() == []
