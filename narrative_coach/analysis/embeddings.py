"""Word choice as evidence for a part: the average of a sentence's word-piece scores.

Hand-made word lists miss most of the ways a speaker says "this is who we are" or "this is what
we must do". The word-piece embeddings of all-MiniLM-L6-v2 (Apache-2.0, sentence-transformers)
place words of similar use near each other, so a linear model over a sentence's *mean* token
embedding generalises to words the lists and the labeled corpus never saw. Because the model is
linear and the pooling is a mean, its weights fold into one small score per word piece and part
(`data/word_scores.json`, written by `benchmarks/train_parts_model.py` from the full embedding
table): at run time a sentence's word-choice features are just the mean of its word pieces' scores,
with no neural network, no torch and no download. The score table is inspectable: `top_words()`
lists the words of a sentence that pulled it toward a part (shown in the sentence's cues).

Columns: `word_<part>` (the sentence's own mean) and `rel_word_<part>` (the same score minus the
speech's average, like the relative hand features).
"""

from __future__ import annotations

import base64
import json
from functools import lru_cache
from importlib import resources

import numpy as np

VOCAB_FILE = "wordpiece_vocab.txt"  # all-MiniLM-L6-v2's (= bert-base-uncased) word-piece vocabulary
SCORES_FILE = "word_scores.json"
PARTS = ("self", "us", "now", "other")
WORD_FEATURES = [f"word_{p}" for p in PARTS] + [f"rel_word_{p}" for p in PARTS]
_SPECIAL = frozenset({"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"})
# Words that can tip the score but mean nothing to a speaker when shown as "word choice".
_NOT_SHOWN = frozenset("the a an of to and or but in on at for by with from as that this it is".split())


@lru_cache(maxsize=1)
def vocabulary() -> tuple[str, ...]:
    raw = resources.files("narrative_coach.analysis").joinpath("data", VOCAB_FILE).read_text(encoding="utf-8")
    return tuple(w for w in raw.split("\n") if w)


@lru_cache(maxsize=1)
def _tokenizer():  # -> tokenizers.BertWordPieceTokenizer
    # Imported here: `tokenizers` (a faster-whisper dependency) costs ~30 ms to import.
    from tokenizers import BertWordPieceTokenizer

    vocab = {w: i for i, w in enumerate(vocabulary())}
    return BertWordPieceTokenizer(vocab, lowercase=True)


def token_ids(sentences: list[str]) -> list[list[int]]:
    """Word-piece ids of each sentence, without [CLS]/[SEP] (the same ids the embedding model uses)."""
    # One by one, not encode_batch: the batch call starts a Rust thread pool (the analyzer's budget
    # is one core) and makes a later fork print a warning; sequential is as fast for a speech.
    tok = _tokenizer()
    return [tok.encode(s, add_special_tokens=False).ids for s in sentences]


def mean_rows(ids: list[list[int]], table: np.ndarray) -> np.ndarray:
    """Per sentence, the mean of `table`'s rows for its word pieces (zeros for a sentence with none)."""
    out = np.zeros((len(ids), table.shape[1]), dtype=np.float64)
    for i, row in enumerate(ids):
        if row:
            out[i] = table[row].mean(axis=0)
    return out


@lru_cache(maxsize=1)
def load_word_scores() -> np.ndarray:
    """(vocabulary, 8) float32: per word piece, its score toward each part (absolute, then relative)."""
    d = json.loads(resources.files("narrative_coach.analysis").joinpath("data", SCORES_FILE).read_text(encoding="utf-8"))
    if d.get("columns") != WORD_FEATURES:
        raise RuntimeError("word score table has other columns: retrain it with benchmarks/train_parts_model.py")
    arr = np.frombuffer(base64.b64decode(d["data"]), dtype="<f2").reshape(d["shape"]).astype(np.float32)
    if arr.shape[0] != len(vocabulary()):
        raise RuntimeError("word score table does not match the word-piece vocabulary: retrain it")
    return arr


def encode_word_scores(table: np.ndarray) -> dict:
    """The JSON object `load_word_scores()` reads (float16, base64: ~650 KB of text for 30,522 pieces)."""
    arr = np.ascontiguousarray(table, dtype="<f2")
    return {
        "version": "word-scores-1",
        "source": "mean-pooled input embeddings of sentence-transformers/all-MiniLM-L6-v2 (Apache-2.0), folded into the parts model",
        "columns": WORD_FEATURES,
        "shape": list(arr.shape),
        "data": base64.b64encode(arr.tobytes()).decode("ascii"),
    }


def word_features(ids: list[list[int]], table: np.ndarray | None = None) -> np.ndarray:
    """Rows of WORD_FEATURES for a speech's sentences (the relative half needs the whole speech)."""
    table = load_word_scores() if table is None else table
    M = mean_rows(ids, table)
    k = len(PARTS)
    if len(M):
        M[:, k:] -= M[:, k:].mean(axis=0)
    return M


def _pull(table: np.ndarray) -> np.ndarray:
    """(vocabulary, parts): how much a piece pulls toward each part rather than the others."""
    k = len(PARTS)
    return (table[:, :k] - table[:, :k].mean(axis=1, keepdims=True)) + (table[:, k:] - table[:, k:].mean(axis=1, keepdims=True))


@lru_cache(maxsize=1)
def _default_pull() -> np.ndarray:
    return _pull(load_word_scores())


def top_words(ids: list[int], part: str, limit: int = 3, table: np.ndarray | None = None) -> list[str]:
    """Whole words of a sentence whose pieces pull it most toward `part` (for the user-facing cues)."""
    vocab = vocabulary()
    pull = (_pull(table) if table is not None else _default_pull())[:, PARTS.index(part)]
    words: list[tuple[float, str]] = []
    cur, cur_score = "", 0.0
    for i in list(ids) + [-1]:
        piece = vocab[i] if i >= 0 else ""
        if i >= 0 and piece.startswith("##") and cur:
            cur += piece[2:]
            cur_score = max(cur_score, float(pull[i]))
            continue
        if cur and cur.isalpha() and cur not in _SPECIAL and cur not in _NOT_SHOWN:
            words.append((cur_score, cur))
        cur, cur_score = (piece, float(pull[i])) if i >= 0 else ("", 0.0)
    seen: dict[str, float] = {}
    for s, w in words:
        if s > 0 and s > seen.get(w, 0.0):
            seen[w] = s
    return [w for w, _ in sorted(seen.items(), key=lambda kv: -kv[1])[:limit]]
