"""The authenticator app's QR code, drawn on the page as inline SVG (no outside service sees the key)."""

import qrcode
import qrcode.image.svg
from django.utils.html import escape
from django.utils.safestring import mark_safe


def qr_svg(data, *, label):
    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=2)
    svg = image.to_string(encoding="unicode")
    svg = svg.replace("<svg ", f'<svg role="img" aria-label="{escape(label)}" class="qr-code" ', 1)
    return mark_safe(svg)  # noqa: S308  (qrcode's own markup; the only text put in is escaped)
