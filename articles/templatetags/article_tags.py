from django import template

from articles.fragments import article_content as kept_article_content

register = template.Library()


@register.simple_tag(takes_context=True)
def article_content(context):
    """The article page's main part (templates/articles/article_content.html), rendered in the
    page's context: kept between changes for readers, always fresh in a staff preview."""
    content = context.template.engine.get_template("articles/article_content.html")

    def render():
        return content.render(context)

    if context.get("preview"):
        return render()
    return kept_article_content(context["article"], render)
