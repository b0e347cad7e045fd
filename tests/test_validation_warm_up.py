"""Great Expectations is never imported on a page's request: the entry file imports it once per server process on
the warm-up thread, and a page that validates (survey preview, refresh) waits for that thread. Each test runs the
app under AppTest in a fresh Python process (this one has imported Great Expectations long ago) and watches which
thread imports any great_expectations module."""
from __future__ import annotations

import ast
import json
import os
import shutil
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest

from expectations.validate import WARM_UP_THREAD

ROOT = Path(__file__).resolve().parents[1]


def page_names() -> list[str]:
    """Every page the entry file registers (PAGES and TOOLS of app/main.py)."""
    pages = {}
    for node in ast.parse((ROOT / "app" / "main.py").read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", None) in ("PAGES", "TOOLS"):
            pages[node.targets[0].id] = [name for name, _ in ast.literal_eval(node.value)]
    return pages["PAGES"] + pages["TOOLS"]


PRELUDE = """
import json, sys, threading
importers = {}                       # thread name -> great_expectations modules it imported


class Spy:
    \"\"\"Sees every first import of a great_expectations module, and on which thread it happens.\"\"\"

    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] == "great_expectations":
            importers.setdefault(threading.current_thread().name, []).append(name)
        return None


sys.meta_path.insert(0, Spy())
from streamlit.testing.v1 import AppTest
from expectations import validate
from tests.conftest import log_in


def ge_loaded():
    return any(m.split(".")[0] == "great_expectations" for m in sys.modules)


def signed_in():
    at = AppTest.from_file("app/main.py", default_timeout=300)
    at.run()
    return log_in(at)


def report(**found):
    found.update(importers=sorted(importers), warm_up_threads=len(validate._WARM_UP))
    print(json.dumps(found, ensure_ascii=False))
"""


def run_app(body: str, warehouse: Path, warm_up: bool, **env) -> dict:
    """Run PRELUDE + body in a fresh Python process with the app on the warehouse; the JSON it reported."""
    env = {**os.environ, "QUALITY_WAREHOUSE": str(warehouse), "QUALITY_WARM_UP": "1" if warm_up else "0",
           **{k: str(v) for k, v in env.items()}}
    run = subprocess.run([sys.executable, "-c", PRELUDE + textwrap.dedent(body)], capture_output=True, text=True,
                         timeout=600, env=env, cwd=ROOT)
    assert run.returncode == 0, run.stderr[-4000:]
    return json.loads(run.stdout.strip().splitlines()[-1])


@pytest.fixture
def demo_copy(demo_warehouse, tmp_path) -> Path:
    """A copy of the demo warehouse with an accounts file of its own (created on the app's first start)."""
    path = tmp_path / "wh" / "quality.duckdb"
    path.parent.mkdir()
    shutil.copy(demo_warehouse, path)
    return path


def test_with_the_warm_up_not_run_no_page_imports_great_expectations(demo_copy):
    pages = page_names()
    assert {"upload", "refresh", "data_quality", "report"} <= set(pages)
    found = run_app(f"""
        at = signed_in()
        pages = {{}}
        for page in {pages!r}:
            at.switch_page(f"views/{{page}}.py").run()
            pages[page] = {{"title": [t.value for t in at.title][:1], "exception": [str(e.value) for e in at.exception],
                           "great_expectations": ge_loaded()}}
        report(pages=pages)
    """, demo_copy, warm_up=False)
    assert {p: v["exception"] for p, v in found["pages"].items() if v["exception"]} == {}
    assert all(v["title"] or p in ("phone", "meeting") for p, v in found["pages"].items()), found["pages"]
    assert [p for p, v in found["pages"].items() if v["great_expectations"]] == []
    assert found["importers"] == [] and found["warm_up_threads"] == 0


def test_a_preview_and_a_refresh_validate_with_great_expectations_imported_on_the_warm_up_thread_only(tmp_path):
    from tests.conftest import write_csv
    from tests.test_load import IQC_HEADER, iqc_rows
    from tests.test_upload import THREE, survey_bytes

    survey, iqc = tmp_path / "survey.csv", write_csv(tmp_path / "iqc.csv", IQC_HEADER, iqc_rows(3, 20))
    survey.write_bytes(survey_bytes(THREE))
    found = run_app(f"""
        from pathlib import Path
        at = signed_in()
        at.switch_page("views/upload.py").run()
        before = ge_loaded()
        at.file_uploader[0].set_value(("survey.csv", Path({str(survey)!r}).read_bytes(), "text/csv")).run()
        preview = [s.value for s in at.success]
        at.switch_page("views/refresh.py").run()
        at.file_uploader[0].set_value([("iqc.csv", Path({str(iqc)!r}).read_bytes(), "text/csv")]).run()
        at.button(key="refresh_uploaded").click().run()
        refresh = [m.value for m in (*at.success, *at.warning, *at.error)]
        report(before=before, preview=preview, refresh=refresh, exception=[str(e.value) for e in at.exception],
               after=ge_loaded())
    """, tmp_path / "wh" / "quality.duckdb", warm_up=False)
    assert found["exception"] == [] and found["preview"] == ["可导入 3 行"]
    assert found["refresh"][0].startswith("1 个文件已加载"), found["refresh"]
    assert found["before"] is False and found["after"] is True
    # the first validation started the warm-up thread and waited for it: no request imported any of it
    assert found["importers"] == [WARM_UP_THREAD] and found["warm_up_threads"] == 1


def test_the_entry_file_starts_the_warm_up_once_per_process_and_it_imports_great_expectations(tmp_path):
    found = run_app("""
        at = AppTest.from_file("app/main.py", default_timeout=300)
        at.run()                                          # the login page: the warm-up has started
        started = list(validate._WARM_UP)
        again = AppTest.from_file("app/main.py", default_timeout=300)
        again.run()                                       # another session of the same process
        same = list(validate._WARM_UP) == started and validate.warm_up() is started[0]
        started[0].join(timeout=300)
        report(started=len(started), same=same, name=started[0].name, alive=started[0].is_alive(),
               loaded=ge_loaded(), context=bool(validate._CONTEXT),
               threads=sum(t.name == validate.WARM_UP_THREAD for t in threading.enumerate()))
    """, tmp_path / "wh" / "quality.duckdb", warm_up=True)
    assert found["started"] == 1 and found["same"] and found["name"] == WARM_UP_THREAD
    assert not found["alive"] and found["loaded"] and found["context"] and found["threads"] == 0
    assert found["importers"] == [WARM_UP_THREAD]


def test_a_failed_warm_up_reaches_the_validation_that_waited_and_the_next_one_tries_again(monkeypatch):
    from expectations import validate

    validate.warm_up().join()                    # this process's own warm-up is over before its state is swapped
    for name in ("_CONTEXT", "_WARM_UP", "_FAILED"):
        monkeypatch.setattr(validate, name, [])
    attempts = []

    def failing():
        attempts.append(threading.current_thread().name)
        validate._FAILED.append(ImportError("no Great Expectations here"))

    monkeypatch.setattr(validate, "_build_context", failing)
    with pytest.raises(RuntimeError) as refused:
        validate.ge_context()
    assert isinstance(refused.value.__cause__, ImportError) and attempts == [WARM_UP_THREAD]
    monkeypatch.setattr(validate, "_build_context", lambda: validate._CONTEXT.append("context"))
    assert validate.ge_context() == "context" and validate.ge_context() == "context"
    assert len(validate._WARM_UP) == 1 and not validate._FAILED
