"""The few fixed words Lectern itself prints, per language (everything else is the lesson's)."""

from __future__ import annotations

_ZH = {
    "objectives": "学习目标",
    "agenda": "主要内容",
    "opening": "导语",
    "summary": "结语",
    "reading": "延伸阅读",
    "notes": "学习笔记",
    "questions": "讨论题",
    "discussion": "讨论交流",
    "continued": "（续）",
    "minutes": "{n}分钟",
    "page": ("第 ", " 页 / 共 ", " 页"),
    "session": "学习时间",
    "place": "地点",
    "name": "姓名",
    "reflection": "学习体会",
    "facilitator": "主持人手册",
    "plan": "议程安排",
    "time": "时间",
    "activity": "环节",
    "lecture": "专题讲授",
    "closing": "总结",
    "hints": "引导要点",
    "follow_up": "追问",
    "key_points": "相关要点",
    "participant": "讨论题单",
    "kind": {
        "discussion": "讨论",
        "reflection": "反思",
        "case": "案例",
        "debate": "辩论",
        "action": "行动",
    },
    "thanks": "谢谢！",
    "colon": "：",
}

_EN = {
    "objectives": "Learning objectives",
    "agenda": "Agenda",
    "opening": "Introduction",
    "summary": "Summary",
    "reading": "Further reading",
    "notes": "Notes",
    "questions": "Questions",
    "discussion": "Discussion",
    "continued": " (cont.)",
    "minutes": "{n} min",
    "page": ("Page ", " of ", ""),
    "session": "Date",
    "place": "Place",
    "name": "Name",
    "reflection": "Reflection",
    "facilitator": "Facilitator guide",
    "plan": "Session plan",
    "time": "Time",
    "activity": "Activity",
    "lecture": "Talk",
    "closing": "Wrap-up",
    "hints": "Hints",
    "follow_up": "Follow-up",
    "key_points": "Key points",
    "participant": "Discussion questions",
    "kind": {
        "discussion": "Discussion",
        "reflection": "Reflection",
        "case": "Case",
        "debate": "Debate",
        "action": "Action",
    },
    "thanks": "Thank you",
    "colon": ": ",
}


def labels(language: str) -> dict:
    """The label set for a BCP 47 language tag (Chinese for zh-*, English otherwise)."""
    return _ZH if language.lower().startswith("zh") else _EN
