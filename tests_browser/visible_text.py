"""What a page shows must be Chinese and finished: no template leftovers ({# #} written over
several lines is printed, not hidden) and no English word outside a few that users know.
Used by the browser tests on every page they open and by the ordinary page tests on the
text of the pages they render."""

import re
from html.parser import HTMLParser

TEMPLATE_LEFTOVERS = ("{#", "#}", "{%", "%}", "{{", "}}")

# Words a clerk reads as they are: file kinds, the ID of an ID number, units of size.
ALLOWED_WORDS = frozenset({"ID", "PDF", "Excel", "xlsx", "xls", "csv", "CSV", "JPG", "JPEG", "PNG", "KB", "MB"})

# Letters with a digit beside them are a code (KF01, a catalogue item), not a word.
WORD = re.compile(r"(?<![A-Za-z0-9])[A-Za-z]{2,}(?![A-Za-z0-9])")


def text_problems(text: str) -> list[str]:
    """The leftovers and English words in a page's visible text, for an assertion message."""
    problems = [f"template leftover {mark!r}" for mark in TEMPLATE_LEFTOVERS if mark in text]
    words = sorted({w for w in WORD.findall(text) if w not in ALLOWED_WORDS})
    if words:
        problems.append(f"English words {words}")
    return problems


class _TextParser(HTMLParser):
    """The text of an HTML page a browser would show: outside tags, scripts and styles."""

    SKIP = {"script", "style", "title", "head"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            self._skipping += 1

    def handle_endtag(self, tag):
        if tag in self.SKIP and self._skipping:
            self._skipping -= 1

    def handle_data(self, data):
        if not self._skipping:
            self.parts.append(data)


def html_text(html: str) -> str:
    parser = _TextParser()
    parser.feed(html)
    parser.close()
    return " ".join(parser.parts)
