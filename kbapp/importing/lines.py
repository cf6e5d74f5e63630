"""What one line of a forum page is: content, or furniture that may carry metadata.

Real dumps are whatever someone copied out of a browser: group headers, counts,
badges glued to names ("BluebirdrunnerGraduate"), buttons, vote counts and other
forums' markers. Each is recognised here, line by line, so the segmenter in
text.py only ever sees content lines and typed markers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime

BADGES = (
    "Administrator",
    "Admin",
    "Moderator",
    "Graduate",
    "Mentor",
    "Ambassador",
    "Volunteer",
    "Champion",
)
BULLET = re.compile(r"^\s*[•●▪◦‣]\s*")
NAME_LIKE = re.compile(r"^[^\s.,!?;:()\"“”]+(?: [^\s.,!?;:()\"“”]+){0,3}$")

PAGE_TITLE = re.compile(r"^(?P<title>.+?): (?P<snippet>.*?)(?:\.\.\.|…) - (?P<community>.{1,80})$")
GROUP_STATS = re.compile(r"^[\d,.]+\s*members?\s*[\d,.]+\s*posts?$", re.IGNORECASE)
REPLY_COUNT = re.compile(
    r"^(?:[\d,]+\s+(?:replies|reply|comments?|answers?|responses?)(?: total)?"
    r"|(?:replies|comments|answers)\s*[(:]?\s*[\d,]+\)?)$",
    re.IGNORECASE,
)
END_OF_THREAD = re.compile(
    r"^(?:You may also like|Related (?:posts|threads|discussions|questions)|Similar "
    r"(?:posts|threads|discussions)|More from this community|Recommended for you)\b.{0,20}$",
    re.IGNORECASE,
)
# Searched, never matched from the start with a lazy prefix: that backtracks quadratically.
IN_REPLY_TO = re.compile(r"\bin reply to\b")
# Furniture is short; longer lines are prose, and no pattern ever sees them (linear time).
FURNITURE_MAX = 400
PROFILE_IMAGE = re.compile(r"^(?P<who>.+?) profile image$", re.IGNORECASE)
WRITTEN_BY = re.compile(r"^Written by:?\s*(?P<who>.*)$", re.IGNORECASE)
GLUED_BADGE = re.compile(rf"^(?P<who>\S{{2,40}}?)(?:{'|'.join(BADGES)})$")
REDDIT_USER = re.compile(r"^(?:Posted by\s+)?u/(?P<who>[\w-]{2,40})(?P<rest>.{0,40})$")
OLD_REDDIT = re.compile(r"^\[[–-]\]\s*(?P<who>[\w-]{2,40})\s+[-\d,]+ points?\b.{0,60}$")
POSTED_BY_AT = re.compile(
    r"^posted by (?P<who>.+?) at (?P<time>\d{1,2}:\d{2}\s*[AP]M) on "
    r"(?P<date>[A-Z][a-z]+ \d{1,2},? \d{4})\b.{0,80}$",
    re.IGNORECASE,
)
SUBREDDIT = re.compile(r"^r/[A-Za-z0-9_]{2,21}$")
POSTS_COUNT = re.compile(r"^Posts:\s*[\d,]+(?:\s+\w+){0,2}$", re.IGNORECASE)
# "    name Posts: 276 Member": the profile line with the name on it.
NAMED_POSTS = re.compile(r"^(?P<who>\S{1,40}) Posts:\s*[\d,]+(?:\s+\w+){0,2}$", re.IGNORECASE)
# Threaded forums: "level 2" opens a reply whose author is on the next line.
LEVEL = re.compile(r"^level \d{1,3}$", re.IGNORECASE)

TIME_UNIT = (
    r"(?:seconds?|secs?|minutes?|mins?|m|hours?|hrs?|hr|h|days?|d|weeks?|wks?|wk|w"
    r"|months?|mos?|years?|yrs?|yr|y)"
)
FURNITURE = [
    re.compile(p, re.IGNORECASE)
    for p in (
        r"^To view profiles and participate in discussions\b.*$",
        rf"^(?:{'|'.join(BADGES)})$",
        r"^[+-]?\d[\d,]*(?:\s+(?:points?|votes?|likes?|upvotes?|reactions?|helpful))?$",
        r"^[▲▼↑↓⬆⬇]\s*[\d,]*$",
        rf"^[•·]?\s*(?:posted |edited )?(?:\d+|an?|one)\s*{TIME_UNIT}\.?\s+ago$",
        rf"^[•·]\s*(?:\d+|an?|one)\s*{TIME_UNIT}\.?$",
        r"^[·•|]$",
        r"^(?:senior |junior |new |active |full )?member$",
        r"^(?:joined|join date|location|reputation|likes received|thanks):\s*.{0,40}$",
        r"^(?:load|view|show) (?:\d+ )?(?:more|previous|all|older) (?:replies|comments|posts)$",
        r"^(?:show more|read more|learn more|find out more|see more|join this community|"
        r"sign in|log in|sign up|copy link|report abuse|go to (?:the )?top)$",
    )
]
BUTTON_WORDS = {
    "options", "reply", "quote", "share", "report", "save", "follow", "following", "like",
    "likes", "liked", "permalink", "edit", "edited", "delete", "flag", "award", "vote",
    "votes", "upvote", "downvote", "helpful", "sponsored", "advertisement", "join",
    "unfollow", "hide", "more",
}  # fmt: skip
BUTTON_SEPARATORS = re.compile(r"[\s·•|]+")


@dataclass(frozen=True)
class Line:
    """One classified line. kind is content, blank, drop, end, page_title, group_stats,
    community, reply_count, header, footer, posts, featured, author_follows, level or
    reply_to."""

    kind: str
    text: str = ""
    bullet: bool = False
    author: str = ""
    in_reply_to: str = ""
    posted_at: datetime | None = None
    community: str = ""
    title: str = ""


def name_like(text: str) -> bool:
    return len(text) <= 60 and bool(NAME_LIKE.match(text))


def without_badge(name: str) -> str:
    stripped = name.strip()
    for badge in BADGES:
        if stripped.endswith(badge):
            return stripped[: -len(badge)].strip() or stripped
    return stripped


def is_button_row(text: str) -> bool:
    words = [w for w in BUTTON_SEPARATORS.split(text.lower()) if w]
    return bool(words) and all(word in BUTTON_WORDS for word in words)


def parse_posted_at(time: str, date: str) -> datetime | None:
    for fmt in ("%I:%M %p %B %d, %Y", "%I:%M %p %B %d %Y", "%I:%M%p %B %d, %Y"):
        try:
            return datetime.strptime(f"{time} {date}", fmt).replace(tzinfo=UTC)
        except ValueError:
            continue
    return None


def author_line(text: str) -> Line | None:
    """Lines that name who wrote the post they open or close."""
    if m := IN_REPLY_TO.search(text):
        who, to = text[: m.start()].strip(), text[m.end() :].strip()
        # "NameGraduate in reply to" with nothing after it: the copy was cut off there.
        if (not to or name_like(to)) and (who or to) and (not who or name_like(who)):
            kind = "header" if who else "reply_to"
            return Line(kind, author=without_badge(who) if who else "", in_reply_to=to)
    for pattern in (PROFILE_IMAGE, OLD_REDDIT, GLUED_BADGE):
        if (m := pattern.match(text)) and name_like(m["who"]):
            return Line("header", author=without_badge(m["who"]))
    if (m := REDDIT_USER.match(text)) and not m["rest"].strip(" •·").count(" ") > 4:
        return Line("header", author=m["who"])
    if m := WRITTEN_BY.match(text):
        who = m["who"].strip()
        if not who:
            return Line("author_follows")
        if name_like(who):
            return Line("header", author=without_badge(who))
    if m := POSTED_BY_AT.match(text):
        return Line(
            "footer", author=m["who"].strip(), posted_at=parse_posted_at(m["time"], m["date"])
        )
    return None


def classify(raw: str) -> Line:
    text = raw.strip()
    if not text:
        return Line("blank")
    bullet = bool(BULLET.match(raw))
    if bullet:
        text = BULLET.sub("", raw).strip()
        if not text:
            return Line("blank")
    if len(text) > FURNITURE_MAX:
        return Line("content", text=text, bullet=bullet)
    if END_OF_THREAD.match(text):
        return Line("end")
    if text.lower() == "featured content":
        return Line("featured")
    if m := PAGE_TITLE.match(text):
        return Line(
            "page_title", text=text, title=m["title"].strip(), community=m["community"].strip()
        )
    if GROUP_STATS.match(text):
        return Line("group_stats")
    if SUBREDDIT.match(text):
        return Line("community", community=text)
    if REPLY_COUNT.match(text):
        return Line("reply_count", text=text)
    if POSTS_COUNT.match(text):
        return Line("posts")
    if (m := NAMED_POSTS.match(text)) and name_like(m["who"]):
        return Line("header", author=without_badge(m["who"]))
    if LEVEL.match(text):
        return Line("level")
    if any(p.match(text) for p in FURNITURE) or is_button_row(text):
        return Line("drop")
    if found := author_line(text):
        return found
    return Line("content", text=text, bullet=bullet)
