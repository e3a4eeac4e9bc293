"""The drum-role route over real HTTP on 127.0.0.1: answers, model choice, every error path."""

from __future__ import annotations

import concurrent.futures as cf

import numpy as np
import pytest
import requests

from rayscore.pipeline.score import score
from rayscore.tasks import get_task
from tests.conftest import decaying_sine, white_noise
from tests.serving.conftest import TEST_TOKEN, TEST_TOKEN_ENV, deploy, wav_bytes

pytestmark = pytest.mark.slow
ROUTE = "/v1/drum_roles/predict"


@pytest.fixture(scope="module")
def api(serve_url, registry) -> str:
    deploy("routes", "/routes", {"registry": registry, "max_upload_mb": 0.5, "auth_token_env": None,
                                 "tasks": {"drum_roles": {"max_batch_size": 8}}})
    return f"{serve_url}/routes"


def post(api: str, content: bytes, name: str = "hit.wav", ctype: str = "audio/wav", **kw) -> requests.Response:
    return requests.post(f"{api}{ROUTE}", files={"file": (name, content, ctype)}, timeout=60, **kw)


def test_predicts_a_role_with_scores_and_features(api, kick):
    r = post(api, kick, data={"id": "kick-1"})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["id"] == "kick-1" and body["model"] == "drum_roles:1"  # production
    assert body["role"] == "CORE"
    assert set(body["scores"]) == {"CORE", "ACCENT", "MOTION", "FILL", "TEXTURE"}
    assert sum(body["scores"].values()) == pytest.approx(1.0)
    assert body["features"]["low_ratio"] > 0.9 and isinstance(body["guards"], list)


def test_http_and_batch_scoring_agree(api, tmp_path):
    """One preprocessing path: the route returns what the Ray Data job writes."""
    files = {"noise.flac": white_noise(44100, 0.4), "kick.wav": decaying_sine(55, 0.1, 44100, 0.6)}
    for name, y in files.items():
        (tmp_path / "in").mkdir(exist_ok=True)
        (tmp_path / "in" / name).write_bytes(wav_bytes(y, 44100, "FLAC" if name.endswith("flac") else "WAV"))
    task = get_task("drum_roles")
    batch = score(task, task.load_config(overrides=["fusion.alpha=1.0"]), tmp_path / "in", tmp_path / "out")
    for row in batch.predictions.to_dict("records"):
        body = post(api, (tmp_path / "in" / row["id"]).read_bytes(), name=row["id"]).json()
        assert body["role"] == row["role"]
        for r in body["scores"]:
            assert body["scores"][r] == pytest.approx(row[f"p_{r}"], rel=1e-9)
        assert body["features"]["decay_time"] == pytest.approx(row["decay_time"], rel=1e-9)


def test_model_version_per_request(api, kick):
    assert post(api, kick).json()["model"] == "drum_roles:1"
    by_query = post(api, kick, params={"model": "2"}).json()
    by_header = post(api, kick, headers={"X-Model": "drum_roles:2"}).json()
    assert by_query["model"] == by_header["model"] == "drum_roles:2"
    assert by_query["role"] != "CORE"  # v2's prior against CORE changes the answer
    assert post(api, kick, params={"model": "latest"}).json()["model"] == "drum_roles:2"


def test_mixed_versions_under_concurrency(api, kick):
    with cf.ThreadPoolExecutor(16) as pool:
        futures = [pool.submit(post, api, kick, params={"model": str(1 + i % 2)}) for i in range(40)]
        bodies = [f.result().json() for f in futures]
    for i, b in enumerate(bodies):
        assert b["model"] == f"drum_roles:{1 + i % 2}"
        assert (b["role"] == "CORE") == (i % 2 == 0)


@pytest.mark.parametrize(
    "content,name,ctype,status,detail",
    [
        (b"GIF89a....", "cat.gif", "image/gif", 415, "expected an audio upload"),
        (b"this is not audio" * 10, "fake.wav", "audio/wav", 422, "cannot decode audio: Format not recognised"),
        (b"", "empty.wav", "audio/wav", 422, "empty upload"),
        (wav_bytes(np.zeros(8000, np.float32)), "silent.wav", "audio/wav", 422, "silent audio"),
        (b"\0" * 600_000, "big.wav", "audio/wav", 413, "upload too large"),
    ],
)
def test_bad_uploads_get_clear_4xx(api, content, name, ctype, status, detail):
    r = post(api, content, name=name, ctype=ctype)
    assert r.status_code == status, r.text
    assert detail in r.json()["detail"]


def test_unknown_model_is_404_and_missing_file_422(api, kick):
    r = post(api, kick, params={"model": "9"})
    assert r.status_code == 404 and "does not exist" in r.json()["detail"]
    r = post(api, kick, params={"model": "staging"})
    assert r.status_code == 404
    r = requests.post(f"{api}{ROUTE}", data={"id": "x"}, timeout=30)
    assert r.status_code == 422  # FastAPI: the required file field is missing


def test_models_health_and_openapi(api):
    models = requests.get(f"{api}/v1/models", timeout=30).json()["models"]
    assert [m["model"] for m in models] == ["drum_roles:1", "drum_roles:2"]
    assert models[0]["aliases"] == ["production"] and models[0]["default"] is True
    assert models[0]["features_current"] is True and "features_changed" not in models[0]
    assert models[1]["features_current"] is False and models[1]["features_changed"] == ["dsp: version 0 -> 1"]
    health = requests.get(f"{api}/healthz", timeout=30)
    assert health.status_code == 200 and health.json()["tasks"] == {"drum_roles": "ok"}
    spec = requests.get(f"{api}/openapi.json", timeout=30).json()
    op = spec["paths"]["/v1/drum_roles/predict"]["post"]
    assert {"413", "415", "422", "404", "503"} <= set(op["responses"])
    assert "DrumRolePrediction" in spec["components"]["schemas"]
    assert requests.get(f"{api}/docs", timeout=30).status_code == 200


def test_bearer_token_guards_predict(serve_url, registry, kick):
    deploy("secured", "/secured", {"registry": registry, "auth_token_env": TEST_TOKEN_ENV,
                                   "tasks": {"drum_roles": {}}})
    api = f"{serve_url}/secured"
    assert post(api, kick).status_code == 401
    assert post(api, kick, headers={"Authorization": "Bearer wrong"}).status_code == 401
    ok = post(api, kick, headers={"Authorization": f"Bearer {TEST_TOKEN}"})
    assert ok.status_code == 200 and ok.json()["role"] == "CORE"
    assert requests.get(f"{api}/healthz", timeout=30).status_code == 200  # health stays open
