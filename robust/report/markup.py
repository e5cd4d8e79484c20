"""The report as a list of blocks, rendered to markdown and to a self-contained HTML page."""

from __future__ import annotations

import base64
import html
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
        elif isinstance(block, Figure):
            parts.append(f"![{block.caption}]({block.path})\n\n*{block.caption}*")
        elif isinstance(block, Code):
            parts.append(f"```\n{block.text}\n```")
        elif isinstance(block, Interactive):
            parts.append(block.note)
    return "\n\n".join(parts) + "\n"


def _inline_html(text: str) -> str:
    """Escape, then render the two inline forms the report uses: **bold** and `code`."""
    escaped = html.escape(text)
    pieces = escaped.split("**")
    escaped = "".join(f"<strong>{p}</strong>" if i % 2 else p for i, p in enumerate(pieces))
    pieces = escaped.split("`")
    return "".join(f"<code>{p}</code>" if i % 2 else p for i, p in enumerate(pieces))


def to_html(blocks, folder: Path, title: str) -> str:
    """The blocks as one HTML page, figures embedded (read from ``folder``)."""
    body = []
    for block in blocks:
        if isinstance(block, Heading):
            body.append(f"<h{block.level}>{_inline_html(block.text)}</h{block.level}>")
        elif isinstance(block, Paragraph):
            body.append(f"<p>{_inline_html(block.text)}</p>")
        elif isinstance(block, Bullets):
            body.append("<ul>" + "".join(f"<li>{_inline_html(i)}</li>" for i in block.items) + "</ul>")
        elif isinstance(block, Table):
            frame = block.frame.astype(str)
            head = "".join(f"<th>{_inline_html(c)}</th>" for c in frame.columns)
            rows = "".join("<tr>" + "".join(f"<td>{_inline_html(c)}</td>" for c in row) + "</tr>"
                           for row in frame.itertuples(index=False))
            body.append(f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>")
        elif isinstance(block, Figure):
            data = base64.b64encode((folder / block.path).read_bytes()).decode("ascii")
            body.append(f'<figure><img alt="{html.escape(block.caption)}" '
                        f'src="data:image/png;base64,{data}"><figcaption>'
                        f"{_inline_html(block.caption)}</figcaption></figure>")
        elif isinstance(block, Code):
            body.append(f"<pre>{html.escape(block.text)}</pre>")
        elif isinstance(block, Interactive):
            body.append(block.html)
    style = ("body{font-family:sans-serif;max-width:70em;margin:2em auto;padding:0 1em;line-height:1.45}"
             "table{border-collapse:collapse;font-size:90%;margin:1em 0}"
             "th,td{border:1px solid #bbb;padding:.25em .5em;text-align:left}th{background:#eee}"
             "img{max-width:100%}figure{margin:1.5em 0}figcaption{font-style:italic;color:#333}"
             "pre{background:#f4f4f4;padding:1em;overflow-x:auto}code{background:#f4f4f4}"
             ".slider{display:block;margin:.2em 0}.slider input{vertical-align:middle;width:18em}"
             "#explorer svg{border:1px solid #ddd;margin:.5em 0}")
    return (f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}'
            f"</title><style>{style}</style></head><body>\n" + "\n".join(body) + "\n</body></html>\n")
