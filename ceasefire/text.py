"""Small formatting rules shared by the pages, exports and CLI."""

from __future__ import annotations

import pandas as pd


def range_text(low, high) -> str:
    """A casualty range as text: '31–75', '43' when both ends agree, 'not stated' when
    neither is known, '31+' when only a minimum is ('more than 30')."""
    low = None if low is None or pd.isna(low) else int(low)
    high = None if high is None or pd.isna(high) else int(high)
    if low is None and high is None:
        return "not stated"
    if high is None:
        return f"{low:,}+"
    if low is None:
        return f"up to {high:,}"
    return f"{low:,}" if low == high else f"{low:,}–{high:,}"
