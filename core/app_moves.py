"""Moving a model to another app in a migration while its rows, content type, permissions,
group grants and admin history stay attached.

The table is kept (the model names it with `db_table`), so only Django's own records need
moving: the content type is renamed to the new app, and when the new app already has one (a
permission was created for it first), permissions, grants and log entries move onto it.
"""


def move_content_types(apps, *, from_app, to_app, model_names, using="default"):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    LogEntry = apps.get_model("admin", "LogEntry") if "admin" in apps.app_configs else None
    for model_name in model_names:
        old = ContentType.objects.using(using).filter(app_label=from_app, model=model_name).first()
        if old is None:
            continue
        new = ContentType.objects.using(using).filter(app_label=to_app, model=model_name).first()
        if new is None:
            old.app_label = to_app
            old.save(using=using, update_fields=["app_label"])
            continue
        for permission in Permission.objects.using(using).filter(content_type=old):
            twin = Permission.objects.using(using).filter(content_type=new, codename=permission.codename).first()
            if twin is None:
                permission.content_type = new
                permission.save(using=using, update_fields=["content_type"])
                continue
            for group in permission.group_set.all():
                group.permissions.add(twin)
            for user in permission.user_set.all():
                user.user_permissions.add(twin)
            permission.delete(using=using)
        if LogEntry is not None:
            LogEntry.objects.using(using).filter(content_type=old).update(content_type=new)
        old.delete(using=using)
    ContentType.objects.clear_cache()
