"""Staff logins for tests, in the groups the data migrations define."""

from django.contrib.auth.models import Group, Permission, User

STAFF_PASSWORD = "a long test password"  # noqa: S105


def make_staff(username, *groups, password=STAFF_PASSWORD):
    """A staff login in the given groups, with only what the data migrations grant them."""
    user = User.objects.create_user(username, f"{username}@clinic.example", password, is_staff=True)
    for name in groups:
        user.groups.add(Group.objects.get(name=name))
    return user


def rebuilt_group(name, codenames):
    """The group `name` with the permissions `codenames`: transactional tests flush the rows the
    data migrations made, so browser tests that sign staff in rebuild the group they need."""
    group, _created = Group.objects.get_or_create(name=name)
    group.permissions.add(*Permission.objects.filter(codename__in=codenames))
    return group
