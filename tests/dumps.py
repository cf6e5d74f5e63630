"""Forum dump variations the importer must handle, each as real dumps come.

Each case lists the lines that are page furniture; every other line must survive
the import word for word. The seeds in kbapp/demo/seeds/ are real dumps.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

SEEDS_DIR = Path(__file__).resolve().parent.parent / "kbapp" / "demo" / "seeds"


@dataclass(frozen=True)
class DumpCase:
    name: str
    text: str
    furniture: tuple[str, ...]
    title: str
    replies: int
    authors: dict[int, str] = field(default_factory=dict)  # reply number (from 1) → author
    in_reply_to: dict[int, str] = field(default_factory=dict)
    community: str = ""
    question_author: str = ""


SEED_CASES = [
    DumpCase(
        "back-pain-after-longer-runs.txt",
        (SEEDS_DIR / "back-pain-after-longer-runs.txt").read_text(encoding="utf-8"),
        furniture=("26 Replies",),
        title="Back Pain",
        replies=26,
    ),
    DumpCase(
        "help-mid-to-upper-back-pain.txt",
        (SEEDS_DIR / "help-mid-to-upper-back-pain.txt").read_text(encoding="utf-8"),
        furniture=(
            "Help!? Mid to upper back pain!: Hello Folks, I... - Couch to 5K",
            "Couch to 5K",
            "117,129 members148,449 posts",
            "4 Replies",
            "BluebirdrunnerGraduate in reply to Deano5",
            "You may also like...",
        ),
        title="Help!? Mid to upper back pain!",
        replies=4,
        authors={4: "Bluebirdrunner"},
        in_reply_to={4: "Deano5"},
        community="Couch to 5K",
    ),
    DumpCase(
        "w7r1-upper-back-pain.txt",
        (SEEDS_DIR / "w7r1-upper-back-pain.txt").read_text(encoding="utf-8"),
        furniture=(
            "Couch to 5K",
            "55,007 members87,548 posts",
            "5 Replies",
            "You may also like...",
        ),
        title="W7R1 Done! But Upper Back pain bothering me :(",
        replies=5,
        community="Couch to 5K",
    ),
]

# Written out case by case, not built from a template: each is a dump as it comes, and a
# builder would hide the very furniture each case is about.
VARIATION_CASES = [
    DumpCase(
        "bullets-no-reply-count",
        """Sore knees after week 3

My knees ache after every run this week. Is this normal?

Thanks all

  • Check your shoes first. Mine were worn out.

    New ones fixed it within a week.
  • Rest day between runs helped me.
  • Strength work for the glutes, honestly.
""",
        furniture=(),
        title="Sore knees after week 3",
        replies=3,
    ),
    DumpCase(
        "profile-images-badges-and-promotions",
        """Shin splints again: Hi all, I... - Couch to 5K

Couch to 5K

117,129 members148,449 posts

Shin splints again

Hi all, my shins hurt on W4R2 and I don't know whether to push on.

To view profiles and participate in discussions please or .

12 Replies

RunnerJo profile image
RunnerJoMentor

Ice and rest for a few days, then start the week again.

Featured Content
Join our summer 5K challenge and win a medal!

Written by
SlowButSteady

I repeated week 4 and it settled.

Second paragraph of the same reply.

MikeRGraduate in reply to SlowButSteady

Same here, compression sleeves too.

You may also like...
Another thread title
""",
        furniture=(
            "Shin splints again: Hi all, I... - Couch to 5K",
            "Couch to 5K",
            "117,129 members148,449 posts",
            "To view profiles and participate in discussions please or .",
            "12 Replies",
            "RunnerJo profile image",
            "RunnerJoMentor",
            "Featured Content",
            "Join our summer 5K challenge and win a medal!",
            "Written by",
            "SlowButSteady",
            "MikeRGraduate in reply to SlowButSteady",
            "You may also like...",
            "Another thread title",
        ),
        title="Shin splints again",
        replies=3,
        authors={1: "RunnerJo", 2: "SlowButSteady", 3: "MikeR"},
        in_reply_to={3: "SlowButSteady"},
        community="Couch to 5K",
    ),
    DumpCase(
        "single-blank-lines",
        """Calf cramps

