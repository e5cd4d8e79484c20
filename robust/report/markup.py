"""The report as a list of blocks, rendered to markdown and to a self-contained HTML page."""

from __future__ import annotations

import base64
import html
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd


@dataclass(frozen=True)
class Heading:
    text: str
    level: int = 2


@dataclass(frozen=True)
class Paragraph:
    text: str


@dataclass(frozen=True)
class Bullets:
    items: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    frame: pd.DataFrame


@dataclass(frozen=True)
class Figure:
    path: str      # relative to the result folder
    caption: str


@dataclass(frozen=True)
class Code:
    text: str


@dataclass(frozen=True)
class Interactive:
    """A piece of HTML (with its script) for the page, and the sentence that stands for it in markdown."""

    html: str
    note: str


def to_markdown(blocks) -> str:
    """The blocks as markdown."""
    parts = []
    for block in blocks:
        if isinstance(block, Heading):
            parts.append(f"{'#' * block.level} {block.text}")
        elif isinstance(block, Paragraph):
            parts.append(block.text)
        elif isinstance(block, Bullets):
            parts.append("\n".join(f"- {item}" for item in block.items))
        elif isinstance(block, Table):
            frame = block.frame.astype(str)
            header = "| " + " | ".join(frame.columns) + " |"
            rule = "|" + "|".join("---" for _ in frame.columns) + "|"
            rows = ["| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |"
                    for row in frame.itertuples(index=False)]
            parts.append("\n".join([header, rule, *rows]))
        elif isinstance(block, Figure) and not block.path.endswith(".png"):
            parts.append(f"[{block.caption}]({block.path})")
        elif isinstance(block, Figure):
            parts.append(f"![{block.caption}]({block.path})\n\n*{block.caption}*")
        elif isinstance(block, Code):
            parts.append(f"```\n{block.text}\n```")
        elif isinstance(block, Interactive):
            parts.append(block.note)
    return "\n\n".join(parts) + "\n"


def _markdown():
    """The markdown renderer of the page: CommonMark with tables, raw HTML off (text is escaped)."""
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": False}).enable("table")


def slug(text: str) -> str:
    """The anchor of a heading: lower case, words joined by hyphens."""
    return re.sub(r"[^0-9a-z\u4e00-\u9fff]+", "-", text.lower()).strip("-") or "section"


SHORT_CELL = 28  # table cells this short are kept on one line


def to_html(blocks, folder: Path, title: str, *, subtitle: str = "") -> str:
    """The blocks as one HTML page (markdown rendered by markdown-it-py), figures embedded
    (read from ``folder``), a table of contents of the second-level headings, the config
    (a :class:`Code` block) folded in ``<details>``, and a print stylesheet."""
    md = _markdown()
    inline = md.renderInline
    body, contents = [], []
    for block in blocks:
        if isinstance(block, Heading):
            anchor = slug(block.text)
            if block.level == 2:
                contents.append(f'<li><a href="#{anchor}">{inline(block.text)}</a></li>')
            body.append(f'<h{block.level} id="{anchor}">{inline(block.text)}</h{block.level}>')
            if block.level == 1 and subtitle:
                body.append(f'<p class="subtitle">{html.escape(subtitle)}</p>')
        elif isinstance(block, (Paragraph, Bullets)):
            body.append(md.render(to_markdown([block])))
        elif isinstance(block, Table):
            frame = block.frame.astype(str)
            head = "".join(f"<th>{inline(c)}</th>" for c in frame.columns)
            rows = "".join("<tr>" + "".join(_cell(c, inline) for c in row) + "</tr>"
                           for row in frame.itertuples(index=False))
            body.append(f'<div class="wide"><table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table></div>')
        elif isinstance(block, Figure) and not block.path.endswith(".png"):
            body.append(f'<p><a href="{html.escape(block.path)}">{inline(block.caption)}</a> (PDF, beside this '
                        "page)</p>")
        elif isinstance(block, Figure):
            data = base64.b64encode(_embedded_png(folder / block.path)).decode("ascii")
            body.append(f'<figure><img alt="{html.escape(block.caption)}" '
                        f'src="data:image/png;base64,{data}"><figcaption>'
                        f"{inline(block.caption)}</figcaption></figure>")
        elif isinstance(block, Code):
            body.append(f"<details><summary>The resolved config (JSON)</summary><pre>{html.escape(block.text)}"
                        "</pre></details>")
        elif isinstance(block, Interactive):
            body.append(block.html)
    if contents:
        position = next((i for i, part in enumerate(body) if part.startswith("<h2")), len(body))
        body.insert(position, '<nav class="contents"><strong>Contents</strong><ul>' + "".join(contents)
                    + "</ul></nav>")
    return (f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><meta name="viewport" '
            f'content="width=device-width, initial-scale=1"><title>{html.escape(title)}</title>'
            f"<style>{STYLE}</style></head><body>\n" + "\n".join(body) + "\n</body></html>\n")


def _cell(text: str, inline) -> str:
    short = ' class="short"' if len(text) <= SHORT_CELL else ""
    return f"<td{short}>{inline(text)}</td>"


STYLE = (
    "body{font-family:sans-serif;max-width:76em;margin:2em auto;padding:0 1em;line-height:1.45;color:#111}"
    ".subtitle{color:#444;margin-top:-.5em}"
    "nav.contents{background:#f6f6f6;border:1px solid #ddd;padding:.5em 1em;margin:1em 0;display:inline-block}"
    "nav.contents ul{margin:.3em 0;padding-left:1.2em}"
    ".wide{overflow-x:auto}"
    "table{border-collapse:collapse;font-size:88%;margin:1em 0}"
    "th,td{border:1px solid #bbb;padding:.25em .5em;text-align:left;vertical-align:top}th{background:#eee}"
    "td.short{white-space:nowrap}td:not(.short){min-width:9em}"
    "img{max-width:100%}figure{margin:1.5em 0}figcaption{font-style:italic;color:#333}"
    "pre{background:#f4f4f4;padding:1em;overflow-x:auto}code{background:#f4f4f4}"
    "details{margin:1em 0}summary{cursor:pointer}"
    ".slider{display:block;margin:.2em 0}.slider input{vertical-align:middle;width:18em}"
    "#explorer svg{border:1px solid #ddd;margin:.5em 0}"
    "@media print{body{max-width:none;margin:0;font-size:10pt}nav.contents,#explorer{display:none}"
    "table{font-size:8pt}figure,table,tr{page-break-inside:avoid}h2{page-break-after:avoid}"
    "details>pre{display:none}a{color:inherit;text-decoration:none}}"
)


def _embedded_png(path: Path) -> bytes:
    """The PNG re-encoded with a palette of at most 256 colours, for the page (about a third of
    the bytes; the figures are flat colours, hatching and text); the file beside it stays as drawn."""
    import io

    from PIL import Image

    with Image.open(path) as image:
        paletted = image.convert("RGB").quantize(colors=256, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE)
        buffer = io.BytesIO()
        paletted.save(buffer, format="png")
    return buffer.getvalue()

