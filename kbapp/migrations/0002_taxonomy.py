"""The taxonomy the site ships with: pain locations, remedies and red flags.

Kept inline (not imported from the app) so the migration stays what it was when it
ran. Re-running it updates by slug and never deletes what editors added.
"""

from django.db import migrations

# (slug, name, parent slug, synonyms)
LOCATIONS = [
    ("neck", "Neck", None, "cervical, stiff neck, neck ache, nape"),
    ("shoulders", "Shoulders", None, "shoulder, tense shoulders, trapezius, traps, deltoid"),
    ("back", "Back", None, "backache, back ache, spine, spinal, back pain"),
    (
        "upper-back",
        "Upper back",
        "back",
        "thoracic, thoracic spine, upper spine, top of the back, central back",
    ),
    (
        "between-the-shoulder-blades",
        "Between the shoulder blades",
        "upper-back",
        "shoulder blade, shoulderblade, scapula, scapulae, rhomboid, rhomboids, "
        "interscapular, under my shoulder blade",
    ),
    ("mid-back", "Mid back", "back", "middle back, mid-back, mid spine, ribs, rib cage"),
    (
        "lower-back",
        "Lower back",
        "back",
        "lumbar, low back, lower spine, lordosis, sacrum, sacroiliac, SI joint, disc, "
        "slipped disc, sciatica",
    ),
    ("side-stitch", "Side stitch", None, "stitch, side cramp, side ache, abdominal cramp"),
    ("hips", "Hips", None, "hip, hip flexor, hip flexors, groin, IT band, iliotibial band"),
    ("glutes", "Glutes", None, "glute, buttock, buttocks, bum, gluteal, piriformis"),
    ("hamstrings", "Hamstrings", None, "hamstring, back of the thigh, harmsteing"),
    (
        "knees",
        "Knees",
        None,
        "knee, runner's knee, kneecap, patella, patellofemoral, ITBS, knee cap",
    ),
    (
        "shins",
        "Shins",
        None,
        "shin, shin splints, shin splint, tibia, medial tibial stress syndrome, MTSS",
    ),
    ("calves", "Calves", None, "calf, calf muscle, gastrocnemius, soleus, calf strain"),
    ("achilles", "Achilles", None, "Achilles tendon, achilles tendonitis, tendinopathy"),
    ("ankles", "Ankles", None, "ankle, sprained ankle, rolled ankle"),
    ("feet", "Feet", None, "foot, toes, toe, ball of the foot, metatarsal"),
    (
        "heels-and-arches",
        "Heels and arches",
        "feet",
        "heel, heels, arch, arches, plantar fasciitis, plantar fascia, heel spur",
    ),
]

# (slug, name, category, synonyms)
REMEDIES = [
    (
        "relax-shoulders",
        "Relax the shoulders",
        "technique",
        "relaxed shoulders, relax your shoulders, shoulders down, drop your shoulders, "
        "unclench, fists unclenched, tension in my shoulders",
    ),
    (
        "posture",
        "Running posture",
        "technique",
        "posture, head up, look straight ahead, running form, upright",
    ),
    (
        "arm-swing",
        "Arm swing",
        "technique",
        "arm movement, hand movement, clenching your arms, arm carriage",
    ),
    (
        "slow-down",
        "Slow down and land lightly",
        "technique",
        "slow down, slower, slow jog, land lightly, light footed, don't bounce, easy pace, cadence",
    ),
    (
        "core-strength",
        "Core strength",
        "strength",
        "core, core strength, core muscles, core exercises, strengthen your core, "
        "core strengthening, plank, planks, plank challenge, hanging leg raise",
    ),
    (
        "strength-and-flex",
        "Strength & Flex",
        "strength",
        "S&F, Strength and Flex, NHS Strength & Flex, strength and flexibility",
    ),
    ("pilates", "Pilates", "strength", "pilates class, pilates classes"),
    (
        "glute-strength",
        "Glute strengthening",
        "strength",
        "glute bridges, bridges, clams, clamshells, glute activation",
    ),
    (
        "stretching",
        "Stretching",
        "mobility",
        "stretch, stretches, post run stretches, cool down, child pose, child's pose, "
        "cat-cow, cat cow, hamstring stretch",
    ),
    (
        "yoga",
        "Yoga",
        "mobility",
        "yoga poses, sun salutations, happy baby pose, downward dog, yoga exercises",
    ),
    ("foam-rolling", "Foam rolling", "mobility", "foam roller, foam roll, massage ball"),
    (
        "swimming",
        "Swimming",
        "mobility",
        "swim, back-stroke, backstroke, cross-training, cross training",
    ),
    (
        "water-belt",
        "Water belt instead of a bottle",
        "gear",
        "running belt, hydration belt, water belt, waist belt, belt to carry, "
        "carrying water, carry water, bottle of water",
    ),
    (
        "new-shoes-gait",
        "New shoes or gait analysis",
        "gear",
        "new shoes, running shoes, trainers, gait analysis, gait, gait measured, "
        "insoles, orthotics",
    ),
    ("sports-bra", "Sports bra", "gear", "run bra, running bra, sports bra, supportive bra"),
    (
        "rest",
        "Rest",
        "rest",
        "rest day, rest days, time off, take a break, repeat the week, repeat a week",
    ),
    ("ice-heat", "Ice or heat", "rest", "ice, ice pack, heat pack, hot water bottle, hot bath"),
    (
        "painkillers",
        "Pain relief",
        "rest",
        "painkillers, pain killers, pain relief pills, ibuprofen, paracetamol",
    ),
    ("physio", "Physiotherapy", "professional", "physio, physiotherapist, physical therapist"),
    ("chiropractor", "Chiropractor", "professional", "chiro, chiropractic, chiro care"),
    ("sports-massage", "Sports massage", "professional", "massage, massage therapist"),
    ("gp", "See a GP", "professional", "GP, doctor, doctors"),
]

