"""Shared fixtures: a real local Ray, tiny random models saved to disk, generated audio."""

from __future__ import annotations

import io
import json
import socket
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf


@pytest.fixture(scope="session")
def ray_local():
    """One real local Ray instance (2 CPUs, like CI) for the whole test session."""
    import os

    os.environ.setdefault("RAY_DATA_LOG_LEVEL", "WARNING")
    # Serving tests guard one app with a bearer token read from the replicas' environment,
    # which Ray's workers inherit from this process.
    os.environ["RAYSCORE_TEST_SERVE_TOKEN"] = "s3cret-test-token"
    import ray

    if not ray.is_initialized():
        ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    yield ray
    ray.shutdown()


def decaying_sine(freq: float, tau: float, sr: int = 16000, seconds: float = 1.0) -> np.ndarray:
    t = np.arange(int(sr * seconds)) / sr
    return (np.sin(2 * np.pi * freq * t) * np.exp(-t / tau)).astype(np.float32)


def white_noise(sr: int = 16000, seconds: float = 1.0, seed: int = 0) -> np.ndarray:
    return (np.random.default_rng(seed).standard_normal(int(sr * seconds)) * 0.3).astype(np.float32)


@pytest.fixture(scope="session")
def tiny_clap_dir(tmp_path_factory) -> Path:
    """A randomly initialised ClapModel + processor saved like a Hub checkpoint.

    It exercises the real transformers loading path (config, safetensors weights,
    feature extractor, byte-level BPE tokenizer) without any download.
    """
    from tokenizers import Tokenizer, models, pre_tokenizers, trainers
    from transformers import (
        ClapConfig,
        ClapFeatureExtractor,
        ClapModel,
        ClapProcessor,
        RobertaTokenizer,
    )

    out = tmp_path_factory.mktemp("tiny-clap")
    corpus = ["kick drum, bass drum", "snare, clap", "hi-hat, hi hat cymbal", "tom, tom drum",
              "reverb tail, ambient, noise"] * 20
    bpe = Tokenizer(models.BPE())
    bpe.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    bpe.train_from_iterator(corpus, trainers.BpeTrainer(
        vocab_size=400, special_tokens=["<s>", "<pad>", "</s>", "<unk>", "<mask>"],
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(), show_progress=False))
    merges = [tuple(m) for m in json.loads(bpe.to_str())["model"]["merges"]]
    tokenizer = RobertaTokenizer(vocab=bpe.get_vocab(), merges=merges)
    config = ClapConfig(
        text_config=dict(vocab_size=len(tokenizer), hidden_size=32, num_hidden_layers=1,
                         num_attention_heads=2, intermediate_size=37, max_position_embeddings=64,
                         projection_dim=16),
        audio_config=dict(hidden_size=32, patch_embeds_hidden_size=16, depths=[1, 1],
                          num_attention_heads=[2, 2], window_size=8, projection_dim=16),
        projection_dim=16,
    )
    import torch

    torch.manual_seed(0)
    ClapModel(config).save_pretrained(out)
    ClapProcessor(feature_extractor=ClapFeatureExtractor(truncation="rand_trunc"),
                  tokenizer=tokenizer).save_pretrained(out)
    return out


@pytest.fixture(scope="session")
def tiny_ast_dir(tmp_path_factory) -> Path:
    """A randomly initialised Audio Spectrogram Transformer + feature extractor saved like a Hub
    checkpoint (the real AST is loaded the same way, by id or folder)."""
    import torch
    from transformers import ASTConfig, ASTFeatureExtractor, ASTModel

    out = tmp_path_factory.mktemp("tiny-ast")
    torch.manual_seed(0)
    config = ASTConfig(hidden_size=32, num_hidden_layers=1, num_attention_heads=2, intermediate_size=37,
                       max_length=200, num_mel_bins=32, patch_size=16, frequency_stride=16, time_stride=16)
    ASTModel(config).save_pretrained(out)
    ASTFeatureExtractor(num_mel_bins=32, max_length=200).save_pretrained(out)
    return out


@pytest.fixture(scope="session")
def tiny_data2vec_dir(tmp_path_factory) -> Path:
    """A randomly initialised data2vec-audio model + feature extractor (the seed's audio encoder,
    loaded the same way by id or folder)."""
    import torch
    from transformers import Data2VecAudioConfig, Data2VecAudioModel, Wav2Vec2FeatureExtractor

    out = tmp_path_factory.mktemp("tiny-data2vec")
    torch.manual_seed(0)
    config = Data2VecAudioConfig(hidden_size=32, num_hidden_layers=2, num_attention_heads=2, intermediate_size=37,
                                 conv_dim=(16, 16, 16, 16), conv_stride=(5, 4, 4, 4), conv_kernel=(10, 8, 4, 4),
                                 num_conv_pos_embeddings=3, num_conv_pos_embedding_groups=2, conv_pos_kernel_size=5)
    Data2VecAudioModel(config).save_pretrained(out)
    Wav2Vec2FeatureExtractor(feature_size=1, sampling_rate=16000, padding_value=0.0, do_normalize=True,
                             return_attention_mask=True).save_pretrained(out)
    return out


