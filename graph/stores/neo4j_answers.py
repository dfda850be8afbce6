"""The answers a build saved, loaded into Neo4j beside the graph, and read back key by key.

Why: Neo4j computes the aggregations and the keyed answers with Cypher in 0.2 to 3 s at 100,000
entities (``bridges``, ``developer-people``, ``org-bridges``, ``investors-of``, ``developer-ties``,
the leaderboard), where the embedded store answers from the answers ``ecokg build`` saved
(:mod:`ecokg.graph.stores.answers`) in milliseconds. ``ecokg load neo4j`` loads those same answers
into Neo4j, so both stores answer from the same saved rows.

How they are stored: nodes labelled :data:`ANSWER_LABEL` (not an ecokg class, and with no ``id``:
everything that reads, counts or searches the ecokg graph selects nodes by an ``id`` in the ecokg
namespace, so they never show up as entities), each with ``question``, ``part``, ``key``,
``chunk``, ``rows`` (the JSON text of the rows, as the answer's file holds them) and ``hash`` (of
``rows``: a load rewrites only the nodes whose rows changed):

- a keyed answer (:data:`ecokg.graph.questions.keyed.PARTS`: ``investors-of``, ``developer-ties``,
  ``people-at``) as one node per part and key (``part`` is ``""`` for ``people-at``, whose table is
  itself keyed), found through a composite index on ``(question, part, key)``: an ask reads the few
  small nodes its join needs (:func:`ecokg.graph.questions.keyed.prefetch`: one query per part),
  never the whole table (12.5 MB for developer-ties at 100k);
- any other answer (a whole answer, the leaderboard's table) as nodes of at most
  :data:`CHUNK_ROWS` rows (``part`` and ``key`` ``""``, ``chunk`` 0, 1, ...), read whole on the
  question's first ask and kept, as the embedded store keeps a file it read.

When they are used: only while Neo4j holds the graph they were computed for. The load state node
(:data:`~ecokg.graph.stores.neo4j_load.STATE_LABEL`) records the plan digest of the last complete
load (``digest``); the answers record theirs on the same node (``answers``: the digest and the
format of the saved answers, :func:`vouch`; with the questions in ``answered``) once every answer
node is written. :func:`current` offers them only when the state is ``complete`` and ``answers`` is
what this ecokg would record for the state's digest, so after a load of another graph, during or
after a load that did not finish, after ``clear`` (which deletes them and the state node), after a
write through ecokg, and while the answers there are those an ecokg of another answers format
loaded (whose rows this one may not read, nor that one this one's) the questions run their Cypher.
A write (``Neo4jStore.query(..., write=True)``) removes ``answers`` before it runs and marks the
state ``edited``: the load's content hashes cannot see what it changed, so only a load that
compares every node (``ecokg load neo4j --full``, or the one after a load that did not finish)
vouches for answers again. Every read of a key checks the same condition in the same query and raises
:class:`~ecokg.graph.stores.base.StaleAnswers` when it no longer holds, so an answer offered before a
concurrent load is not read after it. An unchanged re-load finds ``answers`` equal to what it
would record and writes nothing; a load of another graph or format replaces them.

What they cannot see: a change made to ecokg's data outside ecokg (the Neo4j browser, another
client); the load's content hashes cannot either (``ecokg load neo4j --full`` puts such changes
back, and then the answers describe the graph again).
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from ecokg.graph.collector import paused
from ecokg.graph.stores.answers import FORMAT
from ecokg.graph.stores.base import StaleAnswers
from ecokg.graph.stores.lazy_answers import LazyAnswers
from ecokg.graph.stores.neo4j_load import STATE_KEY, STATE_LABEL

ANSWER_LABEL = "EcoAnswer"
ANSWER_INDEX = "ecokg_answer"
#: Rows per node of an answer that is not keyed, so no single property or transaction holds a large
#: one: at 100k entities org-bridges (86,491 rows, 5 MB of JSON) is nine nodes of at most 0.6 MB,
#: the leaderboard's table (20,042 rows) three of at most 2 MB. (The keyed parts are 57,000 nodes
#: of at most 0.25 MB: investors-of's links of one sector.)
CHUNK_ROWS = 10_000
#: JSON characters per write transaction of answer nodes (and at most BATCH_NODES nodes).
BATCH_CHARS = 4_000_000
BATCH_NODES = 2_000
#: Answer nodes deleted per transaction (clear, and a load replacing them).
DELETE_BATCH = 10_000

#: Neo4j offers its saved answers only when this holds for the load state ``m``, ``$digest`` and
#: ``$vouch`` (:func:`vouch` of the digest).
_VALID = "m.state = 'complete' AND m.digest = $digest AND m.answers = $vouch"


def vouch(digest: str) -> str:
    """What a load records in ``answers`` for the answers of the graph of plan digest ``digest``:
    the digest and the format of the saved answers (:data:`ecokg.graph.stores.answers.FORMAT`), so
    that answers another ecokg loaded in shapes this one does not read are not offered to it."""
    return f"{digest} answers-format {FORMAT}"


def index_statement() -> str:
    return (f"CREATE INDEX {ANSWER_INDEX} IF NOT EXISTS FOR (a:{ANSWER_LABEL}) "
            "ON (a.question, a.part, a.key)")


def state_cypher() -> str:
    """The load state and the answers it vouches for."""
    return (f"MATCH (m:{STATE_LABEL} {{key: $key}}) RETURN m.state AS state, m.digest AS digest, "
            "m.answers AS answers, m.answered AS answered, m.edited AS edited")


def withdraw_cypher() -> str:
    """Withdraw the answers (their nodes stay until a load replaces them or ``clear``)."""
    return f"MATCH (m:{STATE_LABEL} {{key: $key}}) WHERE m.answers IS NOT NULL REMOVE m.answers, m.answered"


def invalidate_cypher() -> str:
    """Before a write through ecokg: withdraw the answers and remember that the graph may differ
    from the last load's in ways its hashes cannot see, so that only a load that compares every
    node (``--full``) vouches for answers again."""
    return f"MATCH (m:{STATE_LABEL} {{key: $key}}) REMOVE m.answers, m.answered SET m.edited = true"


def delete_cypher() -> str:
    return f"MATCH (a:{ANSWER_LABEL}) WITH a LIMIT $limit DETACH DELETE a RETURN count(*) AS c"


def _dumps(value: Any) -> str:
    with paused():  # rows make no cycles (ecokg.graph.collector)
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _loads(text: str) -> Any:
    with paused():
        return json.loads(text)


# -- writing -----------------------------------------------------------------------------------------
def _identity(node: Mapping[str, Any]) -> tuple[str, str, str, int]:
    return node["question"], node["part"], node["key"], node["chunk"]


def _node(question: str, part: str, key: str, chunk: int, rows: Any) -> dict[str, Any]:
    """An answer node's properties: ``hash`` (of its JSON) tells a later load whether to rewrite it."""
    text = _dumps(rows)
    return {"question": question, "part": part, "key": key, "chunk": chunk, "rows": text,
            "hash": hashlib.blake2b(text.encode("utf-8"), digest_size=12).hexdigest()}


