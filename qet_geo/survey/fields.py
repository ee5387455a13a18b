"""The fields of a layer holding the answers: a layer of respondents opened in QGIS names
its fields as it likes; each variable's field is the one chosen, else the one named like
the variable."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from ..errors import ParameterError
from ..i18n import tr


def answer_fields(
    available: Iterable[str],
    variables: Iterable[str],
    chosen: Mapping[str, str | None] | None = None,
    optional: Iterable[str] = (),
) -> dict[str, str]:
    """Variable → field of a layer whose fields are ``available``.

    Each variable's field is ``chosen[variable]``, else the field named like the variable.
    A field the layer does not have is an error naming it, its variable and the layer's
    fields; except for an ``optional`` variable whose field was not chosen, which is left
    out.

    Raises
    ------
    ParameterError
        A field the layer does not have.
    """
    available, chosen, optional = list(available), chosen or {}, set(optional)
    out = {}
    for variable in variables:
        name = chosen.get(variable) or variable
        if name in available:
            out[variable] = name
        elif variable not in optional or chosen.get(variable):
            raise ParameterError(
                tr("The layer has no field {field} ({variable}); its fields: {fields}",
                   field=repr(name), variable=variable, fields=", ".join(available))
            )  # fmt: skip
    return out
