"""Parser of publicodes rules into an AST, mirroring publicodes 1.10.3.

Every inline mechanism of publicodes (``somme``, ``moyenne``, ``plafond``, ``plancher``,
``par défaut``, ``applicable si``, ``non applicable si``, ``toutes ces conditions``,
``une de ces conditions``, ``est défini``, ``est applicable``, the situation lookup) is
expanded, as publicodes does, into the few primitive node kinds below, so that the
evaluator only implements these. References are resolved with publicodes' own
disambiguation (from the current rule's namespace upward), and ``remplace`` is inlined.
"""

from __future__ import annotations

import re

from ._units import parse_unit

# ---------------------------------------------------------------- nodes


class Node:
    """A node of the AST. ``kind`` is one of: const, ref, op, cond, variations,
    nondef (est non défini), nonapp (est non applicable), unite, arrondi, contexte,
    situation, grille, rule."""

    __slots__ = (
        "kind",
        "a",
        "b",
        "c",
        "value",
        "type",
        "unit",
        "name",
        "ctx",
        "extra",
        "__weakref__",
    )

    def __init__(
        self,
        kind,
        a=None,
        b=None,
        c=None,
        value=None,
        type=None,
        unit=None,
        name=None,
        ctx=None,
        extra=None,
    ):
        self.kind = kind
        self.a, self.b, self.c = a, b, c
        self.value, self.type, self.unit = value, type, unit
        self.name, self.ctx, self.extra = name, ctx, extra

    def __repr__(self):  # pragma: no cover - debugging aid
        if self.kind == "const":
            return f"C({self.value!r})"
        if self.kind in ("ref", "rule", "situation"):
            return f"{self.kind}({self.name})"
        if self.kind == "op":
            return f"({self.a!r} {self.name} {self.b!r})"
        return f"{self.kind}({self.a!r}, {self.b!r}, {self.c!r})"


def const(value, type_=None, unit=None, nullable=None):
    if type_ is None:
        type_ = (
            "boolean"
            if isinstance(value, bool)
            else "number"
            if isinstance(value, (int, float))
            else "string"
            if isinstance(value, str)
            else None
        )
    n = Node("const", value=value, type=type_, unit=unit)
    n.extra = value is None and nullable is not False if nullable is None else nullable
    return n


TRUE = const(True)
FALSE = const(False)
NOT_APPLICABLE = const(None, None, nullable=True)  # publicodes' notApplicableNode


def op(name, a, b):
    return Node("op", a, b, name=name)


def cond(si, alors, sinon):
    return Node("cond", si, alors, sinon)


# ---------------------------------------------------------------- expressions

_SPACE = r"[\t\u0020\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]"
_SPACES = re.compile(f"^{_SPACE}*")
_LETTER = r"[a-zA-Z\u00C0-\u017F$]"
_SYMBOL = r"[',°€$%²_'\"'«»]"
_DIGIT = r"\d"
_STRING = re.compile(r"'.*'|\".*\"")
_NUMBER = re.compile(r"\d+(\.\d+)?")
_DATE = re.compile(r"^(?:(?:0?[1-9]|[12][0-9]|3[01])\/)?(?:0?[1-9]|1[012])\/\d{4}")
_ANY = f"({_LETTER}|{_SYMBOL}|{_DIGIT})"
_ANY_SPECIAL = f"({_ANY}|\\-|\\+|')"


def _phrase(char):
    return f"({char}{_ANY_SPECIAL}*)({_SPACE}{_ANY}{_ANY_SPECIAL}*)*"


_RULE_NAME = _phrase(_LETTER)
_DOTTED = re.compile(f"^({_RULE_NAME}|\\^)( \\. {_RULE_NAME})*")
_UNIT_SYMBOL = r"[°%$€£¥₹₽¢]"
_UNIT_ID = _phrase(f"({_UNIT_SYMBOL}|{_LETTER})")
_UNIT = re.compile(f"{_SPACES.pattern}(\\/)?{_UNIT_ID}({_SPACE}*(\\.|\\/){_UNIT_ID})*")


def _between(values):
    return re.compile(f"^{_SPACE}+({'|'.join(values)}){_SPACE}+")


