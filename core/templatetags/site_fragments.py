"""`{% sitewide "name" page_path %}…{% endsitewide %}`: the site's frame, kept between changes.

The header and footer print the site settings, the category links and a dozen reversed URLs on
every page, the same for every reader. They change only with a site-wide change (site settings
and categories drop every page: the page cache's generation), so they are kept under its
version. A frame that marks the link to the current page (`aria-current`) is given that page's
path: pages it links to get a copy of their own, every other page shares one, so unknown
addresses cannot multiply copies. Whatever differs per reader (a search query, a CSRF token,
messages) stays outside.
"""

import re
from dataclasses import dataclass

from django import template
from django.utils import translation

import pagecache

register = template.Library()
_LINK = re.compile(r'href="([^"]*)"')


@dataclass(frozen=True)
class _Frame:
    html: str
    links: frozenset  # the addresses it links to: the pages that may look different in it


class SitewideNode(template.Node):
    def __init__(self, name, page_path, nodelist):
        self.name, self.page_path, self.nodelist = f"sitewide-{name}", page_path, nodelist

    def _key(self, *vary):
        return pagecache.fragment_key(self.name, pages=[], vary=(translation.get_language(), *vary))

    def render(self, context):
        path = str(self.page_path.resolve(context) or "") if self.page_path else ""
        shared_key = self._key()
        shared = pagecache.kept(shared_key)
        if shared is not None and path not in shared.links:
            return shared.html
        own_key = self._key(path) if shared is not None else None
        own = pagecache.kept(own_key)
        if own is not None:
            return own.html
        html = self.nodelist.render(context)
        frame = _Frame(html, frozenset(_LINK.findall(html)))
        pagecache.keep(self._key(path) if path in frame.links else shared_key, frame)
        return html


@register.tag
def sitewide(parser, token):
    bits = token.split_contents()
    if len(bits) not in (2, 3) or bits[1][0] not in "\"'" or bits[1][-1] != bits[1][0]:
        raise template.TemplateSyntaxError('{% sitewide "name" [page_path] %} needs a quoted name first.')
    nodelist = parser.parse(("endsitewide",))
    parser.delete_first_token()
    page_path = parser.compile_filter(bits[2]) if len(bits) == 3 else None
    return SitewideNode(bits[1][1:-1], page_path, nodelist)
