"""Corpora in the public layouts as they come, built here and never by a task's own generator.

- DCASE Task 2 (2020-2025): dev and eval naming, attribute CSVs, unlabelled eval clips, the
  evaluator's ground-truth CSVs, READMEs beside the clips.
- AI Hub 119 calls: ``TL_*`` JSON labels and ``TS_*`` WAVs, with other JSON files beside them,
  malformed JSON, odd ``utterances``, labels without audio and audio without labels.
- Sample packs: role folders of one-shots in formats libsndfile rejects (M4A/AAC, Ogg inside
  RIFF), READMEs, macOS resource forks, near-silent files.

The audio is plain signal synthesis (tones, noise, envelopes), so nothing here shares code or
assumptions with rayscore's generators.
"""

from __future__ import annotations

import io
import json
import struct
from pathlib import Path

import numpy as np
import soundfile as sf

SR = 16000


def _rng(seed: int) -> np.random.Generator:
    return np.random.default_rng(seed)


def write_wav(path: Path, y: np.ndarray, sr: int = SR, subtype: str = "PCM_16") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    sf.write(path, np.clip(y, -1, 1).astype(np.float32), sr, subtype=subtype)
    return path


# ----------------------------------------------------------------------------------- drum hits

def drum_hit(kind: str, seed: int = 0, sr: int = 44100) -> np.ndarray:
    """A textbook one-shot: kick, snare, hat or tom (plain synthesis)."""
    r = _rng(seed)
    n = int(sr * (0.6 if kind in ("kick", "tom") else 0.35))
    t = np.arange(n) / sr
    if kind == "kick":
        f = 50 + 90 * np.exp(-t / 0.03)
        y = np.sin(2 * np.pi * np.cumsum(f) / sr) * np.exp(-t / 0.18)
    elif kind == "snare":
        y = 0.6 * r.standard_normal(n) * np.exp(-t / 0.08) + 0.4 * np.sin(2 * np.pi * 190 * t) * np.exp(-t / 0.05)
    elif kind == "hat":
        noise = np.diff(r.standard_normal(n + 1))  # first difference: energy at the top
        y = 0.5 * noise * np.exp(-t / 0.03)
    else:  # tom
        f = 110 + 40 * np.exp(-t / 0.05)
        y = np.sin(2 * np.pi * np.cumsum(f) / sr) * np.exp(-t / 0.25)
    y = y * (0.5 + 0.4 * r.random())
    return (y / np.max(np.abs(y)) * 0.8).astype(np.float32)


def write_m4a(path: Path, y: np.ndarray, sr: int = 44100) -> Path:
    """AAC in an MP4 container (what phones and many sample stores hand out); libsndfile cannot read it."""
    import av

    path.parent.mkdir(parents=True, exist_ok=True)
    with av.open(str(path), "w", format="ipod") as container:
        stream = container.add_stream("aac", rate=sr, layout="mono")
        frame = av.AudioFrame.from_ndarray(y.astype(np.float32)[None, :], format="fltp", layout="mono")
        frame.sample_rate = sr
        for packet in stream.encode(frame):
            container.mux(packet)
        for packet in stream.encode(None):
            container.mux(packet)
    return path


def write_ogg_in_riff(path: Path, y: np.ndarray, sr: int = 44100) -> Path:
    """A RIFF/WAVE file whose data chunk is an Ogg Vorbis stream (format tag 0x674F, the old
    ``vorbis.acm`` "mode 1" files of older sample packs). libsndfile rejects the fmt chunk."""
    buf = io.BytesIO()
    sf.write(buf, y, sr, format="OGG", subtype="VORBIS")
    ogg = buf.getvalue()
    fmt = struct.pack("<HHIIHHH", 0x674F, 1, sr, 16000, 1, 16, 0)
    body = (b"WAVE" + b"fmt " + struct.pack("<I", len(fmt)) + fmt + b"data" + struct.pack("<I", len(ogg)) + ogg
            + (b"\0" if len(ogg) % 2 else b""))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"RIFF" + struct.pack("<I", len(body)) + body)
    return path


