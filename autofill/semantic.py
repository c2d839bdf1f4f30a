"""How near in meaning texts are, from a static word-embedding model shipped inside a wheel.

The model is wordllama's l2_supercat (a 32,000-token vocabulary, 256 dimensions, 16 MB of
weights and its tokenizer, both inside the `wordllama` wheel, MIT). Only its two data files are
read, straight from the installed package folder: nothing is downloaded, and wordllama's own
module, which takes a second to import and configures logging, is never imported. A text's
vector is the mean of its tokens' vectors. The model loads on the first call (about 0.4 s with
numpy), so `autofill --help` and forms with nothing to suggest never pay for it. Similarity
measures topic, not whether a claim settles a question: it orders suggestions for a person and
never raises an answer to be written.
"""

from __future__ import annotations

import importlib.util
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

WEIGHTS = "weights/l2_supercat_256.safetensors"


def available() -> bool:
    """Whether the optional model is installed (`pip install 'autofill[meaning]'`) and not turned
    off with AUTOFILL_MEANING=0 (read on every call: a fill in a long-lived process follows it)."""
    import os

    return os.environ.get("AUTOFILL_MEANING", "1") != "0" and _installed()


@cache
def _installed() -> bool:
    return all(importlib.util.find_spec(name) is not None for name in ("wordllama", "numpy", "tokenizers"))


TOKENIZER = "tokenizers/l2_supercat_tokenizer_config.json"


def embed(texts: list[str]) -> Any:
    """One unit-length row a text: a float32 numpy array of shape (len(texts), 256)."""
    import numpy as np

    matrix, tokenizer = load_model()
    rows = np.zeros((len(texts), matrix.shape[1]), dtype=np.float32)
    # one text (a question, row by row) encodes faster alone than as a batch of one
    encodings = (
        tokenizer.encode_batch(texts, add_special_tokens=False)
        if len(texts) > 1
        else [tokenizer.encode(text, add_special_tokens=False) for text in texts]
    )
    for row, encoding in enumerate(encodings):
        if encoding.ids:
            rows[row] = matrix[encoding.ids].mean(axis=0, dtype=np.float32)
    norms = np.linalg.norm(rows, axis=1, keepdims=True)
    return rows / np.maximum(norms, 1e-12)  # an empty text stays a zero vector, near nothing


@lru_cache(maxsize=4)
def embed_all(texts: tuple[str, ...]) -> Any:
    """embed() of a fixed list, such as a knowledge base's phrasings, computed once a process."""
    return embed(list(texts))


@cache
def load_model() -> tuple[Any, Any]:
    """The token vectors and the tokenizer, read from the installed wordllama package."""
    from safetensors.numpy import load_file
    from tokenizers import Tokenizer

    spec = importlib.util.find_spec("wordllama")  # finds the folder without running the package
    folder = Path(next(iter(spec.submodule_search_locations or ()))) if spec else None
    if folder is None or not (folder / WEIGHTS).is_file():
        raise RuntimeError("the wordllama package and its weights are missing; reinstall autofill")
    tokenizer = Tokenizer.from_file(str(folder / TOKENIZER))
    tokenizer.no_padding()
    tokenizer.no_truncation()
    return load_file(str(folder / WEIGHTS))["embedding.weight"], tokenizer
