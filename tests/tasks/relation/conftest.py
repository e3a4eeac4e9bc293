from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def tiny_klue_roberta_dir(tmp_path_factory) -> Path:
    """A randomly initialised RoBERTa with a WordPiece tokenizer trained here on Korean sentences
    (klue/roberta-base's shape: BERT-style [CLS] ... [SEP] tokens, a RoBERTa encoder), saved like a
    Hub checkpoint: the real model loads the same way, by id or folder."""
    import torch
    from tokenizers import Tokenizer, models, normalizers, pre_tokenizers, processors, trainers
    from transformers import PreTrainedTokenizerFast, RobertaConfig, RobertaModel

    from tests.tasks.relation.layout import FACTS, ORGS, PEOPLE, PLACES

    out = tmp_path_factory.mktemp("tiny-klue-roberta")
    corpus = [t.format(s=s, o=o) for _, _, _, t in FACTS for s in PEOPLE[:6] for o in ORGS[:4] + PLACES[:2]]
    specials = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
    wp = Tokenizer(models.WordPiece(unk_token="[UNK]"))
    wp.normalizer = normalizers.NFC()
    wp.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    wp.train_from_iterator(corpus, trainers.WordPieceTrainer(vocab_size=400, special_tokens=specials,
                                                             show_progress=False))
    wp.post_processor = processors.TemplateProcessing(
        single="[CLS] $A [SEP]", special_tokens=[("[CLS]", wp.token_to_id("[CLS]")), ("[SEP]", wp.token_to_id("[SEP]"))])
    tokenizer = PreTrainedTokenizerFast(tokenizer_object=wp, pad_token="[PAD]", unk_token="[UNK]",
                                        cls_token="[CLS]", sep_token="[SEP]", mask_token="[MASK]")
    tokenizer.save_pretrained(out)
    torch.manual_seed(0)
    config = RobertaConfig(vocab_size=len(tokenizer), hidden_size=32, num_hidden_layers=1, num_attention_heads=2,
                           intermediate_size=37, max_position_embeddings=160, pad_token_id=tokenizer.pad_token_id)
    RobertaModel(config, add_pooling_layer=False).save_pretrained(out)
    return out
