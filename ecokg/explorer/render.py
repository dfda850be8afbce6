"""Pages from templates (Jinja2, autoescaping on), with the headers every explorer response carries.

Every value a template shows is escaped by Jinja2 (``autoescape=True``; no template marks data
``|safe``); data that the page's script needs travels in ``data-`` attributes (escaped too) or
comes from the JSON routes, never inside a ``<script>``. The Content-Security-Policy allows
scripts, styles and requests from this server only: no inline script, nothing from elsewhere.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any
from urllib.parse import quote

from jinja2 import Environment, PackageLoader, StrictUndefined
from starlette.responses import HTMLResponse, JSONResponse, Response

from ecokg.explorer.reads import entity_key
from ecokg.ontology.schema import get_schema
from ecokg.ontology.terms import D

#: Scripts, styles, images and requests from this server only; no inline script; no frames; forms post here.
POLICY = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
          "font-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
HEADERS = {"Content-Security-Policy": POLICY, "X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer",
           "X-Frame-Options": "DENY", "Cache-Control": "no-store"}


def entity_url(iri: str) -> str:
    """The explorer URL of an entity (its IRI's local id, each part percent-encoded)."""
    return "/entity/" + quote(entity_key(iri), safe="/")


def class_label(cls: str) -> str:
    """``Insurer`` -> ``insurer 保险机构`` (both labels from the ontology)."""
    schema = get_schema()
    if not cls:
        return ""
    en, zh = schema.label(cls, "en"), schema.label(cls, "zh")
    return en if zh == cls or zh == en else f"{en} {zh}"


def term_label(term: str) -> str:
    """The English and Chinese label of an ontology property (or its local name)."""
    return class_label(term)


def colour(cls: str) -> str:
    """The ontology's display colour of a class (grey when it has none)."""
    schema = get_schema()
    return (schema.colour(cls) or "#888888") if cls in schema.classes else "#888888"


#: How the bases of evidence read on a page; a basis not listed here shows as itself (another source).
BASIS_LABELS = {"bluebook": "Blue Book", "curated": "curated", "user-data": "deal data"}


def basis_label(basis: str) -> str:
    """``bluebook`` -> ``Blue Book``; other sources by their basis (``superclue``, ``llm-list``)."""
    return BASIS_LABELS.get(basis, basis)


@lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(loader=PackageLoader("ecokg.explorer", "templates"),
                      autoescape=True,
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.globals.update(entity_url=entity_url, entity_key=entity_key, class_label=class_label, term_label=term_label,
                       colour=colour, basis_label=basis_label, D=D,
                       # the values of a post that its line shows itself (the others are listed after it)
                       post_values=(D.title, D.role, D.isFormer, D.remit, D.orgAsWritten),
                       quote=lambda s: quote(str(s), safe=""))
    return env


def page(template: str, code: int = 200, **context: Any) -> HTMLResponse:
    """A page rendered from ``template`` with the explorer's headers."""
    html = environment().get_template(template).render(**context)
    return HTMLResponse(html, code, headers=HEADERS)


def error_page(status: int, message: str) -> HTMLResponse:
    """A clear error page (the message only: never a stack trace)."""
    return page("error.html", status, title="Error", status=status, message=message)


def json_response(data: Any, status: int = 200) -> Response:
    return JSONResponse(data, status, headers=HEADERS)


__all__ = ["HEADERS", "POLICY", "class_label", "entity_url", "environment", "error_page", "json_response", "page"]