_EXP_OP = _between([r"\*\*"])
_MUL_OP = _between([r"\*", r"\/", r"\/\/"])
_ADD_OP = _between(["-", r"\+"])
_CMP_OP = _between([">", "<", ">=", "<=", "=", "!="])


class ExpressionError(ValueError):
    pass


class _P:
    __slots__ = ("s", "i")

    def __init__(self, s):
        self.s, self.i = s, 0

    def eol(self):
        return self.i >= len(self.s)

    def peek(self):
        return self.s[self.i] if self.i < len(self.s) else ""

    def search(self, rx):
        return rx.search(self.s[self.i :])

    def expect(self, rx, what):
        m = rx.search(self.s[self.i :])
        if not m:
            raise ExpressionError(f"{what} expected at {self.i} in {self.s!r}")
        self.i += len(m.group(0))  # publicodes advances by the match length
        return m.group(0)

    def group(self, rx):
        m = rx.search(self.s[self.i :])
        self.i += len(m.group(0))
        return m.group(1)


def parse_expression(raw):
    """Publicodes expression -> raw mechanism tree ({'+': [a, b]}, {'constant': …}, {'variable': …})."""
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        return {"constant": {"type": "number", "nodeValue": float(raw)}}
    s = re.sub(r"\s*\n\s*", " ", str(raw)).strip()
    p = _P(s)
    tree = _comparison(p)
    if not p.eol():
        raise ExpressionError(f"unexpected {p.s[p.i :]!r} in {s!r}")
    return tree


def _binary(p, sub, rx):
    left = sub(p)
    while not p.eol() and p.search(rx):
        o = p.group(rx)
        right = sub(p)
        left = {o: [left, right]}
    return left


def _comparison(p):
    return _binary(p, _addition, _CMP_OP)


def _addition(p):
    return _binary(p, _multiplication, _ADD_OP)


def _multiplication(p):
    return _binary(p, _exponentiation, _MUL_OP)


def _exponentiation(p):
    left = _primary(p)
    while not p.eol() and p.search(_EXP_OP):
        o = p.group(_EXP_OP)
        right = _exponentiation(p)
        left = {o: [left, right]}
    return left


def _primary(p):
    c = p.peek()
    if c == "(":
        p.i += 1
        p.expect(_SPACES, "spaces")
        e = _comparison(p)
        p.expect(_SPACES, "spaces")
        if p.peek() != ")":
            raise ExpressionError(f"')' expected in {p.s!r}")
        p.i += 1
        return e
    if c == "-":
        p.i += 1
        p.expect(_SPACES, "spaces")
        e = _primary(p)
        return {"-": [{"constant": {"type": "number", "nodeValue": 0.0}}, e]}
    if p.search(_DATE):
        raise ExpressionError(f"dates are not supported: {p.s!r}")
    if c and re.match(_NUMBER, c):
        num = p.expect(_NUMBER, "a number")
        if p.search(_UNIT):
            u = p.expect(_UNIT, "a unit")
            return {"constant": {"type": "number", "nodeValue": float(num), "rawUnit": u.strip()}}
        return {"constant": {"type": "number", "nodeValue": float(num)}}
    if c in ("'", '"'):
        s = p.expect(_STRING, "a string")
        return {"constant": {"type": "string", "nodeValue": s[1:-1]}}
    if c and (re.match(_LETTER, c) or c == "^"):
        name = p.expect(_DOTTED, "a rule name")
        if name in ("oui", "non"):
            return {"constant": {"type": "boolean", "nodeValue": name == "oui"}}
        return {"variable": name}
    raise ExpressionError(f"unexpected {c!r} in {p.s!r}")


# ---------------------------------------------------------------- mechanisms

