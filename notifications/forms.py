"""Forms of the notification preferences and the union's group robots."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from notifications import errors
from notifications.channels.safe_http import Refused, check
from notifications.channels.webhook import payload_for
from notifications.models import ROBOT_HOSTS, ChannelPreference, UnionWebhook, WebhookPreset

WEBHOOK_DUPLICATE = _("This union already sends to this address.")
WEBHOOK_TEMPLATE_INVALID = _(
    "The JSON template does not give valid JSON once {title}, {body}, {url} and {id} are filled in: %(error)s"
)
WEBHOOK_TEMPLATE_NOT_OBJECT = _("The JSON template must give a JSON object ({…}).")


class ChannelPreferenceForm(forms.ModelForm):
    """The person's channels. A work notice or text message (issue 31) is a field only when the site
    has it set up and the person has the id (phone): ``offered`` names those, the others are left out
    (and so never changed by a POST)."""

    class Meta:
        model = ChannelPreference
        fields = ["email", "wecom", "dingtalk", "sms", "daily_digest"]
        widgets = {
            name: forms.CheckboxInput(attrs={"class": "form-check-input"})
            for name in ("email", "wecom", "dingtalk", "sms", "daily_digest")
        }
        help_texts = {
            "email": _("Reminders, escalations and urges also reach your e-mail address."),
            "wecom": _("Reminders, escalations and urges also reach you in WeCom (or government WeCom)."),
            "dingtalk": _("Reminders, escalations and urges also reach you as a DingTalk work notice."),
            "sms": _("The title and link as a text message to your mobile phone."),
            "daily_digest": _(
                "On working days at 09:00: your open tasks and nearest deadlines in one message."
            ),
        }

    def __init__(self, *args, offered: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("wecom", "dingtalk", "sms"):
            if name not in offered:
                del self.fields[name]


class UnionWebhookForm(forms.ModelForm):
    class Meta:
        model = UnionWebhook
        fields = ["preset", "url", "template", "secret"]
        widgets = {
            "preset": forms.RadioSelect(attrs={"class": "form-check-input"}),
            "url": forms.URLInput(
                attrs={
                    "class": "form-control",
                    "placeholder": "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…",
                    "autocomplete": "off",
                }
            ),
            "template": forms.Textarea(
                attrs={
                    "class": "form-control font-monospace",
                    "rows": 4,
                    "placeholder": '{"msgtype": "text", "text": {"content": "{title} {url}"}}',
                }
            ),
            # never rendered back: the secret is shown masked in the list only
            "secret": forms.PasswordInput(
                render_value=False,
                attrs={
                    "class": "form-control font-monospace",
                    "autocomplete": "new-password",
                    "placeholder": "SEC…",
                },
            ),
        }
        help_texts = {
            "url": _(
                "The robot's address from the group settings (WeCom: "
                "qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…; DingTalk: "
                "oapi.dingtalk.com/robot/send?access_token=…), or a message gateway the system "
                "administrator allows (https unless the administrator says otherwise)."
            ),
            "secret": _(
                "Only for a DingTalk robot whose security setting is signing: the secret it "
                "shows, starting with SEC. Leave empty for a robot secured by keywords or IP addresses."
            ),
        }

    def __init__(self, *args, union, **kwargs):
        super().__init__(*args, **kwargs)
        self.union = union
        self.instance.union = union
        self.fields["preset"].choices = WebhookPreset.choices

    def clean_url(self) -> str:
        """The address must be allowed for the format and resolve to allowed addresses now; the
        same check runs again before every send (the host's addresses may change)."""
        url = self.cleaned_data["url"].strip()
        if UnionWebhook.objects.filter(union=self.union, url=url).exists():
            raise forms.ValidationError(WEBHOOK_DUPLICATE)
        preset = self.cleaned_data.get("preset")
        if preset in WebhookPreset.values:
            try:
                check(url, official_host=ROBOT_HOSTS.get(preset))
            except Refused as exc:
                raise forms.ValidationError(exc.message, params=exc.params) from None
        return url

    def clean(self):
        data = super().clean()
        if data.get("preset") == WebhookPreset.GENERIC:
            self._clean_template(data)
        else:
            # the group robots have a fixed format; a template applies to the generic format only
            data["template"] = ""
        self._clean_secret(data)
        return data

    def _clean_secret(self, data: dict) -> None:
        secret = (data.get("secret") or "").strip()
        data["secret"] = secret if data.get("preset") == WebhookPreset.DINGTALK else ""  # DingTalk's
        if not data["secret"]:
            return
        if not secret.startswith("SEC"):
            self.add_error("secret", errors.WEBHOOK_SECRET_PREFIX)
        elif self.errors:
            # the page does not echo a secret back: say so rather than lose it silently
            self.add_error("secret", errors.WEBHOOK_SECRET_RETYPE)

    def _clean_template(self, data: dict) -> None:
        template = (data.get("template") or "").strip()
        data["template"] = template
        if not template:
            return

        probe = UnionWebhook(union=self.union, preset=WebhookPreset.GENERIC, template=template)
        try:
            payload = payload_for(probe, title="t", body="b", url="https://example.org/", message_id="m")
        except ValueError as exc:
            self.add_error("template", WEBHOOK_TEMPLATE_INVALID % {"error": exc})
        else:
            if not isinstance(payload, dict):
                self.add_error("template", WEBHOOK_TEMPLATE_NOT_OBJECT)
