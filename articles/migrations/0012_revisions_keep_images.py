from django.db import migrations


def keep_images_in_revisions(apps, schema_editor):
    """Revisions kept before they covered the images in the text get the images as they are now,
    which is what the live page shows: approvals carry over as before, and a published page is
    rendered from its revision exactly as it looks today. Nothing else in any row changes."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    Revision = apps.get_model("revisions", "Revision")
    ArticleImage = apps.get_model("articles", "ArticleImage")
    article_type = ContentType.objects.filter(app_label="articles", model="article").first()
    if article_type is None:
        return
    images, renditions = {}, {}
    for image in ArticleImage.objects.order_by("created", "id"):
        images.setdefault(image.article_id, []).append(
            {"id": image.pk, "image": image.image.name, "alt": image.alt, "caption": image.caption}
        )
        renditions.setdefault(image.article_id, {})[image.image.name] = image.renditions
    for revision in Revision.objects.filter(content_type=article_type).iterator():
        content = revision.content
        if "images" in content:
            continue
        content["images"] = images.get(revision.object_id, [])
        content["image_renditions"] = renditions.get(revision.object_id, {})
        Revision.objects.filter(pk=revision.pk).update(content=content)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0011_images_beside_review"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("revisions", "0001_initial"),
    ]

    operations = [migrations.RunPython(keep_images_in_revisions, migrations.RunPython.noop)]
