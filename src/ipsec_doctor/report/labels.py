"""Fixed report wording in both languages."""

from __future__ import annotations

LABELS = {
    "en": {
        "title": "ipsec-doctor report",
        "peer": "peer",
        "device": "device",
        "unknown_device": "(device not named)",
        "any_peer": "(no peer address)",
        "confidence": "confidence",
        "evidence": "Evidence",
        "steps": "Steps",
        "fix": "Fix",
        "signals": "signals",
        "next": "Collect next",
        "why": "why",
        "none": "No IPsec failure evidence was recognised in the input.",
        "unknown": "Reasons not in the knowledge base (reported as-is)",
        "unparsed": "IPsec-looking lines no parser could read",
        "normal": "normal event - no action needed",
        "seen": "seen",
        "times": "times",
        "time": "time",
        "lines": "lines read",
        "tree": "Where you are in the fault tree",
        "you_are_here": "you are here",
        "where": "on",
    },
    "zh": {
        "title": "ipsec-doctor 诊断报告",
        "peer": "对端",
        "device": "设备",
        "unknown_device": "（未识别设备名）",
        "any_peer": "（无对端地址）",
        "confidence": "置信度",
        "evidence": "证据",
        "steps": "排查步骤",
        "fix": "修复",
        "signals": "信号",
        "next": "下一步收集",
        "why": "原因",
        "none": "输入中没有识别到IPSec故障证据。",
        "unknown": "知识库未收录的原因（原样报告）",
        "unparsed": "无法解析的IPSec相关行",
        "normal": "正常事件，无需处理",
        "seen": "出现",
        "times": "次",
        "time": "次",
        "lines": "已读取行数",
        "tree": "故障树中的位置",
        "you_are_here": "当前位置",
        "where": "设备",
    },
}


def labels(lang: str) -> dict[str, str]:
    return LABELS["zh" if lang == "zh" else "en"]
