"""Facts for search engines: canonical addresses and schema.org structured data.

The JSON-LD is built here as plain dicts and printed with `core.structured_data.json_ld`.
"""

from django.urls import reverse

from core.structured_data import json_ld


def _person(request, clinician):
    person = {
        "@type": "Person",
        "name": clinician.name,
        "url": request.build_absolute_uri(clinician.get_absolute_url()),
    }
    if clinician.credentials:
        person["honorificSuffix"] = clinician.credentials
    if clinician.role:
        person["jobTitle"] = clinician.role
    return person


def article_structured_data(request, article, *, clinic_name):
    """A `MedicalWebPage` and its `BreadcrumbList`, as schema.org describes them."""
    url = request.build_absolute_uri(article.get_absolute_url())
    page = {
        "@context": "https://schema.org",
        "@type": "MedicalWebPage",
        "@id": url,
        "url": url,
        "name": article.meta_title,
        "headline": article.title,
        "description": article.meta_description,
        "inLanguage": "en",
        "datePublished": article.publish_at.isoformat(),
        "dateModified": article.updated.isoformat(),
        "author": _person(request, article.author),
        "publisher": {"@type": "MedicalOrganization", "name": clinic_name},
        "about": {"@type": "Thing", "name": article.category.name},
    }
    approval = article.live_approval  # the approval of the live text, never a typed date
    if approval is not None and approval.clinician is not None:
        page["reviewedBy"] = _person(request, approval.clinician)
    if approval is not None:
        page["lastReviewed"] = approval.reviewed_on.isoformat()
    if article.hero:
        page["image"] = request.build_absolute_uri(article.hero.src)
    breadcrumbs = {
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": [
            {
                "@type": "ListItem",
                "position": 1,
                "name": clinic_name,
                "item": request.build_absolute_uri(reverse("articles:home")),
            },
            {
                "@type": "ListItem",
                "position": 2,
                "name": article.category.name,
                "item": request.build_absolute_uri(article.category.get_absolute_url()),
            },
            {"@type": "ListItem", "position": 3, "name": article.title, "item": url},
        ],
    }
    return json_ld([page, breadcrumbs])
