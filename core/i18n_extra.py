"""Django strings whose shipped zh_Hans translation is missing in Django 5.2.

Listing them here lets makemessages put them into Wuyi's own catalogue, so the password policy
speaks Chinese too. Nothing imports this module.
"""

from django.utils.translation import ngettext_lazy

PASSWORD_TOO_SHORT = ngettext_lazy(
    "This password is too short. It must contain at least %d character.",
    "This password is too short. It must contain at least %d characters.",
    "min_length",
)
