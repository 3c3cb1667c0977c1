"""Staff groups and their permissions, granted by data migrations.

Each app's migration grants its own models to the groups that work with them, so the
Editors and Moderators groups always match the models that exist.

No staff group may link a clinician to a login (`articles.link_clinician_login`): that link says
who may approve medical content and whose name is credited, so it stays with superusers and
whoever they give the permission to, one login at a time.
"""

EDITORS = "Editors"
MODERATORS = "Moderators"
MEDICAL_REVIEWERS = "Medical reviewers"


def grant(apps, group_name, app_label, model_actions, *, using="default"):
    """Give `group_name` the permissions `{model_name: [actions]}` of `app_label`'s models.

    `using` is the database being migrated (`schema_editor.connection.alias`): a restore into a
    second database must not write groups into the site's own.
    """
    from django.contrib.auth.management import create_permissions

    app_config = apps.get_app_config(app_label)
    app_config.models_module = True  # create_permissions skips apps it thinks have no models
    create_permissions(app_config, verbosity=0, using=using, apps=apps)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _created = Group.objects.using(using).get_or_create(name=group_name)
    for model_name, actions in model_actions.items():
        codenames = [f"{action}_{model_name}" for action in actions]
        permissions = Permission.objects.using(using).filter(content_type__app_label=app_label, codename__in=codenames)
        group.permissions.add(*permissions)