def save_tiny_wordpiece_roberta(out: Path, corpus: list[str], vocab_size: int = 300,
                                max_positions: int = 80) -> Path:
    """A randomly initialised RoBERTa with a WordPiece tokenizer trained here on ``corpus`` (the shape
    of ko-sroberta and klue/roberta-base: BERT-style [CLS] ... [SEP] tokens, a RoBERTa encoder), saved
    like a Hub checkpoint: the real models load the same way, by id or folder."""
    import torch
    from tokenizers import Tokenizer, models, normalizers, pre_tokenizers, processors, trainers
    from transformers import PreTrainedTokenizerFast, RobertaConfig, RobertaModel

    specials = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
    wp = Tokenizer(models.WordPiece(unk_token="[UNK]"))
    wp.normalizer = normalizers.NFC()
    wp.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    wp.train_from_iterator(corpus, trainers.WordPieceTrainer(vocab_size=vocab_size, special_tokens=specials,
                                                             show_progress=False))
    wp.post_processor = processors.TemplateProcessing(
        single="[CLS] $A [SEP]", special_tokens=[("[CLS]", wp.token_to_id("[CLS]")), ("[SEP]", wp.token_to_id("[SEP]"))])
    tokenizer = PreTrainedTokenizerFast(tokenizer_object=wp, pad_token="[PAD]", unk_token="[UNK]",
                                        cls_token="[CLS]", sep_token="[SEP]", mask_token="[MASK]")
    tokenizer.save_pretrained(out)
    torch.manual_seed(0)
    config = RobertaConfig(vocab_size=len(tokenizer), hidden_size=32, num_hidden_layers=1, num_attention_heads=2,
                           intermediate_size=37, max_position_embeddings=max_positions,
                           pad_token_id=tokenizer.pad_token_id)
    RobertaModel(config, add_pooling_layer=False).save_pretrained(out)
    return out


@pytest.fixture(scope="session")
def tiny_korean_roberta_dir(tmp_path_factory) -> Path:
    """The tiny RoBERTa with a tokenizer trained on Korean call transcripts (W1's text encoder)."""
    from rayscore.tasks.urgency.scenarios import CLOSINGS, LOCATIONS, OPENINGS, WAS, WORRIES, phrases

    corpus = [*OPENINGS, *LOCATIONS, *CLOSINGS, *(w for ws in WORRIES.values() for w in ws), *WAS, *phrases()] * 5
    return save_tiny_wordpiece_roberta(tmp_path_factory.mktemp("tiny-ko-roberta"), corpus)


def write_bad_files(folder: Path) -> dict[str, str]:
    """Every kind of broken input the scorer must survive; returns name -> expected outcome.

    'ok' rows must be scored; other values are a substring of the error reason.
    """
    folder.mkdir(parents=True, exist_ok=True)
    sr = 44100
    kick = decaying_sine(55, 0.1, sr, 0.5)
    (folder / "empty.wav").write_bytes(b"")
    sf.write(folder / "full.wav", kick, sr, subtype="PCM_16")
    data = (folder / "full.wav").read_bytes()
    (folder / "full.wav").unlink()
    (folder / "truncated_header.wav").write_bytes(data[:30])  # cut inside the header
    (folder / "truncated_data.wav").write_bytes(data[: len(data) // 3])  # valid prefix
    (folder / "not_audio.wav").write_text("this is a text file, not a WAV\n" * 20)
    sf.write(folder / "zero_length.wav", np.zeros((0, 1), np.float32), sr)
    nan = kick.copy()
    nan[100:200] = np.nan
    sf.write(folder / "nan_samples.wav", nan, sr, subtype="FLOAT")
    sf.write(folder / "silent.wav", np.zeros(sr // 2, np.float32), sr)
    multi = np.stack([decaying_sine(55, 0.1, 96000, 0.5)] * 8, axis=1)
    sf.write(folder / "eight_channels_96k.wav", multi, 96000, subtype="PCM_24")
    sf.write(folder / "click_10ms.wav", white_noise(sr, 0.010), sr, subtype="PCM_16")
    return {
        "empty.wav": "empty file",
        "truncated_header.wav": "cannot decode audio",
        "truncated_data.wav": "ok",
        "not_audio.wav": "cannot decode audio",
        "zero_length.wav": "zero-length",
        "nan_samples.wav": "NaN",
        "silent.wav": "silent",
        "eight_channels_96k.wav": "ok",
        "click_10ms.wav": "ok",
    }


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wav_bytes(y: np.ndarray, sr: int = 16000, fmt: str = "WAV") -> bytes:
    buf = io.BytesIO()
    sf.write(buf, y, sr, format=fmt)
    return buf.getvalue()


@pytest.fixture(scope="session")
def serve_url(ray_local) -> str:
    from ray import serve

    port = free_port()
    serve.start(http_options={"host": "127.0.0.1", "port": port, "request_timeout_s": 180})
    yield f"http://127.0.0.1:{port}"
    serve.shutdown()


_deployed: list[str] = []


def deploy(name: str, prefix: str, args: dict, timeout_s: float = 300) -> None:
    """Deploy an app for this module; ``undeploy`` removes it so the next module has the CPUs. An app
    the test Ray has no CPUs for fails after ``timeout_s``, naming them, instead of hanging."""
    from ray_apps.app import build_app
    from rayscore.serving.launch import run_app

    run_app(build_app(args), name, prefix, timeout_s)
    _deployed.append(name)


def undeploy_all() -> None:
    from ray import serve

    while _deployed:
        serve.delete(_deployed.pop())


@pytest.fixture(scope="module", autouse=True)
def undeploy():
    yield
    undeploy_all()
