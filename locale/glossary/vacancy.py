"""A step nobody can take (issue 24): a body with no seat in force (workflows/services/vacancy.py,
oversight's stuck page)."""

# ruff: noqa: E501 (glossary lines pair a long English msgid with its translation)

ZH = {
    # --- workflows/services/vacancy.py: the notification to the chair and the supervisors above -------
    "Nobody can act on %(document)s at “%(step)s”: the %(body)s has no member in office": "《%(document)s》在“%(step)s”一步无人可办理：%(body)s没有在任成员",
    "Nobody can act on %(document)s at “%(step)s”: the %(body)s has no member in office from %(day)s": "《%(document)s》在“%(step)s”一步无人可办理：%(body)s自 %(day)s 起没有在任成员",
    # --- oversight/views/stuck.py, templates/oversight/stuck.html ---------------------------------------
    "Nobody can act": "无人可办理",
    "nobody can act": "无人可办理",
    "Only steps nobody can act on": "只看无人可办理的环节",
    "Steps of a body with no member in office, whatever their age": "所在机构没有在任成员的环节，不论积压天数",
    "the %(body)s has no member in office": "%(body)s没有在任成员",
}