def answer_nodes(name: str, table: Any) -> Iterator[dict[str, Any]]:
    """The nodes that hold ``name``'s saved ``table``: one per part and key of a keyed answer, else
    chunks of rows. Raises ValueError for a table of the wrong shape (another ecokg's)."""
    from ecokg.graph.questions.keyed import PARTS

    if name in PARTS:
        parts = PARTS[name]
        if not isinstance(table, Mapping) or (parts and sorted(table) != sorted(parts)):
            raise ValueError(f"the saved answer of {name} does not have the parts {', '.join(parts) or 'of a table'}")
        for part, keyed in ((p, table[p]) for p in parts) if parts else (("", table),):
            if not isinstance(keyed, Mapping):
                raise ValueError(f"part {part!r} of the saved answer of {name} is not keyed")
            for key, rows in keyed.items():
                yield _node(name, part, str(key), 0, rows)
        return
    if not isinstance(table, list):
        raise ValueError(f"the saved answer of {name} is not a list of rows")
    for chunk, start in enumerate(range(0, max(len(table), 1), CHUNK_ROWS)):
        yield _node(name, "", "", chunk, table[start:start + CHUNK_ROWS])


@dataclass
class AnswersReport:
    """What a load did with the answers: ``kept`` (those in Neo4j were already the graph's),
    ``written`` (nodes), ``deleted`` (nodes of earlier answers), the questions now answered
    from them, and ``skipped`` (question: why) for a saved answer that could not be stored."""

    questions: list[str] = field(default_factory=list)
    kept: bool = False
    written: int = 0
    deleted: int = 0
    skipped: dict[str, str] = field(default_factory=dict)
    withheld: str = ""  # why none were vouched for although the load completed

    def summary(self) -> dict[str, Any]:
        return {"questions": len(self.questions), "kept": self.kept, "nodes_written": self.written,
                "nodes_deleted": self.deleted, **({"skipped": self.skipped} if self.skipped else {}),
                **({"withheld": self.withheld} if self.withheld else {})}


