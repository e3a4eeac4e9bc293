from __future__ import annotations

import pytest

from rayscore.tasks import UnknownTaskError, get_task, list_tasks, register_task
from rayscore.tasks.base import Task


def test_drum_roles_is_registered():
    assert "drum_roles" in list_tasks()
    task = get_task("drum_roles")
    assert isinstance(task, Task)
    assert task.name == "drum_roles"


def test_unknown_task_lists_the_valid_ones():
    with pytest.raises(UnknownTaskError, match=r"unknown task 'drums'.*drum_roles"):
        get_task("drums")


def test_duplicate_name_is_rejected():
    existing = type(get_task("drum_roles"))

    class Impostor(existing):  # same name, different class
        pass

    with pytest.raises(ValueError, match="already registered"):
        register_task(Impostor)


def test_every_task_implements_the_protocol():
    for name in list_tasks():
        task = get_task(name)
        cfg = task.load_config()
        assert task.label_names(cfg)
        assert task.encoders(cfg)  # stages may need a trained model: the smoke test runs them
        assert task.folder_importer in task.importers()


def test_looking_up_a_task_imports_only_its_own_package():
    """A Ray worker scoring documents looks its task up; importing every task (torch, transformers)
    cost each new worker process seconds of CPU on a 2-core machine. The page and decode tasks
    need no torch either (only the neural model's actor does)."""
    import subprocess
    import sys

    code = ("import sys\nfrom rayscore.tasks import get_task\nget_task('doc_type').load_config()\n"
            "import rayscore.tasks.doc_type.pixels, rayscore.tasks.doc_type.stages\n"  # what page/decode tasks run
            "print(sorted({m.split('.')[2] for m in sys.modules if m.startswith('rayscore.tasks.')}), "
            "'torch' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["['base',", "'doc_type']", "False"], out
    assert "urgency" in list_tasks()  # listing still finds every task
