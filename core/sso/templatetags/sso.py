"""What the sign-in page offers: the organ's single sign-on when it is set up, and whether Wuyi's own
passwords are kept for the break-glass administrators only."""

from django import template

from core.sso import conf, errors
from core.sso.backends import PASSWORD_REFUSED_ATTRIBUTE

register = template.Library()


@register.simple_tag(takes_context=True)
def sso_login_options(context) -> dict:
    request = context.get("request")
    return {
        "sso": conf.sso_enabled(),
        "break_glass": conf.break_glass_on(),
        # the break-glass gate refused a password: say why, in place of "wrong username or password" only
        "password_refused": errors.LOCAL_PASSWORD_OFF
        if getattr(request, PASSWORD_REFUSED_ATTRIBUTE, False)
        else "",
    }