CHAINABLE = [
    "contexte",
    "variable manquante",
    "avec",
    "applicable si",
    "non applicable si",
    "arrondi",
    "unité",
    "simplifier l'unité",
    "plancher",
    "plafond",
    "par défaut",
    "dans la situation",
    "résoudre la référence circulaire",
    "abattement",
]
OPERATIONS = ["*", "/", "//", "**", "+", "-", "<", "<=", ">", ">=", "=", "!=", "et", "ou"]
VALUE_MECANISMS = OPERATIONS + [
    "logarithme",
    "inversion numérique",
    "le maximum de",
    "le minimum de",
    "taux progressif",
    "toutes ces conditions",
    "est non défini",
    "est non applicable",
    "est applicable",
    "est défini",
    "une de ces conditions",
    "condition",
    "barème",
    "durée",
    "grille",
    "multiplication",
    "produit",
    "somme",
    "moyenne",
    "texte",
    "valeur",
    "variable",
    "variations",
    "constant",
]
MECANISM_KEYS = set(CHAINABLE) | set(VALUE_MECANISMS)


class Parser:
    def __init__(self, raw_rules: dict):
        self.raw = raw_rules
        self.rules: dict[str, Node] = {}
        self.refs: list[Node] = []
        self.replacements: dict[str, list] = {}
        self.possibilities: dict[str, tuple] = {}  # rule -> (type, [values])
        for name, rule in raw_rules.items():
            if isinstance(rule, (str, int, float)) and not isinstance(rule, bool):
                rule = {"valeur": str(rule)}
            rule = {} if rule is None else dict(rule)
            if rule.get("parent seulement"):
                rule = {"titre": rule.get("titre")}
            self.parse_rule(name, rule, "")
        self.missing: dict[str, str] = {}
        for ref in self.refs:
            try:
                ref.name = self.disambiguate(ref.ctx, ref.extra)
            except ExpressionError:
                # a rule absent from the extracted model: evaluated as undefined
                name = f"$MISSING . {ref.extra}"
                self.missing[name] = ref.ctx
                if name not in self.rules:
                    r = Node(
                        "rule", name=name, a=const(None, None, nullable=False), extra=[], value={}
                    )
                    self.rules[name] = r
                ref.name = name
        self.inline_replacements()

    # -- references
    def disambiguate(self, referenced_from, partial):
        parts = referenced_from.split(" . ") if referenced_from else []
        contexts = [" . ".join(parts[: i + 1]) for i in range(len(parts) - 1)][::-1]
        contexts.append(referenced_from)
        if partial.startswith("^ . "):
            k = len(re.match(r"^(\^ \. )+", partial).group(0)) // 4
            partial = re.sub(r"^(\^ \. )+", "", partial)
            del contexts[-k:]
        root = contexts.pop()
        contexts.insert(0, root)
        contexts.append("")
        for c in contexts:
            dotted = f"{c} . {partial}" if c else partial
            if dotted in self.rules and dotted != referenced_from:
                return dotted
        if referenced_from.endswith(partial):
            return referenced_from
        raise ExpressionError(f"reference {partial!r} not found from {referenced_from!r}")

    # -- rules
    def parse_rule(self, nom, raw, parent_ctx):
        dotted = f"{parent_ctx} . {nom}" if parent_ctx else nom
        rule = Node("rule", name=dotted)
        self.rules[dotted] = rule
        avec = dict(raw.get("avec") or {})
        possib = self.parse_possibilities(raw, dotted, avec)
        value = {k: v for k, v in raw.items() if k in MECANISM_KEYS}
        value["avec"] = avec
        if "formule" in raw:
            value["valeur"] = raw["formule"]
        value["dans la situation"] = Node("situation", name=dotted)
        if value.get("par défaut") is not None:
            value["par défaut"] = {"valeur": value["par défaut"], "variable manquante": dotted}
        rule.a = self.parse(value, dotted)
        rule.b = possib
        parts = dotted.split(" . ")
        rule.extra = [
            " . ".join(parts[:i]) for i in range(len(parts) - 1, 0, -1)
        ]  # parents, closest first
        rule.value = raw
        if raw.get("remplace") is not None:
            reps = raw["remplace"] if isinstance(raw["remplace"], list) else [raw["remplace"]]
            for r in reps:
                if not isinstance(r, str):
                    raise NotImplementedError("complex 'remplace'")
                target = self.parse(r, dotted)
                self.replacements.setdefault(id(target), (target, []))[1].append(dotted)
        return rule

    def parse_possibilities(self, raw, dotted, avec):
        poss = raw.get("une possibilité")
        if not poss:
            return None
        if isinstance(poss, dict):
            poss = poss.get("possibilités")
        values, kinds = [], set()
        for p in poss:
            if isinstance(p, dict):
                ((k, v),) = p.items()
                avec[k] = v
                p = k
            tree = parse_expression(p)
            if "variable" in tree:
                kinds.add("reference")
                values.append(tree["variable"])
            else:
                c = tree["constant"]
                kinds.add(c["type"])
                values.append(c["nodeValue"])
        (kind,) = kinds
        self.possibilities[dotted] = (kind, values)
        return Node("possibilities", value=values, type=kind)

    # -- generic parse
    def parse(self, raw, ctx):
        if isinstance(raw, Node):
            return raw
        if raw is None:
            raise ExpressionError(f"empty value in {ctx!r}")
        if isinstance(raw, bool):
            raise ExpressionError("booleans must be written oui / non")
        node = raw if isinstance(raw, dict) else parse_expression(raw)
        return self.parse_chained(node, ctx)

    def parse_chained(self, raw, ctx):
        for key in CHAINABLE:
            if key in raw:
                rest = {k: v for k, v in raw.items() if k != key}
                return self.chained(key, raw[key], rest, ctx)
        return self.parse_mecanism(raw, ctx)

    def chained(self, key, param, rest, ctx):
        P = self.parse
        if key == "avec":
            for k, v in (param or {}).items():
                if isinstance(v, (str, int, float)) and not isinstance(v, bool):
                    v = {"valeur": str(v)}
                self.parse_rule(k, {} if v is None else dict(v), ctx)
            return P(rest, ctx)
        if key == "dans la situation":
            valeur = P(rest, ctx)
            sit = param
            return cond(Node("nondef", sit), valeur, sit)
        if key == "variable manquante":
            return P(rest["valeur"], ctx) if "valeur" in rest else P(rest, ctx)
        valeur = P(rest, ctx)
        if key == "contexte":
            pairs = [(P(k, ctx), P(v, ctx)) for k, v in param.items()]
            pairs.sort(key=lambda kv: kv[0].extra)
            return Node("contexte", valeur, pairs, value=(ctx, tuple(sorted(param))))
        if key == "unité":
            return Node("unite", valeur, unit=parse_unit(param))
        p = P(param, ctx)
        if key == "applicable si":
            return cond(op("!=", p, FALSE), valeur, NOT_APPLICABLE)
        if key == "non applicable si":
            return cond(op("=", p, FALSE), valeur, NOT_APPLICABLE)
        if key == "arrondi":
            return Node("arrondi", valeur, p)
        if key == "unité":
            return Node("unite", valeur, unit=parse_unit(param))
        if key == "plancher":
            return cond(op("et", op("!=", p, FALSE), op("<", valeur, p)), p, valeur)
        if key == "plafond":
            return cond(op("et", op("!=", p, FALSE), op(">", valeur, p)), p, valeur)
        if key == "par défaut":
            return cond(Node("nondef", valeur), p, valeur)
        raise NotImplementedError(f"mechanism {key!r}")

    def parse_mecanism(self, raw, ctx):
        if isinstance(raw, list):
            raise ExpressionError(f"list without mechanism in {ctx!r}")
        keys = list(raw)
        if len(keys) > 1:
            raise ExpressionError(f"several mechanisms {keys} in {ctx!r}")
        if not keys:
            return const(None, None, nullable=False)  # publicodes' empty constant (undefined)
        key = keys[0]
        v = raw[key]
        P = self.parse
        if key in OPERATIONS:
            return op(key, P(v[0], ctx), P(v[1], ctx))
        if key == "constant":
            unit = (
                parse_unit(v["rawUnit"]) if v.get("type") == "number" and v.get("rawUnit") else None
            )
            return const(v["nodeValue"], v["type"], unit)
        if key == "variable":
            n = Node("ref", ctx=ctx, extra=v)
            self.refs.append(n)
            return n
        if key == "valeur":
            return P(v, ctx)
        if key == "somme":
            acc = NOT_APPLICABLE
            for item in reversed(v):
                acc = op("+", P(item, ctx), acc)
            return acc
        if key == "moyenne":
            items = [P(item, ctx) for item in v]
            num = NOT_APPLICABLE
            den = NOT_APPLICABLE
            for item in reversed(items):
                num = op("+", item, num)
                one = cond(
                    op("!=", op("=", Node("nonapp", item), FALSE), FALSE),
                    const(1.0),
                    NOT_APPLICABLE,
                )
                den = op("+", one, den)
            return op("/", num, den)
        if key == "toutes ces conditions":
            acc = TRUE
            for item in v:
                acc = op("et", acc, P(item, ctx))
            return acc
        if key == "une de ces conditions":
            acc = FALSE
            for item in v:
                acc = op("ou", acc, P(item, ctx))
            return acc
        if key == "est non défini":
            return Node("nondef", P(v, ctx))
        if key == "est défini":
            return op("=", Node("nondef", P(v, ctx)), FALSE)
        if key == "est non applicable":
            return Node("nonapp", P(v, ctx))
        if key == "est applicable":
            return op("=", Node("nonapp", P(v, ctx)), FALSE)
        if key == "condition":
            return cond(P(v["si"], ctx), P(v["alors"], ctx), P(v["sinon"], ctx))
        if key == "variations":
            branches = []
            for br in v:
                if "sinon" in br:
                    branches.append((TRUE, P(br["sinon"], ctx)))
                else:
                    branches.append((P(br["si"], ctx), P(br["alors"], ctx)))
            return Node("variations", branches)
        if key == "grille":
            tranches = [
                (P(t["montant"], ctx), P(t["plafond"], ctx) if "plafond" in t else None)
                for t in v["tranches"]
            ]
            mult = P(v["multiplicateur"], ctx) if "multiplicateur" in v else const(1.0)
            return Node("grille", P(v["assiette"], ctx), mult, tranches)
        if key in ("le maximum de", "le minimum de"):
            return Node("minmax", [P(i, ctx) for i in v], name=key)
        if key in ("produit", "multiplication"):
            acc = const(1.0)
            for item in v:
                acc = op("*", P(item, ctx), acc)
            return acc
        raise NotImplementedError(f"mechanism {key!r} in {ctx!r}")

    # -- remplace
    def inline_replacements(self):
        if not self.replacements:
            return
        by_target: dict[str, list[str]] = {}
        for target, definers in self.replacements.values():
            by_target.setdefault(target.name, []).extend(definers)
        cache: dict = {}

        def make_ref(name, ctx):
            n = Node("ref", ctx=ctx, extra=name)
            n.name = name
            return n

        def visit(node, seen):
            if node is None or not isinstance(node, Node) or id(node) in seen:
                return node
            seen.add(id(node))
            for attr in ("a", "b", "c"):
                child = getattr(node, attr)
                if isinstance(child, Node):
                    setattr(node, attr, replace(child, seen))
                elif isinstance(child, list):
                    new = []
                    for item in child:
                        if isinstance(item, tuple):
                            if node.kind == "contexte":
                                new.append((item[0], replace(item[1], seen)))
                            else:
                                new.append(
                                    tuple(
                                        replace(x, seen) if isinstance(x, Node) else x for x in item
                                    )
                                )
                        else:
                            new.append(replace(item, seen) if isinstance(item, Node) else item)
                    setattr(node, attr, new)
            return node

        def replace(node, seen):
            if node.kind == "possibilities" or node.kind == "rule":
                return node
            if node.kind == "ref" and node.name in by_target:
                definers = sorted((d for d in by_target[node.name] if d != node.ctx), reverse=True)
                if not definers:
                    return node
                key = (node.name, tuple(definers))
                if key not in cache:
                    branches = []
                    for d in definers:
                        dref = make_ref(d, node.ctx)
                        est_app = cond(Node("nonapp", dref), FALSE, TRUE)
                        branches.append((est_app, dref))
                    branches.append((TRUE, node))
                    cache[key] = Node("variations", branches)
                return cache[key]
            return visit(node, seen)

        for rule in self.rules.values():
            rule.a = replace(rule.a, set())
