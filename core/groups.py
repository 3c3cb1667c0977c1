"""Staff groups and their permissions, granted by data migrations.

Each app's migration grants its own models to the groups that work with them, so the
Editors and Moderators groups always match the models that exist.
"""

EDITORS = "Editors"
MODERATORS = "Moderators"
MEDICAL_REVIEWERS = "Medical reviewers"


def grant(apps, group_name, app_label, model_actions):
    """Give `group_name` the permissions `{model_name: [actions]}` of `app_label`'s models."""
    from django.contrib.auth.management import create_permissions

    app_config = apps.get_app_config(app_label)
    app_config.models_module = True  # create_permissions skips apps it thinks have no models
    create_permissions(app_config, verbosity=0, apps=apps)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _created = Group.objects.get_or_create(name=group_name)
    for model_name, actions in model_actions.items():
        codenames = [f"{action}_{model_name}" for action in actions]
        group.permissions.add(*Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames))


def ensure_group(apps, group_name):
    Group = apps.get_model("auth", "Group")
    Group.objects.get_or_create(name=group_name)
