"""Union robots and the webhook guard (security review: webhook SSRF), DingTalk signing (加签)."""

# ruff: noqa: E501 (glossary lines pair a long English msgid with its translation)

ZH = {
    # --- notifications/errors.py ------------------------------------------------------------------
    "The address must not contain a user name or password.": "地址中不能包含用户名或密码。",
    "This robot's address must start with https://%(host)s/.": "该机器人的地址必须以 https://%(host)s/ 开头。",
    "This address must start with https://.": "该地址必须以 https:// 开头。",
    "%(host)s is not on the system administrator's list of allowed message gateways; ask the administrator to add it.": "%(host)s 不在系统管理员允许的消息网关名单中，请联系系统管理员添加。",
    "The host name %(host)s cannot be resolved; check the address.": "无法解析主机名 %(host)s，请检查地址。",
    "This address points into an internal network (%(address)s) and cannot be a robot's address.": "该地址指向内部网络（%(address)s），不能作为机器人地址。",
    "%(host)s resolves to %(address)s, outside the addresses the system administrator allows for it.": "%(host)s 解析到 %(address)s，不在系统管理员为其指定的地址范围内。",
    "The robot answered with a redirect (HTTP %(status)s); redirects are not followed.": "机器人返回了重定向（HTTP %(status)s），系统不跟随重定向。",
    "A DingTalk signing secret starts with SEC.": "钉钉加签密钥以 SEC 开头。",
    "For safety the secret is not shown again: please paste it once more.": "为安全起见，密钥不会回显，请重新粘贴。",
    "Enter a host name only (for example gw.example.gov.cn), without scheme, port or path.": "只填写主机名（例如 gw.example.gov.cn），不含协议、端口或路径。",
    "Enter an IP address (10.1.2.3) or network (10.1.2.0/24).": "请填写 IP 地址（如 10.1.2.3）或网段（如 10.1.2.0/24）。",
    "Name the gateway's own address or a small network, not %(address)s.": "请填写网关自身的地址或较小的网段，不能是 %(address)s。",
    # --- notifications/models.py, admin.py ----------------------------------------------------------
    "DingTalk signing secret": "钉钉加签密钥",
    "host name": "主机名",
    "As in the address, for example gw.example.gov.cn: no scheme, port or path.": "与地址中的写法一致，例如 gw.example.gov.cn：不含协议、端口或路径。",
    "port": "端口",
    "Empty: the standard port (443 for https, 80 for http).": "留空：使用标准端口（https 为 443，http 为 80）。",
    "allow plain http": "允许明文 http",
    "Off: https only. Turn on only for a gateway inside a trusted network.": "关闭：仅允许 https。仅对可信内网中的网关开启。",
    "internal address or network": "内网地址或网段",
    "Empty: the host must resolve to public internet addresses only. An address (10.1.2.3) or network (10.1.2.0/24): every address of the host must lie in it; internal addresses are then allowed.": "留空：该主机只能解析到互联网公网地址。填写地址（10.1.2.3）或网段（10.1.2.0/24）：该主机的每个地址都必须在其中，此时允许内网地址。",
    "allowed webhook host": "允许的消息网关",
    "allowed webhook hosts": "允许的消息网关",
    "signed": "已加签",
    # --- notifications/forms.py, templates/notifications/union_webhooks.html ---------------------------
    "Only for a DingTalk robot whose security setting is signing: the secret it shows, starting with SEC. Leave empty for a robot secured by keywords or IP addresses.": "仅用于安全设置为“加签”的钉钉机器人：填写其显示的密钥（以 SEC 开头）。使用自定义关键词或 IP 地址段的机器人请留空。",
    "The robot's address from the group settings (WeCom: qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…; DingTalk: oapi.dingtalk.com/robot/send?access_token=…), or a message gateway the system administrator allows (https unless the administrator says otherwise).": "群设置中机器人的地址（企业微信：qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…；钉钉：oapi.dingtalk.com/robot/send?access_token=…），或系统管理员允许的消息网关地址（除非管理员另有设置，须使用 https）。",
    "Signed with": "已加签，密钥",
    "DingTalk signing (DingTalk robots only)": "钉钉加签（仅限钉钉群机器人）",
    "A WeCom robot's address starts with https://qyapi.weixin.qq.com/, a DingTalk robot's with https://oapi.dingtalk.com/; any other address must be a message gateway the system administrator allows.": "企业微信机器人的地址以 https://qyapi.weixin.qq.com/ 开头，钉钉机器人的地址以 https://oapi.dingtalk.com/ 开头；其他地址必须是系统管理员允许的消息网关。",
}