# (slug, name, advice, phrases, location slugs; none = everywhere)
RED_FLAGS = [
    (
        "numbness",
        "Numbness, tingling or pins and needles",
        "Numbness, tingling, pins and needles or weakness in an arm or leg can mean an "
        "irritated nerve: see a GP or physiotherapist before running on.",
        "numb, numbness, numbed, pins and needles, tingling, tingly, weakness in my",
        [],
    ),
    (
        "breathing",
        "Pain when breathing, coughing or sneezing",
        "Back or chest pain that catches when you breathe in, cough or sneeze needs a "
        "doctor's check, especially with a fever or breathlessness.",
        "sneez*, when I cough*, coughing hurts, pain on breathing, painful to breathe, "
        "hurts to breathe, when I breathe, affects my breathing, breathe in deeply",
        ["back", "upper-back", "between-the-shoulder-blades", "mid-back", "side-stitch"],
    ),
    (
        "chest-pain",
        "Chest pain, dizziness or fainting",
        "Stop running and get urgent help for chest pain or tightness, fainting, a "
        "racing or irregular heartbeat, or sudden breathlessness.",
        "chest pain, chest tightness, tight chest, dizzy, dizziness, faint*, palpitation*, "
        "irregular heartbeat",
        [],
    ),
    (
        "worse-on-waking",
        "Worse on waking and not easing",
        "Pain that is worst first thing in the morning and does not ease as you move, or "
        "that wakes you at night, should be seen by a GP.",
        "worse in the morning, worse on waking, worse when I wake, wakes me up, "
        "woke me up, pain at night, night pain",
        [],
    ),
    (
        "not-better",
        "Not better after a week of rest",
        "If it is no better after a week of rest, or is getting worse, see a GP or "
        "physiotherapist rather than running through it.",
        "not better after a week, no better after a week, still hurts after a week, "
        "getting worse, not improving, hasn't improved, two weeks of rest, weeks of rest",
        [],
    ),
    (
        "after-a-fall",
        "After a fall or a blow",
        "Pain that started after a fall, a collision or a twist needs checking for a "
        "fracture or torn ligament before you run again.",
        "after a fall, had a fall, fell over, I fell, tripped, twisted my, car accident",
        [],
    ),
    (
        "cannot-bear-weight",
        "Cannot bear weight, or pain on one spot of bone",
        "Pain on one spot of a bone, swelling, or being unable to put weight on the leg "
        "can mean a stress fracture: stop running and see a professional.",
        "can't put weight, cannot put weight, can't bear weight, cannot bear weight, "
        "stress fracture, limping, swollen, swelling",
        ["shins", "feet", "heels-and-arches", "ankles", "knees", "hips", "calves"],
    ),
    (
        "bladder-bowel",
        "Back pain with bladder or bowel changes or fever",
        "Back pain with loss of bladder or bowel control, numbness around the bottom or "
        "a fever needs emergency care: call your local emergency number.",
        "bladder, bowel, incontinence, fever, high temperature",
        ["back", "lower-back"],
    ),
]


def load_taxonomy(apps, schema_editor):
    PainLocation = apps.get_model("kbapp", "PainLocation")
    Remedy = apps.get_model("kbapp", "Remedy")
    RedFlag = apps.get_model("kbapp", "RedFlag")

    locations = {}
    for position, (slug, name, parent, synonyms) in enumerate(LOCATIONS):
        locations[slug], _ = PainLocation.objects.update_or_create(
            slug=slug,
            defaults={
                "name": name,
                "parent": locations[parent] if parent else None,
                "synonyms": synonyms,
                "position": position,
            },
        )
    for slug, name, category, synonyms in REMEDIES:
        Remedy.objects.update_or_create(
            slug=slug, defaults={"name": name, "category": category, "synonyms": synonyms}
        )
    for position, (slug, name, advice, phrases, where) in enumerate(RED_FLAGS):
        flag, _ = RedFlag.objects.update_or_create(
            slug=slug,
            defaults={"name": name, "advice": advice, "phrases": phrases, "position": position},
        )
        flag.locations.set([locations[s] for s in where])


class Migration(migrations.Migration):
    dependencies = [("kbapp", "0001_initial")]

    operations = [migrations.RunPython(load_taxonomy, migrations.RunPython.noop)]
