"""Forum text dumps: a thread page as someone copied it, into a ParsedThread.

Every content line ends up, word for word, in the title, the question or one reply;
furniture (see lines.py) never does. Where replies begin and end is decided, in
order of trust, by bullets, then author headers, then runs of blank lines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

from kbapp.importing.lines import Line, classify, name_like
from kbapp.importing.types import ParsedReply, ParsedThread, ParseError

# How replies open, searched in prose; lines.py's patterns name whole furniture lines.
GREETING = re.compile(r"^(?:hi|hello|hey|morning|evening|thanks|thank you|cheers)\b", re.I)
# How a new reply often opens when the dump lost the breaks between replies.
OPENER = re.compile(
    r"^(?:(?:hi|hello|hey|dear)\b[^.!?\n]{0,30},|(?:thanks|thank you)(?: all| everyone| guys)?"
    r" for (?:your|the|all the) (?:replies|comments|advice|answers|responses|help|support))",
    re.IGNORECASE,
)
USER_NAME = re.compile(r"[^\s.,!?;:()\"“”']{2,40}")
SENTENCE = re.compile(r"(?<=[.!?])\s|\n")
TITLE_MAX = 200
DERIVED_TITLE_MAX = 80


@dataclass
class Block:
    """The question or one reply while it is being read."""

    author: str = ""
    in_reply_to: str = ""
    posted_at: datetime | None = None
    paragraphs: list[list[str]] = field(default_factory=list)
    blanks: int = 0

    @property
    def has_content(self) -> bool:
        return bool(self.paragraphs)

    def add(self, text: str) -> None:
        if self.blanks or not self.paragraphs:
            self.paragraphs.append([])
        self.paragraphs[-1].append(text)
        self.blanks = 0

    def pop_last_line(self) -> str:
        line = self.paragraphs[-1].pop()
        if not self.paragraphs[-1]:
            self.paragraphs.pop()
        return line

    def text(self) -> str:
        return "\n\n".join("\n".join(p) for p in self.paragraphs)


def one_paragraph_a_line(lines: list[Line]) -> bool:
    """No blank line between content lines, and a page title after the question: the copy
    kept one paragraph a line, so after the title each line is one reply."""
    kinds = [line.kind for line in lines if line.kind != "drop"]
    filled = [i for i, kind in enumerate(kinds) if kind != "blank"]
    if not filled:
        return False
    inner = kinds[filled[0] : filled[-1] + 1]
    if "blank" in inner or "page_title" not in inner:
        return False
    # The title bar first, then the question and a reply a line, is the same layout.
    return inner[0] == "content" or inner.count("content") >= 2


def split_mode(lines: list[Line]) -> str:
    """How replies are delimited in this dump: bullets, headers, lines, double or single
    blanks."""
    if any(line.kind == "content" and line.bullet for line in lines):
        return "bullets"
    if sum(line.kind in {"header", "footer", "posts", "level"} for line in lines) >= 2:
        return "headers"
    if one_paragraph_a_line(lines):
        return "lines"
    run, longest = 0, 0
    for line in lines:
        if line.kind == "blank":
            run += 1
        elif line.kind != "drop":
            longest, run = (max(longest, run) if line.kind == "content" else longest), 0
    return "double" if longest >= 2 else "single"


class Segmenter:
    """Walks classified lines once, building the question and the replies."""

    def __init__(self, lines: list[Line]) -> None:
        self.lines = lines
        self.mode = split_mode(lines)
        self.has_count = any(line.kind == "reply_count" for line in lines)
        self.question = Block()
        self.replies: list[Block] = []
        self.current: Block | None = self.question
        self.in_replies = False
        self.title_hint = ""
        self.community = ""
        self.skipping_featured = False
        self.author_follows = False
        self.declared_replies = 0
        self.title_line_seen = False

    def run(self) -> Segmenter:
        for line in self.lines:
            if line.kind == "end":
                break
            if self.skipping_featured:
                self.skipping_featured = line.kind not in {"blank", "header", "reply_count"}
                if self.skipping_featured or line.kind == "blank":
                    continue
            getattr(self, f"on_{line.kind}")(line)
        if self.mode in {"double", "single"}:
            self.split_at_openers()
        if self.mode == "bullets":
            for block in self.replies:
                take_bullet_author(block)
        return self

    def split_at_openers(self) -> None:
        """When the dump says more replies than its blank lines showed, split at greetings."""
        missing = self.declared_replies - len(self.replies)
        result: list[Block] = []
        for block in self.replies:
            result.append(block)
            after = len(result)
            for i in range(len(block.paragraphs) - 1, 0, -1):
                if missing > 0 and OPENER.match(block.paragraphs[i][0]):
                    result.insert(after, Block(paragraphs=block.paragraphs[i:]))
                    del block.paragraphs[i:]
                    missing -= 1
        self.replies = result

    def start_reply(self, author: str = "", in_reply_to: str = "") -> Block:
        self.in_replies = True
        self.current = Block(author=author, in_reply_to=in_reply_to)
        self.replies.append(self.current)
        return self.current

    def fresh_reply(self) -> Block | None:
        """The reply just opened by a header, before any of its text arrived."""
        current = self.current
        if current is not None and current is not self.question and not current.has_content:
            return current
        return None

    def on_blank(self, line: Line) -> None:
        if self.current is not None and self.current.has_content:
            self.current.blanks += 1

    def on_drop(self, line: Line) -> None:
        pass

    def on_featured(self, line: Line) -> None:
        self.skipping_featured = True

    def on_page_title(self, line: Line) -> None:
        # The browser's title bar, wherever the copy put it; prose of that shape stays prose.
        first = not (self.question.has_content or self.replies)
        if self.title_hint or not (first or line.community[:1].isupper()):
            self.on_content(Line("content", text=line.text))
            return
        self.title_hint = line.title
        self.community = line.community

    def on_group_stats(self, line: Line) -> None:
        # The group's name is the line right above its member and post counts.
        block = self.current
        if block is not None and block.has_content and name_like_group(block.paragraphs[-1][-1]):
            self.community = block.pop_last_line()
            block.blanks = 1 if block.has_content else 0

    def on_community(self, line: Line) -> None:
        self.community = self.community or line.community

    def on_reply_count(self, line: Line) -> None:
        self.declared_replies = int(re.sub(r"\D", "", line.text.split()[0]) or 0)
        self.in_replies = True
        self.current = None

    def on_header(self, line: Line) -> None:
        asker = self.question.author
        if not self.in_replies and self.question_is_title_only() and asker in {"", line.author}:
            self.question.author = line.author
            return
        if fresh := self.fresh_reply():
            fresh.author = fresh.author or line.author
            fresh.in_reply_to = fresh.in_reply_to or line.in_reply_to
            return
        self.start_reply(line.author, line.in_reply_to)

    def on_reply_to(self, line: Line) -> None:
        if fresh := self.fresh_reply():
            fresh.in_reply_to = line.in_reply_to
        else:
            self.start_reply(in_reply_to=line.in_reply_to)

    def on_author_follows(self, line: Line) -> None:
        self.author_follows = True

    def on_level(self, line: Line) -> None:
        # "level 2" then the author's name: a new reply, however the name is written.
        self.in_replies = True
        self.current = None
        self.author_follows = True

    def on_footer(self, line: Line) -> None:
        # "posted by NAME at TIME on DATE" closes the post above it.
        block = self.current
        if block is not None and block.has_content:
            block.author = block.author or line.author
            block.posted_at = block.posted_at or line.posted_at
        self.in_replies = True
        self.current = None

    def on_posts(self, line: Line) -> None:
        # "Posts: 133 Member" sits under the author's name, which opens the post.
        block = self.current
        author = ""
        at_name = block is not None and block.has_content and block.blanks == 0
        if at_name and name_like(block.paragraphs[-1][-1]):
            author = block.pop_last_line()
        if not self.in_replies and self.question_is_title_only():
            self.question.author = self.question.author or author
            self.question.blanks = 1 if self.question.has_content else 0
            return
        self.start_reply(author)

    def on_content(self, line: Line) -> None:
        if self.author_follows and name_like(line.text):
            self.author_follows = False
            self.on_header(Line("header", author=line.text))
            return
        self.author_follows = False
        fresh = self.fresh_reply()
        if fresh is not None and line.text == fresh.author:
            return  # the name repeated under its profile picture
        asker = self.current is self.question and line.text == self.question.author
        if asker and self.question_is_title_only():
            return
        if self.needs_new_reply(line):
            self.start_reply()
        self.current.add(line.text)

    def needs_new_reply(self, line: Line) -> bool:
        current = self.current
        if current is None:
            return True
        if self.mode == "lines":
            return self.line_starts_reply(line)
        if line.bullet:
            return current.has_content or current is self.question
        if not current.has_content or self.mode in {"bullets", "headers"}:
            return False
        wanted = 2 if self.mode == "double" else 1
        # Without a reply count, blank lines end the question, but never right after a title.
        in_question = current is self.question and not self.in_replies
        if in_question and self.has_count:
            return False
        if in_question and self.question_is_title_only() and title_like(current.text()):
            return False
        return current.blanks >= wanted

    def line_starts_reply(self, line: Line) -> bool:
        """One paragraph a line: the question up to the page title, then the title, then a
        reply a line."""
        question = self.current is self.question
        is_title = line.text == self.title_hint and not self.title_line_seen
        if question and (not self.title_hint or is_title or not self.question.has_content):
            self.title_line_seen = self.title_line_seen or is_title
            self.question.blanks = 1  # each line its own paragraph
            return False
        return True

    def question_is_title_only(self) -> bool:
        # A title the copy repeated (page header, then heading) is still only a title.
        paragraphs = self.question.paragraphs
        return all(p == paragraphs[0] and len(p) == 1 for p in paragraphs)


def take_bullet_author(block: Block) -> None:
    """ "• Name" over the reply's text: a user name (one word, no greeting) is its author."""
    first = block.paragraphs[0] if block.paragraphs else []
    if block.author or len(block.paragraphs) < 2 or len(first) != 1:
        return
    if USER_NAME.fullmatch(first[0]) and not GREETING.match(first[0]):
        block.author = block.paragraphs.pop(0)[0]


