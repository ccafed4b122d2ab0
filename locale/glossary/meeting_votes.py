"""A body's vote that does not pass (未通过): the reason shown wherever a return's opinion is, the
meeting form's pass rule by each agenda item, the trail's rows (issue 24)."""

# ruff: noqa: E501 (glossary lines pair a long English msgid with its translation)

ZH = {
    # --- workflows/models.py MeetingItem.not_passed_text: the one wording of the reason -----------------
    "The vote did not pass: %(for)s for, %(against)s against, %(abstain)s abstaining (%(needed)s needed to pass)": "表决未通过：赞成 %(for)s 票，反对 %(against)s 票，弃权 %(abstain)s 票（通过需 %(needed)s 票）",
    # --- templates/workflows/_trail.html, workflows/trail.py --------------------------------------------
    "not passed": "未通过",
    "%(needed)s needed to pass": "通过需 %(needed)s 票",
    # --- workflows/views_decisions.py, templates/workflows/meeting_form.html -----------------------------
    "Approval needs %(needed)s votes for.": "通过需赞成 %(needed)s 票。",
    "With %(present)s members present, approval needs %(needed)s votes for.": "按出席 %(present)s 人计，通过需赞成 %(needed)s 票。",
    "Approval needs more than %(fraction)s of the members present voting for.": "通过需超过出席人数的 %(fraction)s 赞成。",
    "Approval needs at least %(fraction)s of the members present voting for.": "通过需不少于出席人数的 %(fraction)s 赞成。",
    "An approval without enough votes for is recorded as not passed and the document goes back for revision; no opinions are needed for it.": "赞成票不足时，选择“同意”将记录为未通过，文件退回修改，无需填写意见。",
    "“%(document)s” did not pass (%(votes_for)s votes for, %(needed)s needed): returned.": "“%(document)s”表决未通过（赞成 %(votes_for)s 票，通过需 %(needed)s 票），已退回修改。",
    # --- workflows/forms.py AgendaRowForm ------------------------------------------------------------------
    "Required for a return with opinions: say what must change. Optional when a vote does not pass.": "选择“退回（附意见）”时必填：请说明需要修改的内容；表决未通过时可不填。",
}
