"""Where the partitions of a large run are computed: in this process one after the other
(``local``, the default: memory bounded by the largest partition), or on a
``dask.distributed`` cluster (``dask``: a ``LocalCluster`` of this machine's cores by
default, any running scheduler with ``scheduler``). Each partition is computed by the same
function either way, so both give the same figures; Dask is an optional extra
(``pip install 'qet-geo[dask]'``), imported only here and only for ``dask``."""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from .errors import ParameterError, QetGeoError
from .i18n import tr

ENGINES = ("local", "dask")
#: A partition that fails (an error in it, or its worker killed) is tried again this many
#: times before the run stops.
RETRIES = 2
MAX_WORKERS = 1024
_SCHEDULER = re.compile(
    r"(?:(?:tcp|tls)://)?(?P<host>[A-Za-z0-9_.\-]+|\[[0-9A-Fa-f:.]+\]):(?P<port>\d{1,5})"
)


class EngineError(QetGeoError):
    """The engine could not compute a partition (its workers lost each time)."""


@dataclass(frozen=True)
class Engine:
    """``name`` ("local" or "dask"), ``scheduler`` (the address of a running Dask scheduler,
    ``tcp://HOST:8786``; None: a LocalCluster), ``workers`` (the LocalCluster's worker
    processes; None: one per core)."""

    name: str = "local"
    scheduler: str | None = None
    workers: int | None = None

    @classmethod
    def of(cls, name=None, scheduler=None, workers=None, names: dict | None = None) -> Engine:
        """The engine as the command line, the configuration or a script gives it, checked;
        ``names``: parameter → the name the user knows it by (``{"workers": "--workers"}``)."""
        names = {"engine": "engine", "scheduler": "scheduler", "workers": "workers",
                 **(names or {})}  # fmt: skip
        name = "dask" if name is None and (scheduler or workers) else (name or "local")
        if name not in ENGINES:
            raise ParameterError(tr("{name} {value}: expected {expected}", name=names["engine"],
                                    value=name, expected=" or ".join(ENGINES)))  # fmt: skip
        if name == "local" and (scheduler or workers):
            raise ParameterError(
                tr("{name} is for the dask engine: add {engine} dask",
                   name=names["scheduler" if scheduler else "workers"], engine=names["engine"])
            )  # fmt: skip
        if scheduler is not None:
            scheduler = str(scheduler).strip()
            match = _SCHEDULER.fullmatch(scheduler)
            if not match or not 1 <= int(match.group("port")) <= 65535:
                raise ParameterError(
                    tr("{name} {value}: expected {expected}", name=names["scheduler"],
                       value=scheduler, expected=tr("a scheduler address, tcp://HOST:8786"))
                )  # fmt: skip
        if workers is not None:
            if (
                isinstance(workers, bool)
                or not isinstance(workers, int)
                and not (isinstance(workers, str) and workers.strip().isdigit())
            ):
                raise ParameterError(tr("{name} {value}: expected {expected}",
                                        name=names["workers"], value=workers,
                                        expected=tr("a whole number from 1 to {n}", n=MAX_WORKERS)))  # fmt: skip
            workers = int(workers)
            if not 1 <= workers <= MAX_WORKERS:
                raise ParameterError(tr("{name} {value}: expected {expected}",
                                        name=names["workers"], value=workers,
                                        expected=tr("a whole number from 1 to {n}", n=MAX_WORKERS)))  # fmt: skip
            if scheduler:
                raise ParameterError(
                    tr("{a} and {b} exclude each other: the workers of a running scheduler "
                       "are its own", a=names["scheduler"], b=names["workers"])
                )  # fmt: skip
        return cls(name, scheduler, workers)

    def describe(self) -> str:
        if self.name == "local":
            return tr("local engine (this process)")
        if self.scheduler:
            return tr("Dask, scheduler {address}", address=self.scheduler)
        return tr("Dask, local cluster of {n} worker(s)", n=self.workers or os.cpu_count() or 1)

    def map(self, func: Callable, items: Sequence, progress: Callable | None = None) -> list:
        """``[func(item) for item in items]``, in order; ``progress(done, total)`` after each."""
        if self.name == "local":
            out = []
            for i, item in enumerate(items):
                out.append(func(item))
                if progress is not None:
                    progress(i + 1, len(items))
            return out
        return _dask_map(self, func, items, progress)


def _dask_map(engine: Engine, func, items, progress) -> list:
    try:
        from distributed import Client, KilledWorker, LocalCluster, as_completed
    except ImportError as exc:
        raise ParameterError(
            tr("the dask engine needs dask.distributed: pip install 'qet-geo[dask]'")
        ) from exc
    cluster = scratch = None
    try:
        if engine.scheduler:
            client = Client(engine.scheduler, timeout="20s")
        else:
            scratch = tempfile.mkdtemp(prefix="qet-geo-dask-")  # removed after the run
            cluster = LocalCluster(
                n_workers=engine.workers or os.cpu_count() or 1, threads_per_worker=1,
                processes=True, dashboard_address=None, silence_logs=40,
                local_directory=scratch,
            )  # fmt: skip
            client = Client(cluster)
    except (OSError, TimeoutError, ValueError, TypeError) as exc:
        if cluster is not None:
            cluster.close()
        if scratch is not None:
            shutil.rmtree(scratch, ignore_errors=True)
        raise ParameterError(
            tr("no Dask scheduler answers at {address}: {error}",
               address=engine.scheduler or "LocalCluster", error=exc)
        ) from exc  # fmt: skip
    try:
        futures = client.map(func, list(items), retries=RETRIES, pure=False)
        for done, _ in enumerate(as_completed(futures), start=1):
            if progress is not None:
                progress(done, len(futures))
        try:
            return client.gather(futures)
        except KilledWorker as exc:  # the partition's worker died again and again
            raise EngineError(
                tr("a partition could not be computed: its Dask workers died each time it "
                   "ran (memory? smaller partitions: --tile): {error}", error=exc)
            ) from exc  # fmt: skip
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
        if scratch is not None:
            shutil.rmtree(scratch, ignore_errors=True)