def sample_pack(root: Path, per_role: int = 3, seed: int = 0) -> dict[str, str]:
    """A sample pack as downloaded: role folders, several formats, and the clutter around them.

    Returns relative path -> what must become of it ('ok', 'skipped', or a substring of the error).
    """
    expect: dict[str, str] = {}
    folders = {"kick": "Kicks", "snare": "Snares", "hat": "HiHats", "tom": "Toms"}
    for i, (kind, folder) in enumerate(folders.items()):
        for j in range(per_role):
            rel = f"{folder}/{kind}_{j:02d}.wav"
            write_wav(root / rel, drum_hit(kind, seed * 100 + i * 10 + j, 44100), 44100)
            expect[rel] = "ok"
    write_m4a(root / "Kicks/kick_phone.m4a", drum_hit("kick", seed + 71))
    expect["Kicks/kick_phone.m4a"] = "ok"
    write_ogg_in_riff(root / "Snares/snare_old_pack.wav", drum_hit("snare", seed + 72))
    expect["Snares/snare_old_pack.wav"] = "ok"
    dither = _rng(seed + 3).integers(-1, 2, 22050) / 32768.0  # 1-LSB dither: -90 dBFS
    write_wav(root / "HiHats/hat_dither.wav", dither, 44100)
    expect["HiHats/hat_dither.wav"] = "silent"
    hum = 10 ** (-90 / 20) * np.sin(2 * np.pi * 50 * np.arange(22050) / 44100)
    write_wav(root / "Toms/tom_hum.wav", hum, 44100, subtype="FLOAT")
    expect["Toms/tom_hum.wav"] = "silent"
    (root / "README.txt").write_text("Royalty-free one-shots. Enjoy!\n")
    expect["README.txt"] = "skipped"
    (root / "__MACOSX" / "Kicks").mkdir(parents=True)
    (root / "__MACOSX" / "Kicks" / "._kick_00.wav").write_bytes(b"\x00\x05\x16\x07" + b"\0" * 60)
    expect["__MACOSX/"] = "skipped"
    return expect


# ----------------------------------------------------------------------------------- AI Hub calls

_CALLS = {  # level -> transcripts (the facts decide the level)
    "상": ["아버지가 쓰러지셨는데 숨을 안 쉬세요 빨리 와주세요", "불이 번지고 있어요 안에 사람이 갇혀 있어요",
          "교통사고가 났는데 운전자가 피를 많이 흘려요"],
    "중": ["계단에서 넘어져서 발목이 부은 것 같아요", "아이가 열이 삼십팔 도인데 병원에 가야 할까요",
          "차 사고가 났는데 다친 사람은 없고 차가 도로를 막고 있어요"],
    "하": ["문이 잠겨서 못 들어가고 있어요", "어제부터 배가 조금 아픈데 어느 병원으로 가야 하나요",
          "불은 다 꺼졌고 연기 냄새만 조금 나요"],
}


def call_audio(level: str, seed: int, seconds: float = 2.5) -> np.ndarray:
    """A voiced, syllable-modulated tone: speech-like energy without any speech synthesis."""
    r = _rng(seed)
    t = np.arange(int(SR * seconds)) / SR
    f0 = {"하": 140, "중": 170, "상": 220}[level] * (1 + 0.05 * r.standard_normal())
    voice = sum(np.sin(2 * np.pi * f0 * h * t) / h for h in range(1, 6))
    syllables = 0.5 + 0.5 * np.sin(2 * np.pi * (3 + r.random()) * t)
    y = voice * syllables * (0.15 if level == "하" else 0.3) + 0.01 * r.standard_normal(len(t))
    return (y / np.max(np.abs(y)) * 0.6).astype(np.float32)


def _write_call(root: Path, folder: str, file_id: str, doc: dict, audio: np.ndarray | None) -> None:
    (root / f"TL_{folder}").mkdir(parents=True, exist_ok=True)
    (root / f"TL_{folder}" / f"{file_id}.json").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    if audio is not None:
        write_wav(root / f"TS_{folder}" / f"{file_id}.wav", audio)