def name_like_group(text: str) -> bool:
    return len(text) <= 80 and not text.endswith((".", "!", "?", ","))


def title_like(text: str) -> bool:
    return (
        len(text) <= TITLE_MAX
        and len(text.split()) <= 25
        and not text.endswith((".", ",", ":", ";"))
        and not GREETING.match(text)
    )


def derive_title(text: str) -> str:
    first = SENTENCE.split(text.strip(), maxsplit=1)[0].strip()
    if len(first) <= DERIVED_TITLE_MAX:
        return first
    return first[:DERIVED_TITLE_MAX].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def take_title(question: Block, hint: str) -> tuple[str, bool]:
    """The thread's title, removed from the question's paragraphs; True when derived."""
    paragraphs = question.paragraphs
    single = [i for i, p in enumerate(paragraphs) if len(p) == 1]
    if hint:
        for i in single:
            if paragraphs[i][0] == hint:
                return paragraphs.pop(i)[0], False
        return hint, False
    if len(paragraphs) >= 2 and 0 in single and title_like(paragraphs[0][0]):
        return paragraphs.pop(0)[0], False
    last = len(paragraphs) - 1
    closing = paragraphs[last][0] if last in single else ""
    if len(paragraphs) >= 2 and title_like(closing) and len(closing.split()) >= 3:
        return paragraphs.pop(last)[0], False
    return "", True


def parse_text_dump(text: str) -> ParsedThread:
    lines = [classify(raw) for raw in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    seg = Segmenter(lines).run()
    title, derived = take_title(seg.question, seg.title_hint)
    # The title repeated (browser title bar, then the page heading) is said once.
    seg.question.paragraphs = [p for p in seg.question.paragraphs if p != [title]]
    body = seg.question.text()
    replies = tuple(
        ParsedReply(
            body=r.text(), author=r.author, in_reply_to=r.in_reply_to, posted_at=r.posted_at
        )
        for r in seg.replies
        if r.has_content
    )
    if derived:
        source = body or (replies[0].body if replies else "")
        title = derive_title(source)
    if not title and not body and not replies:
        raise ParseError("no thread text found (only page furniture)")
    return ParsedThread(
        title=title,
        body=body,
        replies=replies,
        community=seg.community,
        author=seg.question.author,
        posted_at=seg.question.posted_at,
        title_derived=derived,
    )
