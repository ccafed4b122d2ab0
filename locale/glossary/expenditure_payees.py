"""The real-name list of payees of an expenditure request (实名发放名单, issue 26): msgid → Simplified Chinese."""

# ruff: noqa: E501 (glossary lines pair a long English msgid with its translation)

ZH = {
    # --- workflows/expenditure/models.py, forms.py ----------------------------------------------------------
    "position": "序号",
    "payee's name": "收款人姓名",
    "bank account": "银行账号",
    "sum paid to the payee (yuan)": "发放数额（元）",
    "payee": "收款人",
    "payees": "收款人",
    # --- workflows/expenditure/services.py ----------------------------------------------------------------
    "Payee %(n)s has no name: a payment to a person needs their real name.": "第%(n)s位收款人未填写姓名：发放给个人的款项须填写实名。",
    "The name of payee %(n)s is longer than %(max)s characters.": "第%(n)s位收款人的姓名超过%(max)s个字。",
    "Payee %(n)s: the amount must be more than zero.": "第%(n)s位收款人：金额必须大于零。",
    "Payee %(n)s: amounts have at most two decimals (fen).": "第%(n)s位收款人：金额最多保留两位小数（到分）。",
    "Payee %(n)s: a bank account is written with digits and spaces only, %(min)s to %(max)s digits.": "第%(n)s位收款人：银行账号只能由数字和空格组成，共%(min)s至%(max)s位数字。",
    "The payees' amounts add up to %(total)s yuan, but the request is for %(amount)s yuan: the two must be equal.": "收款人金额合计 %(total)s 元，申请金额为 %(amount)s 元：两者必须相等。",
    # --- templates/workflows/expenditure/form.html, detail.html -------------------------------------------
    "Payees (payments to individuals)": "收款人名单（发放给个人）",
    "When the money goes to individuals, list each of them: real name, amount and bank account; the amounts must add up to the amount requested. Leave the rows empty otherwise. Saved accounts are shown masked.": "款项发放给个人的，请逐人填写实名、金额和银行账号，各人金额合计须等于申请金额；不发放给个人的，留空即可。已保存的账号以脱敏形式显示。",
    "More rows": "更多行",
    "No.": "序号",
    "You see the bank accounts in full as the union's finance officer; each view is recorded.": "您作为本工会财务人员可查看完整银行账号；每次查看均会留痕。",
    "Bank accounts are masked: only the union's finance officer sees them in full.": "银行账号已脱敏显示：仅本工会财务人员可查看完整账号。",
}
