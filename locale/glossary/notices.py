"""Personal work notices (issue 31): WeCom / 政务微信 application messages, DingTalk work notices, text
messages through the organ's SMS gateway."""

# ruff: noqa: E501 (glossary lines pair a long English msgid with its translation)

ZH = {
    # --- notifications/models.py ----------------------------------------------------------------------
    "WeCom / government WeCom work notice": "企业微信/政务微信工作通知",
    "DingTalk work notice": "钉钉工作通知",
    "text message": "短信",
    "access token": "访问令牌",
    "access tokens": "访问令牌",
    # --- notifications/forms.py -----------------------------------------------------------------------
    "Reminders, escalations and urges also reach you in WeCom (or government WeCom).": "提醒、督办和催办同时通过企业微信（或政务微信）工作通知发给您。",
    "Reminders, escalations and urges also reach you as a DingTalk work notice.": "提醒、督办和催办同时通过钉钉工作通知发给您。",
    "The title and link as a text message to your mobile phone.": "将标题和链接以短信发到您的手机。",
    # --- templates/notifications/preferences.html ---------------------------------------------------
    "Not available for your account yet, because the organ's directory has not given Wuyi your user id or phone number:": "以下方式暂不可用，因为本单位通讯录尚未向五一提供您的账号或手机号：",
    # --- notifications/errors.py ----------------------------------------------------------------------
    "%(service)s is not (or no longer) set up on this site; ask the system administrator to complete its settings.": "本系统未配置（或已不再配置）%(service)s，请联系系统管理员完善相关设置。",
    "%(service)s does not know this person's user id; the people sync may be out of date.": "%(service)s 不认识此人的账号，人员同步可能尚未更新。",
    "The SMS gateway's template (SMS_GATEWAY_TEMPLATE) does not give a JSON object once filled in: %(error)s": "短信网关的模板（SMS_GATEWAY_TEMPLATE）填入内容后不是 JSON 对象：%(error)s",
    "The SMS gateway's answer does not say %(expected)s.": "短信网关的应答中没有 %(expected)s。",
    "%(service)s answered something that is not JSON (HTTP %(status)s).": "%(service)s 返回的内容不是 JSON（HTTP %(status)s）。",
}
