"""The parameters of profile detection, checked in one place.

:func:`check_parameters` is what :class:`~qet_geo.profiles.ProfileModel` runs first when it
is fitted (:meth:`~qet_geo.profiles.ProfileModel.checked_parameters`: ``__init__`` only
stores the parameters, as in scikit-learn), and :func:`check_against_answers` what it runs
next, once the answers are read, before any work: the
command line, a run's configuration and the QGIS algorithm get the same rule and the same
words. A bad value raises :class:`ProfileParameterError` (a ``ParameterError`` and a
``ValueError``) naming the parameter, the value and what is expected; each caller spells the
parameter its own way with :meth:`ProfileParameterError.text` (``--min-share`` on the
command line, ``[profiles] target_count`` in a configuration, the algorithm's label in
QGIS).
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass

from ..errors import ParameterError, Problem
from ..i18n import Message, tr
from ..parameters import choice, choice_problems
from .methods import METHODS

#: the command line's option of each parameter
CLI_OPTIONS = {
    "min_share": "--min-share",
    "max_share": "--max-share",
    "min_count": "--min-count",
    "target_count": "--target-count",
    "tie_tolerance": "--tie-tolerance",
    "k": "--k",
    "k_range": "--k-min/--k-max",
    "n_init": "--n-init",
    "seed": "--seed",
    "n_boot": "--bootstrap",
}
#: the key of each parameter in a run's configuration (``[profiles]``)
CONFIG_KEYS = {"n_boot": "bootstrap"}
#: the largest seed (the random generators of numpy and of ``kmodes`` take 32 bits)
MAX_SEED = 2**32 - 1
#: the built-in weights of NEAR's distance (:data:`~qet_geo.profiles.encoding.WEIGHT_PRESETS`)
WEIGHT_PRESET_NAMES = ("current", "2023")
#: NEAR's rules (Ademe/NEAR method): no profile under 11 % of the respondents, stop when
#: one holds 95 %, at least 3 profiles
DEFAULT_MIN_SHARE = 0.11
DEFAULT_MAX_SHARE = 0.95
DEFAULT_MIN_COUNT = 3
#: the k tried by the other methods when k is chosen ("auto")
DEFAULT_K_RANGE = (2, 10)
#: the bootstrap resamples of the stability of the profiles
DEFAULT_BOOTSTRAP = 100
#: the relative tolerance under which NEAR's distances are tied (:mod:`~qet_geo.profiles.near`)
DEFAULT_TIE_TOLERANCE = 1e-9
#: how answers are encoded before the distances: every encoding of some method (which
#: method takes which: ``ENCODINGS_OF`` in :mod:`~qet_geo.profiles.model`)
ENCODING_CHOICES = ("weights", "standardised", "onehot", "footprints", "codes", "codes+footprints")
#: how the fitted answers get their profile: the one they were fitted in (lookup), or the
#: nearest centroid (NEAR's own assignment)
ASSIGN_MODES = ("lookup", "nearest")


class ProfileParameterError(ParameterError, ValueError):
    """A profile parameter cannot be used: ``parameter`` (the library's name), ``value``
    and ``expected`` (already in the user's language)."""

    def __init__(self, parameter: str, value, expected: str, reason: str | None = None):
        self.parameter = parameter
        self.value = value
        self.expected = expected
        self.reason = reason  # why the value cannot be used, when "expected" is not enough
        super().__init__(self.text())

    def text(self, option: str | None = None) -> str:
        """The message with the parameter spelled ``option`` (default: its library name)."""
        if self.reason:
            return tr(
                "{option}: value {value}: {reason}; expected {expected}",
                option=option or self.parameter,
                value=_show(self.value),
                reason=self.reason,
                expected=self.expected,
            )
        return tr(
            "{option}: value {value}: expected {expected}",
            option=option or self.parameter,
            value=_show(self.value),
            expected=self.expected,
        )

    def for_cli(self) -> str:
        return self.text(CLI_OPTIONS.get(self.parameter))

    @property
    def config_key(self) -> str:
        return CONFIG_KEYS.get(self.parameter, self.parameter)


def _show(value) -> str:
    if isinstance(value, (tuple, list)):
        return "(" + ", ".join(_show(v) for v in value) + ")"
    text = repr(value) if isinstance(value, str) else str(value)
    return text if len(text) <= 40 else text[:39] + "…"


def _number(value) -> float | None:
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        return None
    value = float(value)
    return value if math.isfinite(value) else None


def _whole(value) -> int | None:
    number = _number(value)
    if number is None or number != int(number):
        return None
    return int(number)


def whole(parameter: str, value, low: int, high: int | None = None, expected: str | None = None):
    """``value`` as an int from ``low`` (to ``high``), or the error."""
    number = _whole(value)
    if number is None or number < low or (high is not None and number > high):
        if expected is None:
            expected = (
                tr("a whole number from {low}", low=low)
                if high is None
                else tr("a whole number from {low} to {high}", low=low, high=high)
            )
        raise ProfileParameterError(parameter, value, expected)
    return number


def share(parameter: str, value, *, include_one: bool) -> float:
    """A share: a number with 0 < value < 1 (≤ 1 with ``include_one``), not NaN."""
    number = _number(value)
    if number is None or not (0 < number < 1 or (include_one and number == 1)):
        expected = (
            tr("a share between 0 and 1 (0 excluded; 0.95 = 95 %)")
            if include_one
            else tr("a share between 0 and 1, both excluded (0.11 = 11 %)")
        )
        raise ProfileParameterError(parameter, value, expected)
    return number


def check_parameters(
    *,
    min_share=DEFAULT_MIN_SHARE,
    max_share=DEFAULT_MAX_SHARE,
    min_count=DEFAULT_MIN_COUNT,
    target_count=None,
    tie_tolerance=1e-9,
    k=None,
    k_range=DEFAULT_K_RANGE,
    n_init=None,
    seed=0,
    n_boot=None,
    method=None,
) -> dict:
    """Check the parameters of a profile model (and of its bootstrap, ``n_boot``) and
    return them normalised; the first bad one raises :class:`ProfileParameterError`.
    With ``method``, also what goes with it: no ``k`` with "near" (NEAR stops by its own
    rules; ``target_count`` sets the number of profiles)."""
    if method == "near" and k is not None:  # the rule of a run's configuration
        raise ProfileParameterError(
            "k",
            k,
            tr("target_count with near"),
            reason=tr("k is for the other methods; near stops by its own rules"),
        )
    out = {
        "min_share": share("min_share", min_share, include_one=False),
        "max_share": share("max_share", max_share, include_one=True),
        "min_count": whole("min_count", min_count, 1),
        "target_count": None if target_count is None else whole("target_count", target_count, 2),
    }
    if out["max_share"] <= out["min_share"]:  # NEAR would stop before it merges anything
        raise ProfileParameterError(
            "max_share",
            max_share,
            tr("a share above the smallest share ({low}), up to 1", low=out["min_share"]),
        )
    tolerance = _number(tie_tolerance)
    if tolerance is None or not 0 <= tolerance < 1:
        raise ProfileParameterError(
            "tie_tolerance", tie_tolerance, tr("a number from 0 to under 1 (1e-9 by default)")
        )
    out["tie_tolerance"] = tolerance
    if k is None or k == "auto":
        out["k"] = k
    else:
        out["k"] = whole("k", k, 2, expected=tr('a whole number from 2, or "auto"'))
    pair = tuple(k_range) if isinstance(k_range, (tuple, list)) else None
    low = None if pair is None or len(pair) != 2 else _whole(pair[0])
    high = None if pair is None or len(pair) != 2 else _whole(pair[1])
    if low is None or high is None or low < 2 or high < low:
        raise ProfileParameterError(
            "k_range",
            k_range,
            tr(
                "two whole numbers, the smallest and the largest k tried, with 2 ≤ smallest ≤ largest"
            ),
        )
    out["k_range"] = (low, high)
    out["n_init"] = None if n_init is None else whole("n_init", n_init, 1)
    out["seed"] = whole("seed", seed, 0, MAX_SEED)
    out["n_boot"] = None if n_boot is None else whole("n_boot", n_boot, 0)
    return out


def effective_seed(seed: int, random_state=None) -> int:
    """The seed a fit uses. ``seed`` is the name a run's configuration (``[profiles]
    seed``), the command line (``--seed``) and QGIS (``SEED``) give; ``random_state`` is
    scikit-learn's name for the same thing and, when given, takes its place: a whole number
    from 0 to 2³² − 1 is the seed itself (``random_state=5`` fits as ``seed=5``), a numpy
    ``Generator`` or ``RandomState`` gives one seed drawn from it at each fit (the same
    generator state, the same model). ``None`` (the default) leaves ``seed``: the same
    seed always gives the same model. Both given (``seed`` other than its default) is an
    error: which one to use would be a guess."""
    if random_state is None:
        return seed
    if seed != ProfileParameters.seed:  # both given: which one would be a guess
        raise ProfileParameterError(
            "random_state",
            random_state,
            tr("random_state or seed, not both (seed = {seed})", seed=seed),
        )
    import numpy as np

    if isinstance(random_state, np.random.Generator):
        return int(random_state.integers(0, MAX_SEED, endpoint=True))
    if isinstance(random_state, np.random.RandomState):
        return int(random_state.randint(0, MAX_SEED, dtype=np.uint64))
    return whole(
        "random_state",
        random_state,
        0,
        MAX_SEED,
        expected=tr(
            "a whole number from 0 to {high}, a numpy random generator, or None (then seed)",
            high=MAX_SEED,
        ),
    )


def check_against_answers(model, n_distinct: int, n_respondents: int) -> None:
    """What the answers allow, checked before fitting: no more profiles (``k``,
    ``target_count``, the smallest k of ``k_range``) than distinct answer vectors."""
    limit = tr(
        "a whole number from 2 to {n}: the {respondents} answers hold {n} distinct answer "
        "vectors, and there cannot be more profiles than that",
        n=n_distinct,
        respondents=n_respondents,
    )
    p = model.parameters_  # checked and normalised by the fit
    if p["method"] == "near":
        if p["target_count"] is not None and p["target_count"] > n_distinct:
            raise ProfileParameterError("target_count", p["target_count"], limit)
        return
    if p["k"] == "auto":
        low, high = p["k_range"]
        if low > n_distinct:
            raise ProfileParameterError(
                "k_range",
                tuple(p["k_range"]),
                tr(
                    "a smallest k from 2 to {n}: the {respondents} answers hold {n} distinct "
                    "answer vectors (k above it is not tried)",
                    n=n_distinct,
                    respondents=n_respondents,
                ),
            )
        return
    if p["k"] is not None and int(p["k"]) > n_distinct:
        raise ProfileParameterError("k", p["k"], limit)


@dataclass(frozen=True)
class ProfileParameters:
    """The parameters of profile detection as a run's configuration, the command line and
    Processing give them: ``method`` (one of :data:`~qet_geo.profiles.methods.METHODS`),
    ``weights`` (a preset of :data:`WEIGHT_PRESET_NAMES` or a JSON file of weights), ``k``
    (the other methods: a number or None / ``"auto"``: chosen in ``k_range``),
    ``target_count`` (near: the number of profiles wanted, None: NEAR's rule), NEAR's
    ``min_share``, ``max_share``, ``min_count`` and ``tie_tolerance``, ``encoding`` (one of
    :data:`ENCODING_CHOICES`, None: the method's own), ``assign`` (one of :data:`ASSIGN_MODES`),
    ``seed``, ``bootstrap`` (resamples of the stability, 0: none), and the profiles'
    ``names`` and ``colours`` (number → text).
    The model itself is :class:`~qet_geo.profiles.ProfileModel`."""

    method: str = choice("near", METHODS)
    weights: str = "current"
    k: int | str | None = None
    target_count: int | None = None
    min_share: float = DEFAULT_MIN_SHARE
    max_share: float = DEFAULT_MAX_SHARE
    min_count: int = DEFAULT_MIN_COUNT
    tie_tolerance: float = DEFAULT_TIE_TOLERANCE
    encoding: str | None = choice(None, ENCODING_CHOICES)
    assign: str = choice("lookup", ASSIGN_MODES)
    k_range: tuple = DEFAULT_K_RANGE
    seed: int = 0
    bootstrap: int = DEFAULT_BOOTSTRAP
    names: dict | None = None
    colours: dict | None = None

    def validate(self, file: str = "") -> list[Problem]:
        """The problems of these parameters, ``column`` the parameter's name (its key in a
        run's configuration): the method, k with near, names or colours of profiles beyond
        k, then the first bad number (:func:`check_parameters`)."""
        problems = choice_problems(self, file)
        if problems:
            return problems
        if self.method == "near" and self.k is not None:
            return [Problem.of(file, "k is for the other methods; near stops by its own rules",
                               column="k", value=str(self.k), expected="target_count with near")]  # fmt: skip
        for key in ("names", "colours"):  # with k given, a number above it is known now
            beyond = sorted(n for n in getattr(self, key) or {} if isinstance(self.k, int) and n > self.k)  # fmt: skip
            if beyond:
                problems.append(Problem.of(file, "no such profile", column=key,
                                           value=", ".join(map(str, beyond)),
                                           expected=Message("profile numbers 1 to {k}", k=self.k)))  # fmt: skip
        try:
            check_parameters(
                min_share=self.min_share, max_share=self.max_share, min_count=self.min_count,
                target_count=self.target_count, tie_tolerance=self.tie_tolerance, k=self.k,
                k_range=self.k_range, seed=self.seed, n_boot=self.bootstrap,
            )  # fmt: skip
        except ProfileParameterError as exc:
            problems.append(Problem.of(file, "not a valid value", column=exc.config_key,
                                       value=str(exc.value), expected=exc.expected))  # fmt: skip
        return problems


def parse_pairs(text: str | None, option: str) -> dict[int, str]:
    """Profile names or colours written "1=Name;2=Other" → ``{1: "Name", 2: "Other"}``
    (``option``: how the parameter is named in a message, ``--names``, "Profile names").

    Raises
    ------
    ParameterError
        A part that is no ``profile=value`` pair, a profile given twice.
    """
    if not text:
        return {}
    out = {}
    for part in text.split(";"):
        if not part.strip():
            continue
        number, sep, value = part.partition("=")
        if not sep or not number.strip().isdigit():
            raise ParameterError(
                tr(
                    "{option}: expected profile=value pairs separated by ';', got {part!r}",
                    option=option,
                    part=part,
                )
            )
        if int(number) in out:
            raise ParameterError(
                tr("{option}: profile {number} is given twice", option=option, number=int(number))
            )
        if not value.strip():  # "1=": a profile named or coloured with nothing
            raise ParameterError(
                tr("{option}: value {value}: expected {expected}", option=option,
                   value=repr(part.strip()), expected=tr("a value after '=' (profile=value)"))
            )  # fmt: skip
        out[int(number)] = value.strip()
    return out
