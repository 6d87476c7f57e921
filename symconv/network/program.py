r"""Network text (a file of named nodes, merges and blocks) read into a :class:`Network`.

The language is ``symconv/grammars/network.lark`` (``symconv shape --help`` prints it).
Reading it is three steps: parse to a tree (:func:`symconv.grammar.parse`); expand every
statement into nodes (blocks are copied with their parameters bound, ``* n`` repeats a
stage ``n`` times); then resolve node names and order the nodes so that each comes after
its inputs, refusing undefined names and cycles.

Node names: the last layer of ``a = x -> conv(8, 3) -> bn -> relu`` is ``a``, the earlier
ones ``a.1``, ``a.2``; each copy of a repeated stage takes the next number; the nodes of a
block called at node ``a`` are ``a/...``; a statement without a name is ``line<n>``.

Examples
--------
>>> net = parse_network('''
... input 3x32x32
... stem = conv(16, k=3, p=1) -> relu
... block res(c) {
...     y = conv(c, k=3, p=1) -> relu -> conv(c, k=3, p=1)
...     add(y, input) -> relu
... }
... body = stem -> res(16) * 2
... ''')
>>> [n.name for n in net.nodes][:6]
['stem.1', 'stem', 'body.1/y.1', 'body.1/y.2', 'body.1/y', 'body.1/line6.1']
>>> net.nodes[5].op, net.nodes[5].inputs
(Merge(kind='add'), ('body.1/y', 'stem'))
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from lark import Token, Tree

from ..errors import FormulaError
from ..grammar import parse
from .graph import INPUT, Merge, Network, Node
from .layers import LAYERS
from .text import WORDS, build_layer, call_parts, column_of, parse_input, value_of

#: Longest network text read.
MAX_NETWORK_TEXT = 200_000
#: Most nodes a network text may expand to (blocks and repetitions included).
MAX_NODES = 20_000
#: Deepest nesting of block calls.
MAX_BLOCK_DEPTH = 32
MERGES = ("add", "concat")


@dataclass(frozen=True)
class _Block:
    name: str
    params: tuple[str, ...]
    body: tuple[Tree, ...]


class _Reader:
    """Expands statements into nodes; names are resolved after everything is read."""

    def __init__(self, text: str, blocks: dict[str, _Block]) -> None:
        self.lines = text.splitlines() or [""]
        self.blocks = blocks
        self.nodes: list[Node] = []
        self.position: dict[str, int] = {}  # node name -> index in self.nodes
        self.alias: dict[str, str] = {}

    # -- errors ---------------------------------------------------------------
    def line_of(self, where: Any) -> tuple[str, str]:
        """``("line <n>", the line's text)`` of a token or subtree."""
        line = where.line if isinstance(where, Token) else where.meta.line
        return f"line {line}", self.lines[line - 1].rstrip()

    def fail(self, where: Any, problem: str) -> FormulaError:
        what, source = self.line_of(where)
        return FormulaError(f"in {what} {source!r} at column {column_of(where)}: {problem}")

    # -- statements -----------------------------------------------------------
    def add(self, node: Node) -> None:
        if len(self.nodes) >= MAX_NODES:
            raise FormulaError(f"network text must expand to at most {MAX_NODES} nodes "
                               f"(blocks and repetitions included); {node.name!r} is one more")
        self.position[node.name] = len(self.nodes)
        self.nodes.append(node)

    def scope(self, statements: Sequence[Tree], prefix: str, source: str,
              bindings: dict[str, Any], stack: tuple[str, ...]) -> str:
        """Read statements; returns the id of the last one's output."""
        names: dict[str, str] = {}
        for statement in statements:
            if statement.data == "assign":
                token = statement.children[0]
                word = str(token)
                if word in names:
                    raise self.fail(token, f"node {word!r} is defined twice")
                if word.lower() in LAYERS or word in MERGES or word in self.blocks \
                        or word == INPUT:
                    raise self.fail(token, f"node name {word!r} is a layer, merge or block "
                                           "name; choose another")
                names[word] = prefix + word
        previous = source
        for statement in statements:
            if statement.data == "assign":
                token, pipeline = statement.children
                base = prefix + str(token)
            else:
                pipeline, base = statement, f"{prefix}line{statement.meta.line}"
            out = self.pipeline(pipeline, base, previous, names, source, bindings, stack)
            if out != base:
                self.alias[base] = out
            previous = base
        return previous

    def pipeline(self, pipeline: Tree, base: str, previous: str, names: dict[str, str],
                 source: str, bindings: dict[str, Any], stack: tuple[str, ...]) -> str:
        """Nodes of one pipeline, numbered ``base.1``, ``base.2``, ...; the last is ``base``."""
        stages = pipeline.children
        current = previous
        if stages[0].data == "from_input":
            current, stages = source, stages[1:]
            if not stages:
                return current
        made = 0
        produced = sum(int(stage.children[1]) if len(stage.children) > 1 else 1
                       for stage in stages)
        for position, stage in enumerate(stages, start=1):
            call, *repeat = stage.children
            count = int(repeat[0]) if repeat else 1
            name, args = call_parts(call)
            word = str(name)
            reference = {INPUT: source, **names}.get(word)
            if reference is not None and not args and position == 1:
                if repeat:
                    raise self.fail(name, f"node {word!r} cannot be repeated: repeat a layer "
                                          "or a block")
                current, produced = reference, produced - 1
                continue
            if reference is not None:
                raise self.fail(name, f"node {word!r} can only start a pipeline "
                                      f"(e.g. {word} -> relu)")
            if not 1 <= count <= 1000:
                raise self.fail(repeat[0], f"repetition count must be in 1..1000, got {count}")
            if word in MERGES:
                if repeat:
                    raise self.fail(name, f"{word} cannot be repeated")
                made += 1
                current = self.merge(call, name, args, _numbered(base, made, produced),
                                     position, names, source)
                continue
            for _ in range(count):
                made += 1
                current = self.apply(call, name, args, _numbered(base, made, produced),
                                     current, bindings, stack)
        return current

    def merge(self, call: Tree, name: Token, args: list, sid: str, position: int,
              names: dict[str, str], source: str) -> str:
        word = str(name)
        if position != 1:
            raise self.fail(name, f"{word} must start a pipeline: it takes its inputs by name, "
                                  f"e.g. {word}(a, b) -> relu")
        inputs = []
        for keyword, value in args:
            if keyword is not None or not isinstance(value, Token) or value.type != "NAME":
                raise self.fail(keyword or value, f"{word} takes node names, e.g. {word}(a, b)")
            target = {INPUT: source, **names}.get(str(value))
            if target is None:
                known = ", ".join([INPUT, *names]) or "none"
                raise self.fail(value, f"undefined node {str(value)!r} (valid: {known})")
            inputs.append(target)
        if len(inputs) < 2:
            raise self.fail(name, f"{word} needs at least two inputs, e.g. {word}(a, b)")
        self.add(Node(sid, Merge(word), tuple(inputs)))
        return sid

    def apply(self, call: Tree, name: Token, args: list, cid: str, current: str,
              bindings: dict[str, Any], stack: tuple[str, ...]) -> str:
        word = str(name)
        what, source_line = self.line_of(call)
        values = [(k, _bind(value_of(source_line, v, what=what), bindings), column_of(v))
                  for k, v in args]
        cls = LAYERS.get(word.lower())
        if cls is not None:
            layer = build_layer(source_line, cls, name, values, what)
            self.add(Node(cid, layer, (current,)))
            return cid
        block = self.blocks.get(word)
        if block is None:
            valid = ", ".join([*LAYERS, *MERGES, *self.blocks])
            raise self.fail(name, f"unknown layer, block or node {word!r} (valid: {valid}, or "
                                  "a node name to start a pipeline)")
        if word in stack:
            raise self.fail(name, f"block {word!r} calls itself ({' -> '.join((*stack, word))})")
        if len(stack) >= MAX_BLOCK_DEPTH:
            raise self.fail(name, f"blocks must nest at most {MAX_BLOCK_DEPTH} deep "
                                  f"({' -> '.join((*stack, word))})")
        bound = self.bind_block(block, name, values)
        out = self.scope(block.body, f"{cid}/", current, bound, (*stack, word))
        self.name_output(cid, out)
        return cid

    def bind_block(self, block: _Block, name: Token, values: list) -> dict[str, Any]:
        bound: dict[str, Any] = {}
        for position, (keyword, value, _) in enumerate(values):
            key = block.params[position] if keyword is None and position < len(block.params) \
                else (str(keyword) if keyword is not None else None)
            if key is None or key not in block.params:
                raise self.fail(keyword or name, f"block {block.name} takes "
                                                 f"({', '.join(block.params)})")
            if key in bound:
                raise self.fail(keyword or name, f"argument {key!r} given twice")
            bound[key] = value
        missing = [p for p in block.params if p not in bound]
        if missing:
            raise self.fail(name, f"block {block.name} needs {', '.join(missing)} "
                                  f"(valid: {block.name}({', '.join(block.params)}))")
        return bound

    def name_output(self, cid: str, out: str) -> None:
        """The block's output node takes the call's name ``cid`` (``layer1``, not
        ``layer1/line6``) when the block made it; otherwise ``cid`` names ``out``."""
        real = self.resolve(out)
        at = self.position.get(real)
        if at is None or not real.startswith(f"{cid}/"):
            self.alias[cid] = out
            return
        node = self.nodes[at]
        self.nodes[at] = Node(cid, node.op, node.inputs, node.label)
        del self.position[real]
        self.position[cid] = at
        self.alias[real] = cid

    # -- resolution -----------------------------------------------------------
    def resolve(self, name: str) -> str:
        seen = []
        while name in self.alias and name not in seen:
            seen.append(name)
            name = self.alias[name]
        if name in seen:
            raise FormulaError(f"network text has a cycle: {' -> '.join((*seen, name))}")
        return name

    def ordered(self) -> tuple[Node, ...]:
        """Nodes with resolved inputs, each after its inputs; a cycle is an error."""
        nodes = {n.name: Node(n.name, n.op, tuple(self.resolve(i) for i in n.inputs),
                              n.label) for n in self.nodes}
        order: list[Node] = []
        state: dict[str, int] = {}  # 1: on the current path, 2: placed
        for root in nodes:
            stack = [(root, 0)]
            path: list[str] = []
            while stack:
                name, at = stack.pop()
                if at == 0:
                    if state.get(name) == 2:
                        continue
                    if state.get(name) == 1:
                        cycle = path[path.index(name):] + [name]
                        raise FormulaError("network text has a cycle: "
                                           + " -> ".join(cycle) + " (a node's input must not "
                                           "depend on the node)")
                    state[name] = 1
                    path.append(name)
                inputs = [i for i in nodes[name].inputs if i != INPUT]
                if at < len(inputs):
                    stack.append((name, at + 1))
                    stack.append((inputs[at], 0))
                else:
                    state[name] = 2
                    path.pop()
                    order.append(nodes[name])
        return tuple(order)


def _numbered(base: str, number: int, last: int) -> str:
    return base if number == last else f"{base}.{number}"


def _bind(value: Any, bindings: dict[str, Any]) -> Any:
    if isinstance(value, tuple):
        return tuple(_bind(v, bindings) for v in value)
    if isinstance(value, str) and value in bindings:
        return bindings[value]
    return value


def parse_network(text: str, input: str | Sequence[int] | None = None, *,
                  batch: int | None = None, layout: str = "auto") -> Network:
    """Read a network text (see :mod:`symconv.network.program`) into a :class:`Network`.

    Parameters
    ----------
    text : str
        The network: ``input`` line (optional when ``input`` is given), named pipelines,
        ``add``/``concat`` merges, ``block`` definitions.
    input : str or sequence of int, optional
        The input size; when the text has an ``input`` line too, both must agree.
    batch, layout
        As for :func:`~symconv.network.parse_input`.

    Raises
    ------
    FormulaError
        Bad text (line and column), undefined node names, cycles, a missing input.

    Examples
    --------
    >>> parse_network("a = b -> relu; b = a -> relu", "1x8")
    Traceback (most recent call last):
        ...
    symconv.errors.FormulaError: network text has a cycle: a -> b -> a (a node's input must
    not depend on the node)
    """
    if not isinstance(text, str):
        raise FormulaError(f"network text must be text, got {type(text).__name__}")
    if len(text) > MAX_NETWORK_TEXT:
        raise FormulaError(f"network text must be at most {MAX_NETWORK_TEXT} characters long, "
                           f"got {len(text)} characters")
    tree = parse("network", text, parameter="network text", words=WORDS)
    blocks: dict[str, _Block] = {}
    statements, given = [], None
    for statement in tree.children:
        if statement.data == "input_line":
            given = tuple(int(str(t)) for t in statement.children[0].children)
        elif statement.data == "block":
            name, *rest = statement.children
            params = tuple(str(t) for t in rest if isinstance(t, Token) and t.type == "NAME")
            body = tuple(t for t in rest if isinstance(t, Tree))
            if str(name) in blocks or str(name).lower() in LAYERS or str(name) in MERGES:
                raise FormulaError(f"block {str(name)!r} (line {name.line}) is defined twice or "
                                   "has a layer's name")
            blocks[str(name)] = _Block(str(name), params, body)
        else:
            statements.append(statement)
    input_shape = _input_shape(input, given, batch, layout)
    reader = _Reader(text, blocks)
    reader.scope(statements, "", INPUT, {}, ())
    if not reader.nodes:
        raise FormulaError("network text has no layers (valid: e.g. 'conv(8, 3) -> relu')")
    return Network(input_shape, reader.ordered())


def _input_shape(input: Any, given: tuple[int, ...] | None, batch: int | None,
                 layout: str) -> tuple[int, ...]:
    if input is None and given is None:
        raise FormulaError("network text needs its input size: an 'input 3x224x224' line, or "
                           "the input argument")
    if input is None:
        channels, spatial = parse_input(given, batch, layout)
    else:
        channels, spatial = parse_input(input, batch, layout)
        if given is not None and (channels, *spatial) != given:
            raise FormulaError(f"input {input!r} disagrees with the text's input line "
                               f"{'x'.join(map(str, given))}; give one of them")
    return (channels, *spatial)