My calves cramp up at the end of every run.

3 Replies

Drink more water during the day.

Stretch the calves against a wall after.

Slow down, your calves will thank you.
""",
        furniture=("3 Replies",),
        title="Calf cramps",
        replies=3,
    ),
    DumpCase(
        "other-forum-markers",
        """Lower back pain after long runs
jogger_jen
Posts: 12 Member

My lower back aches after 10k. Any ideas?

Options
runnerdave
Posts: 133 Member
Core work. Planks every day sorted it for me.
12 points
Reply Share Report
u/plankqueen
Pilates twice a week.
▲ 7
posted by fenland_runner at 9:25 AM on May 6, 2009 [2 favorites]
Try a foam roller on your glutes.
posted by mossy at 10:02 PM on May 6, 2009
""",
        furniture=(
            "jogger_jen",
            "Posts: 12 Member",
            "Options",
            "runnerdave",
            "Posts: 133 Member",
            "12 points",
            "Reply Share Report",
            "u/plankqueen",
            "▲ 7",
            "posted by fenland_runner at 9:25 AM on May 6, 2009 [2 favorites]",
            "posted by mossy at 10:02 PM on May 6, 2009",
        ),
        title="Lower back pain after long runs",
        replies=3,
        authors={1: "runnerdave", 2: "plankqueen", 3: "mossy"},
        question_author="jogger_jen",
    ),
    DumpCase(
        "title-after-body",
        """I've had a stitch on my right side on every run since week 2. It goes when I walk.

Does anyone know how to stop it?

Side stitch every single run

5 Replies

Breathe out as your left foot lands.


Don't eat for two hours before.
""",
        furniture=("5 Replies",),
        title="Side stitch every single run",
        replies=2,
    ),
    DumpCase(
        "no-title-cut-off",
        """My heel hurts first thing in the morning and eases after a few steps. I think it is \
plantar fasciitis.


Roll a frozen bottle under your foot every evening, it helped me a lot.


I had the same, new shoes with better arch supp""",
        furniture=(),
        title="My heel hurts first thing in the morning and eases after a few steps.",
        replies=2,
    ),
    DumpCase(
        "asker-profile-and-repeated-names",
        """Tight hamstrings: My hamstrings... - Couch to 5K

Deano5 profile image
Deano5

Tight hamstrings

My hamstrings feel like guitar strings after W5R3.

2 Replies

Bluebirdrunner profile image
Bluebirdrunner
BluebirdrunnerGraduate

Gentle stretches after every run, held for 30 seconds.

trogdelight profile image
trogdelight

Foam roller, then rest.

Reply
""",
        furniture=(
            "Tight hamstrings: My hamstrings... - Couch to 5K",
            "Deano5 profile image",
            "Deano5",
            "2 Replies",
            "Bluebirdrunner profile image",
            "Bluebirdrunner",
            "BluebirdrunnerGraduate",
            "trogdelight profile image",
            "trogdelight",
            "Reply",
        ),
        title="Tight hamstrings",
        replies=2,
        authors={1: "Bluebirdrunner", 2: "trogdelight"},
        community="Couch to 5K",
        question_author="Deano5",
    ),
    DumpCase(
        "reddit-thread",
        """r/C25K
Posted by u/slowjogger 3 years ago
Shoulders up by my ears on every run

How do you all keep your shoulders relaxed? Mine creep up by the end of W6.

34 comments
level 1
u/coach_kate
· 3 yr. ago
Shake your hands out every few minutes. It resets everything.
Reply Share Report Save Follow
level 2
u/slowjogger
· 3 yr. ago
Tried it this morning and it helped!
42
level 1
u/trailmix
2 yr. ago
Hold a crisp in each hand without crushing it.
""",
        furniture=(
            "r/C25K",
            "Posted by u/slowjogger 3 years ago",
            "34 comments",
            "level 1",
            "u/coach_kate",
            "· 3 yr. ago",
            "Reply Share Report Save Follow",
            "level 2",
            "u/slowjogger",
            "42",
            "u/trailmix",
            "2 yr. ago",
        ),
        title="Shoulders up by my ears on every run",
        replies=3,
        authors={1: "coach_kate", 2: "slowjogger", 3: "trailmix"},
        question_author="slowjogger",
        community="r/C25K",
    ),
    DumpCase(
        "seed-without-reply-count",
        SEED_CASES[2].text.replace("5 Replies\n", "\n"),
        furniture=("Couch to 5K", "55,007 members87,548 posts", "You may also like..."),
        title="W7R1 Done! But Upper Back pain bothering me :(",
        replies=5,
        community="Couch to 5K",
    ),
    DumpCase(
        "page-title-after-the-body",
        """Numb toes

