from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import save_tiny_wordpiece_roberta


@pytest.fixture(scope="session")
def tiny_klue_roberta_dir(tmp_path_factory) -> Path:
    """The tiny RoBERTa with a tokenizer trained here on the tests' Korean relation sentences
    (klue/roberta-base's shape; positions for 128 tokens)."""
    from tests.tasks.relation.layout import FACTS, ORGS, PEOPLE, PLACES

    corpus = [t.format(s=s, o=o) for _, _, _, t in FACTS for s in PEOPLE[:6] for o in ORGS[:4] + PLACES[:2]]
    return save_tiny_wordpiece_roberta(tmp_path_factory.mktemp("tiny-klue-roberta"), corpus, vocab_size=400,
                                       max_positions=160)
