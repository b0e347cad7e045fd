"""The app's words: the one label catalogue (presentation.labels), which the meeting and the report use too."""
from presentation import MONTHS_EN, TEXTS, enum_label, month_label, spc_rule_label, spc_signal_text, t

__all__ = ["MONTHS_EN", "TEXTS", "enum_label", "month_label", "spc_rule_label", "spc_signal_text", "t"]
