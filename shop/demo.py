"""Demo products for `manage.py seed_demo`: written for this project, images drawn by Pillow.

Safe to re-run: a product whose slug already exists is left exactly as it is.
"""

import io
from decimal import Decimal

from django.core.files.base import ContentFile
from PIL import Image, ImageDraw

from shop.models import Product

DEMO_SHOP_URL = "https://shop.example.com/products/"

PRODUCTS = [
    {
        "slug": "cooling-menthol-gel",
        "name": "Cooling Menthol Gel",
        "short_description": "A light, fast-drying gel with a cool feel, for muscles that ache after activity.",
        "description": (
            "A clear gel that sinks in quickly and leaves no greasy film, so you can dress straight after.\n\n"
            "## How to use it\n\n"
            "- Rub a small amount into the sore area up to four times a day.\n"
            "- Wash your hands afterwards and keep it away from your eyes.\n"
            "- Do not use it on broken skin or under a heat pad.\n\n"
            "Ask your clinician whether it fits with your other treatments."
        ),
        "image_alt": "A blue squeeze tube of cooling menthol gel lying on its side.",
        "price": Decimal("18.00"),
        "size_label": "4 oz tube",
        "featured": True,
        "position": 1,
        "colours": ((224, 238, 246), (34, 110, 170)),
        "shape": "tube",
    },
    {
        "slug": "warming-capsaicin-balm",
        "name": "Warming Capsaicin Balm",
        "short_description": "A rich balm with a gentle, building warmth that many patients like for stiff joints.",
        "description": (
            "Made with a low strength of capsaicin, the compound that gives chilli peppers their heat. "
            "The warmth builds over a few minutes and fades within the hour.\n\n"
            "## Good to know\n\n"
            "- The first few days can feel warmer than later ones; that is expected.\n"
            "- Use gloves or wash your hands well: it stings if it reaches your eyes.\n"
            "- Stop using it and tell us if your skin becomes red or blistered."
        ),
        "image_alt": "A round orange jar of warming balm with a pale orange lid.",
        "price": Decimal("24.00"),
        "sale_price": Decimal("19.50"),
        "size_label": "2 oz jar",
        "featured": True,
        "position": 2,
        "colours": ((250, 236, 222), (196, 92, 32)),
        "shape": "jar",
    },
    {
        "slug": "lidocaine-roll-on",
        "name": "Lidocaine 4% Roll-On",
        "short_description": "A numbing roll-on for small areas such as a wrist, an elbow or the side of a knee.",
        "description": (
            "The roll-on ball lets you treat a small area without touching the liquid.\n\n"
            "## Before you use it\n\n"
            "Check with your clinician or pharmacist first if you take heart-rhythm medicines, are pregnant, "
            "or already use another numbing product. Use it no more than three times a day."
        ),
        "image_alt": "A slim green roll-on bottle standing upright.",
        "price": Decimal("14.99"),
        "size_label": "3 oz roll-on",
        "featured": True,
        "position": 3,
        "colours": ((230, 243, 234), (40, 128, 80)),
        "shape": "bottle",
        "buy_url": "",
    },
    {
        "slug": "magnesium-night-lotion",
        "name": "Magnesium Night Lotion",
        "short_description": "An unscented body lotion with magnesium, for a soothing massage before bed.",
        "description": (
            "A soft lotion without perfume, pleasant for a slow massage of the calves, shoulders or back "
            "as part of a wind-down routine.\n\n"
            "It is a comfort product, not a treatment: tell your clinician about night pain that wakes you."
        ),
        "image_alt": "A tall purple bottle of night lotion.",
        "price": Decimal("21.00"),
        "size_label": "8 oz pump bottle",
        "in_stock": False,
        "featured": False,
        "position": 4,
        "colours": ((238, 232, 246), (104, 72, 156)),
        "shape": "bottle",
    },
]


def draw_product(background, colour, shape, size=(1200, 900)):
    """A simple flat drawing of a tube, jar or bottle, as PNG bytes."""
    width, height = size
    image = Image.new("RGB", size, background)
    draw = ImageDraw.Draw(image)
    light = tuple(min(255, channel + 90) for channel in colour)
    draw.ellipse((width * 0.2, height * 0.8, width * 0.8, height * 0.9), fill=tuple(c - 20 for c in background))
    if shape == "tube":
        draw.rounded_rectangle((width * 0.18, height * 0.38, width * 0.74, height * 0.62), radius=40, fill=colour)
        draw.rectangle((width * 0.74, height * 0.44, width * 0.84, height * 0.56), fill=(250, 250, 250))
        draw.rectangle((width * 0.12, height * 0.36, width * 0.2, height * 0.64), fill=light)
        draw.rounded_rectangle((width * 0.3, height * 0.45, width * 0.6, height * 0.55), radius=12, fill=light)
    elif shape == "jar":
        draw.rounded_rectangle((width * 0.3, height * 0.4, width * 0.7, height * 0.82), radius=36, fill=colour)
        draw.rounded_rectangle((width * 0.28, height * 0.3, width * 0.72, height * 0.42), radius=20, fill=light)
        draw.rounded_rectangle((width * 0.36, height * 0.52, width * 0.64, height * 0.7), radius=12, fill=background)
    else:
        draw.rounded_rectangle((width * 0.4, height * 0.3, width * 0.6, height * 0.84), radius=30, fill=colour)
        draw.rectangle((width * 0.45, height * 0.18, width * 0.55, height * 0.3), fill=light)
        draw.rounded_rectangle((width * 0.43, height * 0.45, width * 0.57, height * 0.68), radius=10, fill=background)
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def seed(stdout):
    """Create the demo products that are missing; existing ones are not touched."""
    created = 0
    for spec in PRODUCTS:
        if Product.objects.filter(slug=spec["slug"]).exists():
            continue
        fields = {key: value for key, value in spec.items() if key not in ("colours", "shape")}
        fields.setdefault("buy_url", f"{DEMO_SHOP_URL}{spec['slug']}")
        product = Product(**fields)
        background, colour = spec["colours"]
        product.image.save(
            f"{spec['slug']}.png", ContentFile(draw_product(background, colour, spec["shape"])), save=False
        )
        product.full_clean()
        product.save()
        created += 1
    stdout.write(f"Shop: {created} demo products created, {len(PRODUCTS) - created} already there.\n")
    return created
