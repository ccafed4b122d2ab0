"""Issue 25: the congress agenda's rows, the history in plain words, a body member's notice and refusal,
supervisory comments: msgid → Simplified Chinese."""

# ruff: noqa: E501 (glossary lines pair a long English msgid with its translation)

ZH = {
    # --- the congress agenda (S2.3, S3.5) --------------------------------------------------------------
    "“%(document)s” is decided through “%(report)s” on the agenda; take it off the agenda.": "“%(document)s”随议程上的“%(report)s”一并审议，请将其移出议程。",
    "“%(document)s” is decided through “%(report)s”, which is before this body: put that report on the agenda instead.": "“%(document)s”须随已提交本机构的“%(report)s”一并审议：请将该报告列入议程。",
    "Decided with this report:": "随本报告一并审议：",
    # --- a body's member who does not record ---------------------------------------------------------
    "You are a member of the %(body)s, but its decisions are recorded by its chair, director or secretary, or by the union's office staff.": "您是%(body)s成员，但其决定由主席、主任或书记，或本工会办公室工作人员录入。",
    "The %(body)s must decide this step, and you record its decision.": "此步骤由%(body)s决定，由您录入其决定。",
    "The %(body)s must decide this step. You are a member of it; its decisions are recorded by its chair, director or secretary, or by the union's office staff.": "此步骤由%(body)s决定。您是其成员；其决定由主席、主任或书记，或本工会办公室工作人员录入。",
    # --- the history (workflows/history.py) ----------------------------------------------------------
    "created the %(kind)s": "创建了%(kind)s",
    "submitted the %(kind)s": "提交了%(kind)s",
    "changed the %(kind)s": "修改了%(kind)s",
    "made a change": "作了修改",
    "gave an opinion for %(union)s": "代表%(union)s提出意见",
    "%(what)s: %(state)s": "%(what)s：%(state)s",
    "recorded for the %(body)s: %(decision)s": "代表%(body)s记录：%(decision)s",
    "started the execution analysis": "开始编制执行分析",
    "filed the analysis": "报送了执行分析",
    "bound the new versions of its documents": "改为绑定所附文件的新版本",
    "took the audited closing balance as the funds rolled over": "以经审计的期末滚存经费作为上年结转",
    "reviewed the plan's progress": "检查了计划执行进度",
    # --- supervisory comments ------------------------------------------------------------------------
    "supervisory comment": "督导意见",
}
