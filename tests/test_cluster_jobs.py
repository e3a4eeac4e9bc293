"""A real two-node local Ray cluster (`ray start --head` + `ray start --address`) running a
scoring job submitted through the Jobs API, as a user would with `ray job submit`."""

from __future__ import annotations

import json
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil
import pytest
import requests

from rayscore.tasks import get_task
from tests.serving.conftest import free_port

pytestmark = pytest.mark.slow
REPO = Path(__file__).resolve().parents[1]
RAY = str(Path(sys.executable).parent / "ray")


class LocalCluster:
    """Head + one worker node, each a `ray start --block` process tree we can stop precisely.

    (`ray stop` would also stop every other Ray instance on the machine.)
    """

    def __init__(self, tmp: Path) -> None:
        self.port, self.dash = free_port(), free_port()
        self.token = secrets.token_hex(16)
        self.env = os.environ | {
            "RAY_AUTH_MODE": "token",  # clusters started with `ray start` use token auth
            "RAY_AUTH_TOKEN": self.token,
            "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}",  # the job's `python`
            "RAY_DATA_LOG_LEVEL": "WARNING",
        }
        self.tmp = tmp
        # Ray's socket paths must stay under 108 bytes: a short folder, not pytest's tmp_path.
        self.ray_tmp = Path(tempfile.mkdtemp(prefix="rsc-", dir="/tmp"))
        self.procs: list[subprocess.Popen] = []

    def _start(self, *args: str, log: str) -> None:
        # Every node's agents get their own ports: the defaults (52365, ...) may already be
        # held by another Ray instance on this machine, e.g. the test session's own.
        ports = [f"--dashboard-agent-listen-port={free_port()}", f"--dashboard-agent-grpc-port={free_port()}",
                 f"--runtime-env-agent-port={free_port()}", f"--metrics-export-port={free_port()}",
                 f"--ray-client-server-port={free_port()}"]
        out = open(self.tmp / log, "w")  # noqa: SIM115 - closed with the process
        self.procs.append(subprocess.Popen([RAY, "start", "--block", "--disable-usage-stats", *ports, *args],
                                           env=self.env, stdout=out, stderr=subprocess.STDOUT,
                                           start_new_session=True))

    def __enter__(self) -> LocalCluster:
        self._start("--head", f"--port={self.port}", "--num-cpus=1", "--dashboard-host=127.0.0.1",
                    f"--dashboard-port={self.dash}", f"--temp-dir={self.ray_tmp}", log="head.log")
        self._wait(lambda: self._get("/api/version").status_code == 200, "dashboard")
        self._start(f"--address=127.0.0.1:{self.port}", "--num-cpus=1", log="worker.log")
        self._wait(lambda: self.alive_nodes() == 2, "second node")
        return self

    def _get(self, path: str) -> requests.Response:
        return requests.get(f"http://127.0.0.1:{self.dash}{path}", timeout=10,
                            headers={"Authorization": f"Bearer {self.token}"})

    def alive_nodes(self) -> int:
        out = subprocess.run([RAY, "list", "nodes", "--address", f"http://127.0.0.1:{self.dash}",
                              "--format", "json"], env=self.env, capture_output=True, text=True)
        try:
            return sum(n["state"] == "ALIVE" for n in json.loads(out.stdout))
        except json.JSONDecodeError:
            return 0

    @staticmethod
    def _wait(check, what: str, timeout: float = 90) -> None:
        deadline = time.time() + timeout
        while time.time() < deadline:
            try:
                if check():
                    return
            except requests.RequestException:
                pass
            time.sleep(1)
        raise TimeoutError(f"local cluster: {what} did not come up in {timeout} s")

    def __exit__(self, *exc) -> None:
        tree = []
        for p in self.procs:
            try:
                proc = psutil.Process(p.pid)
                tree += [proc, *proc.children(recursive=True)]
            except psutil.NoSuchProcess:
                pass
        for proc in tree:
            try:
                proc.kill()
            except psutil.NoSuchProcess:
                pass
        psutil.wait_procs(tree, timeout=15)
        shutil.rmtree(self.ray_tmp, ignore_errors=True)


def test_scoring_job_on_a_two_node_cluster(tmp_path):
    from ray.job_submission import JobStatus, JobSubmissionClient

    task = get_task("drum_roles")
    manifest = task.generate(tmp_path / "drums", n=24, seed=8, cfg=task.load_config())
    manifest_path = manifest.write(tmp_path / "manifest.parquet")
    out = tmp_path / "scored"
    with LocalCluster(tmp_path) as cluster:
        client = JobSubmissionClient(f"http://127.0.0.1:{cluster.dash}",
                                     headers={"Authorization": f"Bearer {cluster.token}"})
        job = None

        def submitted() -> bool:  # the head's job agent may still be starting ("try again later")
            nonlocal job
            try:
                job = client.submit_job(
                    entrypoint=f"python jobs/score.py drum_roles --input {manifest_path} --output {out} "
                               "--set fusion.alpha=1.0",
                    runtime_env={"working_dir": str(REPO), "excludes": [
                        ".venv", "runs", "models", ".cache", "data", ".*_cache", "*.egg-info"]},
                )
            except RuntimeError as exc:
                if "try again later" not in str(exc):
                    raise
            return job is not None

        cluster._wait(submitted, "job agent")
        deadline = time.time() + 240
        while not (status := client.get_job_status(job)).is_terminal() and time.time() < deadline:
            time.sleep(1)
        logs = client.get_job_logs(job)
        assert status == JobStatus.SUCCEEDED, logs[-3000:]
        assert cluster.alive_nodes() == 2
    assert "rows in 24 = scored 24 + errored 0" in logs
    summary = json.loads((out / "summary.json").read_text())
    assert summary["rows_in"] == 24 == summary["rows_ok"]
    assert (out / "predictions.parquet").is_file() and (out / "role_pools.json").is_file()