def aihub_calls(root: Path, n: int = 12, seed: int = 0, broken: bool = True, prefix: str = "") -> dict[str, str]:
    """The AI Hub 119 layout with ``n`` good calls and (``broken``) every kind of clutter.

    Returns id -> expected outcome ('ok', 'skipped' or a substring of the error reason).
    """
    expect: dict[str, str] = {}
    levels = list(_CALLS)
    for i in range(n):
        level = levels[i % 3]
        folder = ["서울_구급", "광주_구조", "부산_화재"][i % 3]
        file_id = f"{prefix}{folder}_{seed:02d}{i:04d}"
        text = _CALLS[level][(i // 3) % 3]
        doc = {"_id": f"{i:08d}", "file_id": file_id, "audioPath": f"TS_{folder}/{file_id}.wav",
               "urgencyLevel": level, "disasterLarge": folder.split("_")[1],
               "utterances": [{"id": k, "text": w, "speaker": 1} for k, w in enumerate(text.split(" ", 2))]}
        _write_call(root, folder, file_id, doc, call_audio(level, seed * 1000 + i))
        expect[file_id] = "ok"
    if not broken:
        return expect
    (root / "TL_서울_구급" / "kit_info.json").write_text(json.dumps({"kit": 1, "version": "1.2"}))
    expect["TL_서울_구급/kit_info.json"] = "skipped"
    (root / "TL_서울_구급" / "broken.json").write_text("{not json")
    expect["TL_서울_구급/broken.json"] = "unreadable label file"
    _write_call(root, "서울_구급", f"{prefix}bad_utterances", {"file_id": f"{prefix}bad_utterances",
                "urgencyLevel": "중", "utterances": 5}, call_audio("중", 91))
    expect[f"{prefix}bad_utterances"] = "utterances is a int, not a list"
    _write_call(root, "서울_구급", f"{prefix}null_text", {"file_id": f"{prefix}null_text", "urgencyLevel": "상",
                "utterances": [{"text": None}, {"text": "숨을 안 쉬어요"}]}, call_audio("상", 92))
    expect[f"{prefix}null_text"] = "ok"
    _write_call(root, "광주_구조", f"{prefix}no_audio", {"file_id": f"{prefix}no_audio", "urgencyLevel": "하",
                "utterances": [{"text": "문이 잠겼어요"}]}, None)
    expect[f"{prefix}no_audio"] = "no audio file"
    write_wav(root / "TS_광주_구조" / f"{prefix}orphan.wav", call_audio("하", 93))
    expect[f"TS_광주_구조/{prefix}orphan.wav"] = "audio without a label file"
    (root / "TL_광주_구조" / "metadata.csv").write_text("file_id,region\nx,광주\n")
    expect["TL_광주_구조/metadata.csv"] = "skipped"
    return expect


# ----------------------------------------------------------------------------------- DCASE Task 2

def machine_clip(seed: int, anomalous: bool = False, shift: float = 0.0, seconds: float = 2.0) -> np.ndarray:
    """A machine hum (harmonics of a rotation frequency + broadband noise); faults add knocking
    and a frequency wobble. ``shift`` moves the rotation speed and the noise floor (domain shift)."""
    r = _rng(seed)
    t = np.arange(int(SR * seconds)) / SR
    f = 120.0 * (1 + 0.15 * shift) * (1 + 0.01 * r.standard_normal())
    y = sum(np.sin(2 * np.pi * f * h * t + r.random() * 6.28) / h for h in range(1, 5))
    y = y + (0.3 + 0.3 * shift) * r.standard_normal(len(t))
    if anomalous:
        knocks = np.zeros(len(t))
        knocks[r.choice(len(t), size=int(8 * seconds), replace=False)] = 4.0
        y = y + np.convolve(knocks, np.exp(-np.arange(200) / 30.0), mode="same")
        y = y + 0.8 * np.sin(2 * np.pi * 1.8 * f * t)
    return (y / np.max(np.abs(y)) * 0.5).astype(np.float32)


def dcase_dev(root: Path, year: int, machines: tuple[str, ...] = ("fan", "valve"), n_train: int = 6,
              n_test: int = 4, seed: int = 0) -> None:
    """A development set as DCASE ``year`` names it (2020: ``normal_id_00_...``; 2021: source/target
    test folders; 2022+: ``section_00_source_train_normal_0000_<attrs>.wav``; 2024+: attributes_00.csv)."""
    k = seed * 10000
    for m, machine in enumerate(machines):
        base = root / machine
        sections = ["00"] if year >= 2023 else ["00", "01"]
        for section in sections:
            for i in range(n_train):
                domain = "target" if i % 3 == 0 else "source"
                attrs = f"vel_{8 + 2 * (i % 2)}"
                if year == 2020:
                    name, folder = f"normal_id_{section}_{i:08d}.wav", "train"
                else:
                    name, folder = f"section_{section}_{domain}_train_normal_{i:04d}_{attrs}.wav", "train"
                write_wav(base / folder / name, machine_clip(k + m * 1000 + i, shift=float(domain == "target")))
            for i in range(n_test):
                label = "anomaly" if i % 2 else "normal"
                domain = "target" if i % 4 >= 2 else "source"
                if year == 2020:
                    name, folder = f"{label}_id_{section}_{i:08d}.wav", "test"
                elif year == 2021:
                    name, folder = f"section_{section}_{domain}_test_{label}_{i:04d}.wav", f"{domain}_test"
                else:
                    name, folder = f"section_{section}_{domain}_test_{label}_{i:04d}_vel_8.wav", "test"
                clip = machine_clip(k + m * 1000 + 500 + i, anomalous=label == "anomaly", shift=float(domain == "target"))
                write_wav(base / folder / name, clip)
        if year >= 2024:
            rows = ["file_name,d1p,d1v"] + [f"{machine}/train/{p.name},vel,{p.stem.rsplit('_', 1)[-1]}"
                                            for p in sorted((base / "train").glob("*.wav"))]
            (base / "attributes_00.csv").write_text("\n".join(rows) + "\n")
        (base / "README.md").write_text(f"{machine}: development data\n")


def dcase_eval(root: Path, year: int, machines: tuple[str, ...] = ("fan",), n_train: int = 6, n_test: int = 6,
               ground_truth: bool = False, seed: int = 1) -> dict[str, tuple[str, str]]:
    """An evaluation set: labelled normal training clips, unlabelled ``section_XX_NNNN.wav`` test clips,
    and (``ground_truth``) the evaluator's answer CSVs. Returns test clip -> (label, domain)."""
    truth: dict[str, tuple[str, str]] = {}
    k = seed * 10000
    section = "00" if year >= 2023 else "03"
    for m, machine in enumerate(machines):
        base = root / machine
        for i in range(n_train):
            domain = "target" if i % 3 == 0 else "source"
            name = (f"normal_id_{section}_{i:08d}.wav" if year == 2020
                    else f"section_{section}_{domain}_train_normal_{i:04d}_vel_8.wav")
            write_wav(base / "train" / name, machine_clip(k + m * 1000 + i, shift=float(domain == "target")))
        rows_label, rows_domain = [], []
        for i in range(n_test):
            label = "anomaly" if i % 2 else "normal"
            domain = "target" if i % 4 >= 2 else "source"
            name = f"id_{section}_{i:08d}.wav" if year == 2020 else f"section_{section}_{i:04d}.wav"
            clip = machine_clip(k + m * 1000 + 500 + i, anomalous=label == "anomaly", shift=float(domain == "target"))
            write_wav(base / "test" / name, clip)
            truth[f"{machine}/test/{name}"] = (label, domain)
            rows_label.append(f"{name},{int(label == 'anomaly')}")
            rows_domain.append(f"{name},{int(domain == 'target')}")
        if ground_truth:
            for folder, rows in (("ground_truth_data", rows_label), ("ground_truth_domain", rows_domain)):
                (root / folder).mkdir(exist_ok=True)
                (root / folder / f"ground_truth_{machine}_section_{section}_test.csv").write_text("\n".join(rows) + "\n")
    return truth


def package(root: Path, n_normal: int = 6, n_test: int = 4, seed: int = 2) -> None:
    """A customer package (``audio/`` + ``metadata.csv``) with normal clips only for training."""
    lines = ["file,machine_type,section,is_normal,domain,split"]
    for i in range(n_normal):
        rel = f"audio/pump_a_{i:03d}.wav"
        write_wav(root / rel, machine_clip(seed * 100 + i))
        lines.append(f"{rel},pump,a,true,target,train")
    for i in range(n_test):
        rel = f"audio/pump_a_test_{i:03d}.wav"
        write_wav(root / rel, machine_clip(seed * 100 + 50 + i, anomalous=bool(i % 2)))
        lines.append(f"{rel},pump,a,,target,test")
    (root / "metadata.csv").write_text("\n".join(lines) + "\n")
