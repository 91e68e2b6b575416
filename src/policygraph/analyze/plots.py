"""Pictures rather than walls of numbers: matplotlib charts of the analyst tables.

Chinese labels need a CJK font; :func:`use_cjk_font` picks the first installed
one (WenQuanYi Micro Hei, Noto Sans CJK, Source Han Sans …) and otherwise
leaves matplotlib's default, which draws boxes for Chinese characters.
"""

from __future__ import annotations

import functools

import pandas as pd
from rdflib import Dataset, Graph

from .tables import events_timeline, investment_by_industry

CJK_FONTS = ("WenQuanYi Micro Hei", "WenQuanYi Zen Hei", "Noto Sans CJK SC", "Noto Sans SC",
             "Source Han Sans SC", "SimHei", "Microsoft YaHei", "PingFang SC")


@functools.cache
def use_cjk_font() -> str | None:
    """Make matplotlib draw Chinese text with an installed CJK font; returns its name or None."""
    import matplotlib
    from matplotlib import font_manager

    installed = {f.name for f in font_manager.fontManager.ttflist}
    if not installed & set(CJK_FONTS):  # installed after matplotlib built its font cache
        for path in font_manager.findSystemFonts():
            if any(k in path.lower() for k in ("wqy", "cjk", "sourcehan", "simhei", "msyh")):
                font_manager.fontManager.addfont(path)
        installed = {f.name for f in font_manager.fontManager.ttflist}
    for name in CJK_FONTS:
        if name in installed:
            matplotlib.rcParams["font.sans-serif"] = [name, *matplotlib.rcParams["font.sans-serif"]]
            matplotlib.rcParams["font.family"] = "sans-serif"
            matplotlib.rcParams["axes.unicode_minus"] = False
            return name
    return None


def bar_investment_by_industry(ds: Dataset | Graph, top: int = 15, ax=None):
    """Horizontal bars: announced investment (亿元) per industry."""
    import matplotlib.pyplot as plt

    use_cjk_font()
    df = investment_by_industry(ds).head(top).iloc[::-1]
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 0.4 * max(len(df), 3) + 1))
    ax.barh(df["industry"], df["yuan"] / 1e8, color="#f28e2b")
    ax.set_xlabel("投资额 (亿元)")
    ax.set_title("Investment by industry")
    return ax


def timeline(ds: Dataset | Graph, ax=None):
    """Dated events and projects on a time axis."""
    import matplotlib.pyplot as plt

    use_cjk_font()
    df = events_timeline(ds)
    df = df.assign(when=pd.to_datetime(df["date"], format="mixed"))
    if ax is None:
        _, ax = plt.subplots(figsize=(9, 0.35 * max(len(df), 3) + 1))
    colours = {"Event": "#9c755f", "Project": "#edc948"}
    for i, row in enumerate(df.itertuples()):
        ax.scatter(row.when, i, color=colours.get(row.type, "grey"), s=40, zorder=3)
        ax.annotate(row.label[:28], (row.when, i), xytext=(6, -3), textcoords="offset points", fontsize=8)
    ax.set_yticks([])
    ax.set_title("Timeline of events and projects")
    return ax