My toes go numb after 20 minutes. New shoes did not help.

Numb toes: My toes go... - Running Forum

1 Replies

Loosen your laces over the top of the foot.
""",
        furniture=("Numb toes: My toes go... - Running Forum", "1 Replies"),
        title="Numb toes",
        replies=1,
        community="Running Forum",
    ),
    DumpCase(
        "profile-lines-indented-with-spaces",
        """Calf strain on W6R2

Calf strain on W6R2

    StrideRight Posts: 276 Member

My left calf tightened up halfway through W6R2 and I walked home.

    physio_pete Posts: 1,208 Member

Rest it for three days, then gentle calf raises.

    AmyRuns Posts: 14 Member

Same happened to me, it eased after a week.
""",
        furniture=(
            "StrideRight Posts: 276 Member",
            "physio_pete Posts: 1,208 Member",
            "AmyRuns Posts: 14 Member",
        ),
        title="Calf strain on W6R2",
        replies=2,
        authors={1: "physio_pete", 2: "AmyRuns"},
        question_author="StrideRight",
    ),
    DumpCase(
        "cut-off-after-in-reply-to",
        """Hip flexor pain week 5

My right hip flexor aches after every run in week 5.

2 Replies

Jogger22Mentor

Try some hip flexor stretches after each run.

RunningRuthGraduate in reply to Jogger22

Stretches helped me too, and a slower pace.

KeepGoingGraduate in reply to
""",
        furniture=(
            "2 Replies",
            "Jogger22Mentor",
            "RunningRuthGraduate in reply to Jogger22",
            "KeepGoingGraduate in reply to",
        ),
        title="Hip flexor pain week 5",
        replies=2,
        authors={1: "Jogger22", 2: "RunningRuth"},
        in_reply_to={2: "Jogger22"},
    ),
    DumpCase(
        "one-paragraph-a-line",
        """My shins hurt on the downhill parts of W3R1 and the next morning they were tender.
Sore shins in week 3: My shins hurt... - Couch to 5K
Sore shins in week 3
Shin splints are common at this stage, slow down and take the rest days.
I had the same, new shoes after a gait analysis sorted it.
Ice them after each run and repeat the week if you need to.
""",
        furniture=("Sore shins in week 3: My shins hurt... - Couch to 5K",),
        title="Sore shins in week 3",
        replies=3,
        community="Couch to 5K",
    ),
    DumpCase(
        "discourse-style-levels-votes-times",
        """Lower back ache after runs

r/C25K

Posted by u/newrunner_li 3 hours ago

Lower back ache after runs

My lower back aches for a day after every run. I'm on week 2.

level 1
coach_kate
·
2h ago

Core work. Planks and bridges, three times a week.

14
Reply
Share

level 2
newrunner_li
·
1h ago

Thanks, I'll try planks tonight.

3
Reply
Share

level 1
sam_runs
·
45m ago

Check your posture, mine was too upright and tense.

7
Reply
Share
""",
        furniture=(
            "r/C25K",
            "Posted by u/newrunner_li 3 hours ago",
            "level 1",
            "level 2",
            "coach_kate",
            "newrunner_li",
            "sam_runs",
            "·",
            "2h ago",
            "1h ago",
            "45m ago",
            "14",
            "3",
            "7",
            "Reply",
            "Share",
        ),
        title="Lower back ache after runs",
        replies=3,
        authors={1: "coach_kate", 2: "newrunner_li", 3: "sam_runs"},
        question_author="newrunner_li",
        community="r/C25K",
    ),
]
