"""Whether a request's staff powers are confirmed: the rule for what staff may see outside the admin
(previews of unpublished articles and inactive products).

The rule is staff_security's (a second factor after the password, where one is due), but the apps
that show previews may import only core. So staff_security registers its rule here from `ready()`,
as apps register with pagecache. Until one is registered no staff power is confirmed: a missing
registration hides previews rather than opening them to a password alone.
"""

rules = []


def staff_confirmation_register(rule):
    """Add `rule(request)`: True when the signed-in staff member's session has confirmed who they are."""
    if rule not in rules:
        rules.append(rule)


def staff_may(request, permission):
    """Whether the signed-in staff member, their powers confirmed, holds `permission` (previews)."""
    return staff_powers_confirmed(request) and request.user.has_perm(permission)


def staff_powers_confirmed(request):
    """A signed-in staff member whose session passed every registered rule."""
    user = request.user
    return bool(user.is_authenticated and user.is_staff and rules and all(rule(request) for rule in rules))