def _drain(session: Any, batch: int = DELETE_BATCH) -> int:
    """Delete every answer node, ``batch`` per transaction; how many went."""
    total = 0
    while True:
        c = int(session.execute_write(lambda tx: tx.run(delete_cypher(), limit=batch).single()["c"]))
        total += c
        if c < batch:
            return total


def delete_all(session: Any) -> int:
    """Withdraw the answers, then delete their nodes (``clear``); how many nodes went."""
    session.execute_write(lambda tx: tx.run(withdraw_cypher(), key=STATE_KEY).consume())
    return _drain(session)


def load(session: Any, answers: Mapping[str, Any] | None, digest: Callable[[], str], *, checked_all: bool,
         unchanged: bool) -> AnswersReport:
    """Store ``answers`` (by question, as :func:`ecokg.graph.stores.answers.of_generation` reads them)
    as the answers of the graph whose plan digest ``digest()`` gives, which the load just made
    complete (``checked_all``: comparing every node, so the graph is exactly the plan's;
    ``unchanged``: the load found every node's hash trusted and equal, so the digest the last
    complete load recorded is the plan's, and ``digest()``, 0.7 s at 100k entities, is not needed).

    Nothing is written when the answers there already are this graph's and of the same questions
    (an unchanged re-load). Otherwise they are withdrawn first (so no reader uses half of them),
    then made equal to ``answers`` node by node: a node whose rows are the same (its ``hash``) is
    left alone, the others deleted and written anew (a graph with a few changes changes a few
    keys), and then they are vouched for on the load state. Without ``answers`` (an older build)
    earlier answers of another graph are deleted, and those of this same graph kept (they still
    describe it). After a write through ecokg (``edited``) only a load
    that compared every node loads them: a plain one cannot see what the write changed."""
    report = AnswersReport()
    rows = [r.data() for r in session.run(state_cypher(), key=STATE_KEY)]
    state = rows[0] if rows else {}
    if state.get("state") != "complete" or state.get("digest") is None:
        return report  # the load did not complete: nothing to vouch for
    digest_now = str(state["digest"]) if unchanged else digest()
    if state["digest"] != digest_now:
        return report  # another load completed meanwhile: its answers are its own
    if state.get("edited"):
        if not checked_all:
            report.withheld = ("ecokg wrote to the graph since it was loaded, which the content hashes "
                               "cannot see: `ecokg load neo4j --full` puts it back and loads the answers")
            return report
        session.execute_write(lambda tx: tx.run(f"MATCH (m:{STATE_LABEL} {{key: $key}}) REMOVE m.edited",
                                                key=STATE_KEY).consume())
    names = sorted(answers or ())
    if state.get("answers") == vouch(digest_now) and (not names or sorted(state.get("answered") or ()) == names):
        report.kept, report.questions = True, list(state.get("answered") or ())
        return report
    if not names and not session.run(f"MATCH (a:{ANSWER_LABEL}) RETURN count(a) AS c").single()["c"]:
        return report  # none to load and none there: write nothing (a load of an older build)
    session.execute_write(lambda tx: tx.run(withdraw_cypher(), key=STATE_KEY).consume())
    if not answers:
        report.deleted = _drain(session)
        return report
    session.run(index_statement()).consume()
    session.run("CALL db.awaitIndexes(300)").consume()
    new: dict[tuple[str, str, str, int], dict[str, Any]] = {}
    for name in names:
        table = answers.get(name)  # read from its file now
        if table is None:
            report.skipped[name] = "its saved answer cannot be read"
            continue
        try:
            nodes = list(answer_nodes(name, table))
        except ValueError as e:
            report.skipped[name] = str(e)
            continue
        new.update((_identity(n), n) for n in nodes)
        report.questions.append(name)
    # what is there, by identity (several nodes of one identity, or one without a hash: rewritten)
    old = {(r["q"], r["p"], r["k"], r["c"]): r["h"] for r in session.run(
        f"MATCH (a:{ANSWER_LABEL}) WITH a.question AS q, a.part AS p, a.key AS k, a.chunk AS c, "
        "collect(a.hash) AS hs RETURN q, p, k, c, CASE WHEN size(hs) = 1 THEN hs[0] END AS h")}
    if any(None in identity for identity in old):  # a node not of this ecokg's making: start afresh
        report.deleted += _drain(session)
        old = {}
    stale = [{"question": q, "part": p, "key": k, "chunk": c} for (q, p, k, c), h in old.items()
             if (q, p, k, c) not in new or h is None or new[(q, p, k, c)]["hash"] != h]
    for start in range(0, len(stale), DELETE_BATCH):
        chunk = stale[start:start + DELETE_BATCH]
        report.deleted += session.execute_write(lambda tx: tx.run(
            f"UNWIND $rows AS r MATCH (a:{ANSWER_LABEL} {{question: r.question, part: r.part, key: r.key}}) "
            "WHERE a.chunk = r.chunk DETACH DELETE a", rows=chunk).consume().counters.nodes_deleted)
    kept = {i for i, h in old.items() if i in new and h is not None and new[i]["hash"] == h}
    batch: list[dict[str, Any]] = []
    size = 0

    def flush() -> None:
        nonlocal batch, size
        if batch:
            session.execute_write(lambda tx: tx.run(f"UNWIND $rows AS r CREATE (a:{ANSWER_LABEL}) SET a = r",
                                                    rows=batch).consume())
            report.written += len(batch)
        batch, size = [], 0

    for identity, node in new.items():
        if identity in kept:
            continue
        batch.append(node)
        size += len(node["rows"])
        if size >= BATCH_CHARS or len(batch) >= BATCH_NODES:
            flush()
    flush()
    session.execute_write(lambda tx: tx.run(
        f"MATCH (m:{STATE_LABEL} {{key: $key}}) WHERE m.state = 'complete' AND m.digest = $digest "
        "SET m.answers = $vouch, m.answered = $names", key=STATE_KEY, digest=digest_now,
        vouch=vouch(digest_now), names=report.questions).consume())
    return report


