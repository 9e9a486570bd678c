"""The parts of an entity page made many times over (a value, a fact, a row of a section), the
fact and section blocks holding them, and the counts of every page, written in Python instead of
Jinja macros.

Why: the macros were imported "with context", and such a macro keeps the page's context, which
keeps everything the page was made of (its description, facts and rows: some 500 objects a page)
in a reference cycle. Only the cycle collector could free them, and it walked them again and
again: 0.5 s of every 10 s of pages, in pauses of up to 50 ms that stopped every request of the
process (bench/bench_web.py's p99). Here each page's objects go when the request ends. Calls are
cheaper too (a macro call makes a frame and a context). Same markup, every text escaped
(markupsafe.escape); the templates call these as globals (`register`).
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask
from jinja2 import pass_context
from jinja2.runtime import Context
from markupsafe import Markup, escape

from lod.describe import Value
from lod.dumps import number_text
from lod.facts.model import Facts, Row, Section
from lod.i18n import DEFAULT_LANGUAGE, t


def _lang_attribute(v: Value) -> str:
    return f' lang="{escape(v.language)}"' if v.language else ""


def value_html(v: Value) -> Markup:
    """A statement's value: a link, a literal with its language and datatype, or a blank node's
    statements nested (what _value.html's macro gave)."""
    return Markup(_value(v))


def _value(v: Value) -> str:
    if v.children:
        parts = ['<dl class="nested">']
        if v.text:
            parts.append(f'<div class="nested-label">{escape(v.text)}</div>')
        parts += [
            f'<div><dt title="{escape(s.predicate)}">{escape(s.predicate_label)}</dt>'
            f"<dd>{_value(s.value)}</dd></div>"
            for s in v.children
        ]
        parts.append("</dl>")
        return "\n".join(parts)
    if v.href:
        return f'<a href="{escape(v.href)}">{escape(v.text)}</a>'
    datatype = f' <small class="datatype">{escape(v.datatype)}</small>' if v.datatype else ""
    return f"<span{_lang_attribute(v)}>{escape(v.text)}</span>{datatype}"


def fact_html(v: Value) -> Markup:
    """A fact's value: a link or a text, in its language."""
    return Markup(_fact(v))


def _fact(v: Value) -> str:
    if v.href:
        return f'<a href="{escape(v.href)}"{_lang_attribute(v)}>{escape(v.text)}</a>'
    return f"<span{_lang_attribute(v)}>{escape(v.text)}</span>"


def row_html(r: Row, lang: str) -> Markup:
    """One row of a section: the entity linked, then what tells it apart."""
    parts = [f'<li>\n  <span class="row-title">{_fact(r.value)}</span>']
    if r.details:
        details = "".join(f"<span>{escape(d)}</span>" for d in r.details)
        parts.append(f'<span class="details">{details}</span>')
    parts += [
        f'<span class="labelled">{escape(t(key, lang))}: <span>{escape(text)}</span></span>'
        for key, text in r.labelled
    ]
    parts += [
        f'<span class="count">{escape(t(key, lang, count=number_text(n, lang)))}</span>'
        for key, n in r.counts
    ]
    parts += [
        f'<a class="external" rel="external noopener" href="{escape(link.href or "")}">'
        f"{escape(link.text)}</a>"
        for link in r.external
    ]
    if r.links:
        links = "".join(f"<li>{_fact(link)}</li>" for link in r.links)
        parts.append(f'<ul class="inline sub">{links}</ul>')
    parts.append("</li>")
    return Markup("\n  ".join(parts))


def fields_html(f: Facts, lang: str) -> Markup:
    """The entity's facts, field by field (lod.facts.Facts.fields)."""
    parts = [
        '<section class="facts" aria-labelledby="facts-h">',
        f'  <h2 id="facts-h" class="visually-hidden">{escape(t("facts.summary_heading", lang))}</h2>',
        '  <dl class="summary">',
    ]
    for name, values in f.fields.items():
        if len(values) == 1:
            shown = _fact(values[0])
        else:
            shown = '<ul class="values">' + "".join(f"<li>{_fact(v)}</li>" for v in values) + "</ul>"
        heading = escape(t("facts." + name, lang))
        parts.append(f'    <div data-field="{escape(name)}"><dt>{heading}</dt><dd>{shown}</dd></div>')
    parts += ["  </dl>", "</section>"]
    return Markup("\n".join(parts))


def section_html(s: Section, page_size: int, lang: str) -> Markup:
    """A section listing related entities, one page of it, under group headings, with its pager."""
    name = escape(s.name)
    total = number_text(s.total, lang)
    parts = [
        f'<section class="related" id="{name}" data-section="{name}" aria-labelledby="{name}-h">',
        f'  <h2 id="{name}-h">{escape(t("facts.section." + s.name, lang))}'
        f' <span class="total">({total})</span></h2>',
    ]
    if s.note:
        parts.append(f'  <p class="note">{escape(t(s.note, lang))}</p>')
    for group, rows in s.groups():
        if group:
            parts.append(f'  <h3 class="group">{escape(group)}</h3>')
        parts.append('  <ul class="rows">' + "".join(row_html(r, lang) for r in rows) + "</ul>")
    if s.offset or s.more:
        shown = t(
            "facts.range",
            lang,
            first=number_text(s.offset + 1, lang),
            last=number_text(s.offset + len(s.rows), lang),
            total=total,
        )
        parts.append(f'  <p class="pager">\n    <span>{escape(shown)}</span>')
        if s.offset:
            back = max(s.offset - page_size, 0)
            parts.append(f'    <a href="?{name}={back}#{name}">← {escape(t("facts.previous", lang))}</a>')
        if s.more:
            parts.append(
                f'    <a href="?{name}={s.offset + len(s.rows)}#{name}">{escape(t("facts.next", lang))} →</a>'
            )
        parts.append("  </p>")
    parts.append("</section>")
    return Markup("\n".join(parts))


@pass_context
def number(context: Context, n: int) -> str:
    """A count in the page's language: "1.234" in Vietnamese, "1,234" in English."""
    return number_text(n, context.get("lang") or DEFAULT_LANGUAGE)


@pass_context
def holdings(context: Context, library: object) -> str:
    """The "N records, M items" of a library (a summary with `records` and `items`)."""
    lang = context.get("lang") or DEFAULT_LANGUAGE
    records = number_text(getattr(library, "records", 0) or 0, lang)
    items = number_text(getattr(library, "items", 0) or 0, lang)
    return t("library.holdings", lang, records=records, items=items)


FRAGMENTS: dict[str, Callable[..., object]] = {
    "number": number,
    "holdings": holdings,
    "value": value_html,
    "fact": fact_html,
    "row": row_html,
    "fields": fields_html,
    "section": section_html,
}
"""Template global name -> function."""


def register(app: Flask) -> None:
    app.jinja_env.globals.update(FRAGMENTS)
