"""Word classes of jieba tokens and the left-extension that finds where a name starts.

Most Chinese names end in a head word (局, 经开区, 项目, 大会) and start
wherever the words before stop being name-like: at punctuation, a function
word, a verb that governs the name, or a number. :func:`extend_left` walks
back from the head under a :class:`NamePolicy` that says, per entity type,
which words may stand inside a name.
"""

from __future__ import annotations

import csv
import functools
import re
from dataclasses import dataclass, field

from ..namespaces import package_file
from .lexicon import word_tags

_PUNCT = re.compile(r"^[\W_]+$")
_NUM = re.compile(r"^[\d.%+\-]+$|^[零〇一二两三四五六七八九十百千万亿]+$")
_ASCII = re.compile(r"^[A-Za-z][A-Za-z0-9&.\-]*$")

#: Words that end a name on its left whatever the entity type: function words and
#: the verbs that govern a name ("召开 X", "位于 X", "组建 X").
#: Characters that name an administrative level (浙江省, 上虞区, 阿坝州, 科右前旗).
DIVISION_CHARS = frozenset("省市区县州盟旗")
BOUNDARY_WORDS = frozenset(
    """的 地 得 在 于 由 对 与 及 以及 并 并且 等 是 为 将 把 被 从 向 以 了 着 过 和 或 或者 同 跟
    其 该 这 那 此 本 各 每 也 都 还 又 就 更 最 很 已 已经 正 正在 即将 将要 要 会 能 可 可以 让 使
    给 即 乃至 如 如何 只 所 之 据 据悉 经 通过 随着 围绕 依托 聚焦 紧扣 着力 坚持 按照 根据 针对 关于
    召开 举行 举办 出席 参加 参与 学习 贯彻 落实 入选 发布 印发 制定 出台 实施 开展 推进 推动 推行
    创设 设立 组建 成立 打造 构建 深化 加快 加强 支持 鼓励 引导 培育 签约 签下 落地 位于 落户 投资
    引进 招引 获得 获批 认定 表示 介绍 指出 强调 要求 提出 成为 作为 属于 包括 用于 主要 积极 全力
    全面 大力 持续 进一步 切实 深入 认真 扎实 不断 加速 助推 助力 带动 形成 实现 完成 启动 开工
    投产 建成 新增 累计 共 约 达 达到 超 超过 突破 近 计划 预计 拟 总 总投资 计划投资 今年 去年 明年
    目前 近年来 近日 日前 同时 此外 其中 以来 期间 当前 今后 我区 我市 我省 我县 本区 本市 本省 本县
    我们 他们 相关 有关 负责人 抢占 锻造 招商 分享 用好 依靠 发挥 展示 迭代 抓好 承载 引领
    充分发挥 重视 清理 规范 严格 严格执行 严格控制 建立健全 必须 凡是 保证 依法 高质量 高标准 好 办好 建好
    新上 改进 过去 以用 响应 響應 積極 发展壮大 扶持 加大""".split()
)



@functools.cache
def learned_boundaries() -> frozenset[str]:
    """Words that precede names but never stand inside one in CLUENER train (build_lexicons.py)."""
    with open(package_file("data", "name_boundaries.tsv"), encoding="utf-8", newline="") as fh:
        return frozenset(r["word"] for r in csv.DictReader(fh, delimiter="\t"))


#: Words that may start a name although they are tagged as adverbs or pronouns.
NAME_START_OK = frozenset("全区 全市 全省 全县 全国 党 中共".split())


def char_class(c: str) -> str:
    """D digit, A Latin letter, C CJK ideograph, S space, P anything else (a CRF feature)."""
    if c.isdigit():
        return "D"
    if c.isascii() and c.isalpha():
        return "A"
    if "\u4e00" <= c <= "\u9fff":
        return "C"
    if c.isspace():
        return "S"
    return "P"


def word_class(token: str) -> str:
    """A coarse class: punct, num, ascii, unk (not in jieba's dictionary) or jieba's POS tag."""
    if _PUNCT.match(token):
        return "punct"
    if _NUM.match(token):
        return "num"
    if _ASCII.match(token):
        return "ascii"
    return word_tags().get(token, "unk")


def is_proper(token: str) -> bool:
    """Looks like part of a proper name: unknown to the dictionary or tagged as a name."""
    if token in BOUNDARY_WORDS or token in learned_boundaries():
        return False
    return word_class(token) in ("unk", "nr", "nrt", "nrfg", "ns", "nt", "nz", "j")


@dataclass(frozen=True)
class NamePolicy:
    """Which tokens may stand inside a name of one entity type, left of its head."""

    max_chars: int = 20
    stop_classes: frozenset[str] = frozenset(
        "punct p c u uj ul uz ud ug uv r d ad vd i l y e o".split()
    )
    allow_verbs: bool = False
    allow_numbers: bool = False
    inner_ok: frozenset[str] = field(default_factory=frozenset)  # words allowed despite their class
    extra_stops: frozenset[str] = field(default_factory=frozenset)


def extend_left(tokens: list[tuple[str, int]], head: int, policy: NamePolicy,
                limit_start: int = 0) -> int:
    """Index of the first token of the name whose head token is ``tokens[head]``.

    Returns ``head`` itself when no token on its left belongs to the name.
    """
    start = head
    head_end = tokens[head][1] + len(tokens[head][0])
    i = head - 1
    while i >= limit_start:
        tok, pos = tokens[i]
        if head_end - pos > policy.max_chars:
            break
        if tok in policy.inner_ok:
            start = i
            i -= 1
            continue
        if tok in BOUNDARY_WORDS or tok in policy.extra_stops or tok in learned_boundaries():
            break
        cls = word_class(tok)
        if cls in policy.stop_classes and tok not in NAME_START_OK:
            break
        if cls in ("num", "m", "mq", "q") and not policy.allow_numbers:
            break
        if cls.startswith("v") and cls != "vn" and not policy.allow_verbs:
            break
        start = i
        i -= 1
    # A name does not start with a conjunction-like inner word.
    while start < head and tokens[start][0] in policy.inner_ok and tokens[start][0] in ("和", "暨", "与"):
        start += 1
    return start