# -- reading -----------------------------------------------------------------------------------------
class Reader:
    """Reads answer nodes through ``run`` (Cypher, parameters -> rows as dicts), each query checking
    that the answers still describe the graph (else :class:`StaleAnswers`)."""

    def __init__(self, run: Any, digest: str) -> None:
        self.run = run
        self.digest = digest

    def rows(self, cypher: str, **params: Any) -> list[dict[str, Any]]:
        """``cypher`` (which continues after ``m``, the load state) for these answers; StaleAnswers
        when they no longer describe the graph (no row for the state at all)."""
        out: list[dict[str, Any]] = self.run(
            f"MATCH (m:{STATE_LABEL} {{key: $key}}) WHERE {_VALID} WITH m {cypher}",
            {"key": STATE_KEY, "digest": self.digest, "vouch": vouch(self.digest), **params})
        if not out:
            raise StaleAnswers("the graph in Neo4j changed since its answers were offered")
        return out

    def whole(self, name: str) -> Any:
        """The rows of a question saved in chunks; None when there are none."""
        rows = self.rows(f"OPTIONAL MATCH (a:{ANSWER_LABEL} {{question: $question, part: '', key: ''}}) "
                         "RETURN a.chunk AS chunk, a.rows AS rows ORDER BY chunk", question=name)
        chunks = [r["rows"] for r in rows if r["rows"] is not None]
        if not chunks:
            return None
        return [row for text in chunks for row in _loads(text)]

    def keys(self, name: str, part: str, keys: list[str]) -> dict[str, Any]:
        """The rows of each of ``keys`` that has any (one query)."""
        rows = self.rows(f"UNWIND $keys AS k OPTIONAL MATCH (a:{ANSWER_LABEL} {{question: $question, part: $part, key: k}}) "
                         "RETURN k AS key, a.rows AS rows", question=name, part=part, keys=keys)
        return {r["key"]: _loads(r["rows"]) for r in rows if r["rows"] is not None}

    def all_keys(self, name: str, part: str) -> list[str]:
        rows = self.rows(f"OPTIONAL MATCH (a:{ANSWER_LABEL} {{question: $question, part: $part}}) "
                         "RETURN a.key AS key ORDER BY key", question=name, part=part)
        return [r["key"] for r in rows if r["key"] is not None]


