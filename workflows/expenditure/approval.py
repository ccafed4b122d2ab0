"""What an expenditure request's approval sheet (审批单, issue 33) prints above its chain: the budget line,
the amount in figures and in Chinese capitals (大写, as a voucher writes it so that nobody can alter it),
the purpose, the activity date and the real-name list of payees (names and amounts only: bank accounts
are personal information, masked on screen for everyone but the finance officer, S5.3)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

from workflows.amounts import format_yuan

DIGITS = "零壹贰叁肆伍陆柒捌玖"
# the places within a group of four digits, then the groups' own units (个, 万, 亿, 万亿)
PLACES = ("仟", "佰", "拾", "")
GROUPS = ("", "万", "亿", "万亿")


def _group(value: int) -> str:
    """0 < value < 10000 in capitals, one 零 for any run of zeros between digits (1005 → 壹仟零伍)."""
    out, zero = "", False
    for digit, place in zip(f"{value:04d}", PLACES, strict=True):
        if digit == "0":
            zero = bool(out)
            continue
        out += ("零" if zero else "") + DIGITS[int(digit)] + place
        zero = False
    return out


def _whole(value: int) -> str:
    """A whole number of yuan in capitals: 100000 → 壹拾万, 10005 → 壹万零伍, 100000001 → 壹亿零壹."""
    groups = []
    while value:
        value, group = divmod(value, 10000)
        groups.append(group)
    out, gap = "", False
    for index in range(len(groups) - 1, -1, -1):
        group = groups[index]
        if group == 0:
            gap = bool(out)
            continue
        if out and (gap or group < 1000):
            out += "零"
        out += _group(group) + GROUPS[index]
        gap = False
    return out


def yuan_in_capitals(amount: Decimal) -> str:
    """An amount in yuan written in Chinese capitals (大写金额), as vouchers and approval forms write it:
    3000 → 叁仟元整, 12000.50 → 壹万贰仟元伍角, 1.05 → 壹元零伍分, 0 → 零元整."""
    fen = int((Decimal(amount) * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    if fen < 0:
        raise ValueError("an amount in capitals is never negative")
    yuan, rest = divmod(fen, 100)
    jiao, fen = divmod(rest, 10)
    out = f"{_whole(yuan)}元" if yuan else ""
    if jiao:
        out += DIGITS[jiao] + "角"
    elif fen and yuan:
        out += "零"
    if fen:
        out += DIGITS[fen] + "分"
    if not (jiao or fen):
        out = (out or "零元") + "整"
    return out


def approval_lines(request) -> list[tuple[str, str]]:
    """The registry hook ``approval_lines`` of the expenditure kind: (label, value) pairs, two reads
    (the line's account and the payees) whatever the number of payees."""
    account = request.account
    lines = [
        (_("Budget line"), f"{account.code} {account.name}"),
        (_("Amount (in figures)"), f"¥{format_yuan(request.amount)}"),
        (_("Amount (in capitals)"), yuan_in_capitals(request.amount)),
        (_("Purpose"), request.purpose),
        (_("Activity date"), request.activity_date.strftime("%Y-%m-%d")),
    ]
    if request.major:
        lines.append((_("Major expenditure"), _("yes: decided by the union committee")))
    payees = [f"{p.name} ¥{format_yuan(p.amount)}" for p in request.payees.order_by("position")]
    if payees:
        lines.append((_("Payees"), "、".join(payees)))
    return lines