class KeyedPart(Mapping[str, Any]):
    """One part of a keyed answer (key -> rows), read from Neo4j key by key and kept: ``get`` reads
    one key, :meth:`prefetch` the keys a join is about to read in one query. Iterating reads every
    key's name (a join never does)."""

    def __init__(self, reader: Reader, question: str, part: str) -> None:
        self._reader, self._question, self._part = reader, question, part
        self._rows: dict[str, Any] = {}
        self._absent: set[str] = set()
        self._lock = threading.Lock()

    def prefetch(self, keys: Iterable[str]) -> None:
        wanted = [k for k in dict.fromkeys(str(k) for k in keys) if k not in self._rows and k not in self._absent]
        if not wanted:
            return
        found = self._reader.keys(self._question, self._part, wanted)
        with self._lock:
            self._rows.update(found)
            self._absent.update(k for k in wanted if k not in found)

    def __getitem__(self, key: str) -> Any:
        try:
            return self._rows[key]  # read before (a join asks for each key it prefetched)
        except KeyError:
            pass
        if key in self._absent:
            raise KeyError(key)
        self.prefetch([key])
        try:
            return self._rows[str(key)]
        except KeyError:
            raise KeyError(key) from None

    def __contains__(self, key: object) -> bool:
        try:
            self[str(key)]
        except KeyError:
            return False
        return True

    def __iter__(self) -> Iterator[str]:
        return iter(self._reader.all_keys(self._question, self._part))

    def __len__(self) -> int:
        return len(self._reader.all_keys(self._question, self._part))

    def __repr__(self) -> str:
        return f"KeyedPart({self._question}/{self._part or '-'}, {len(self._rows)} keys read)"


class Neo4jAnswers(LazyAnswers):
    """The answers loaded with the graph of plan digest ``digest``, by question: a keyed answer as
    its parts (:class:`KeyedPart`, read per key), any other read whole on first use and kept."""

    def __init__(self, run: Any, digest: str, names: Iterable[str]) -> None:
        self.digest = digest
        self.names = tuple(names)
        self._reader = Reader(run, digest)
        super().__init__(names, self._table)

    def _table(self, name: str) -> Any:
        from ecokg.graph.questions.keyed import PARTS

        if name not in PARTS:
            return self._reader.whole(name)
        parts = PARTS[name]
        if not parts:
            return KeyedPart(self._reader, name, "")
        return {p: KeyedPart(self._reader, name, p) for p in parts}


def current(state: Mapping[str, Any] | None) -> tuple[str, list[str]] | None:
    """(digest, questions) of the answers the load state ``state`` vouches for, or None: only when
    the last load completed, its graph is the one they were computed for and they are of this
    ecokg's format (:func:`vouch`)."""
    if not state or state.get("state") != "complete":
        return None
    digest, answers = state.get("digest"), state.get("answers")
    if digest is None or answers != vouch(str(digest)):
        return None
    return str(digest), [str(n) for n in state.get("answered") or ()]


__all__ = ["ANSWER_LABEL", "AnswersReport", "CHUNK_ROWS", "KeyedPart", "Neo4jAnswers", "Reader", "answer_nodes",
           "current", "delete_all", "index_statement", "invalidate_cypher", "load", "state_cypher", "vouch"]
