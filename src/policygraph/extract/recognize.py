"""Recognisers: small named components that add candidate mentions to a Doc.

Each recogniser looks for one kind of evidence (a head word, a gazetteer
entry, a pattern such as 总投资X亿元的Y项目) and adds :class:`Mention`
candidates with a priority; :func:`resolve_overlaps` then keeps a consistent
set. The rules are data (``SUFFIX_RULES``), the code applies them.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass

from .doc import Doc, Mention, Sentence
from .lexicon import lexicons, tokenizer
from .quantities import AMOUNT
from .tokens import BOUNDARY_WORDS, DIVISION_CHARS, NamePolicy, extend_left, is_proper, word_class

Component = Callable[[Doc], None]
REGISTRY: dict[str, Component] = {}


def component(name: str) -> Callable[[Component], Component]:
    """Register a pipeline component under ``name`` (spaCy-style registry)."""

    def deco(fn: Component) -> Component:
        REGISTRY[name] = fn
        return fn

    return deco


# ---------------------------------------------------------------- helpers

def _add(doc: Doc, start: int, end: int, type_: str, source: str, priority: int) -> Mention | None:
    text = doc.text[start:end]
    if not text or end - start < 2:
        return None
    m = Mention(start, end, text, type_, source, priority)
    doc.mentions.append(m)
    return m


def _token_containing(sent: Sentence, pos: int) -> int:
    idx = 0
    for i, (_, p) in enumerate(sent.tokens):
        if p <= pos:
            idx = i
        else:
            break
    return idx


def _prefix_set(names) -> frozenset[str]:
    return frozenset(n[:k] for n in names for k in range(1, len(n) + 1))


@functools.cache
def _prefixes(lexicon: str) -> frozenset[str]:
    lex = lexicons()
    if lexicon == "places":
        return _prefix_set([*lex.places.by_name, *lex.places.by_short])
    if lexicon == "industries":
        return _prefix_set(lex.industries)
    return _prefix_set(lex.companies)


def _spans_from(toks: list[tuple[str, int]], i: int, lexicon: str, max_tokens: int) -> list[str]:
    """Concatenations of tokens i, i+1, … that begin some lexicon entry (shortest first)."""
    prefixes = _prefixes(lexicon)
    out = []
    cand = ""
    for tok, _ in toks[i:i + max_tokens]:
        cand += tok
        if cand not in prefixes:
            break
        out.append(cand)
    return out


# Modifiers that alone do not make a name ("重大项目", "相关部门", "本次会议").
GENERIC = frozenset(
    """相关 有关 各 该 本 此 这 各级 重大 重点 一批 新 主要 其他 全体 部分 多个 这些
        上述 下属 所属 龙头 优质 大型 中小 小微 民营 国有 外资 骨干 领军 头部 链主 签约
        产业 建设 工作 专项 一般 首个 首批 一个 新型 这次 本次 此次 该次 历次 每次 上次
        下次 各类 各种 同类 类似 国家级 省级 市级 区级 县级 一些 有效 我国 政府 企业 公司
        单位 部门 机构 行业 地方 当地 本地 外地 全省 全市 全区 全县 全国 会议 大会 主导
        新兴 未来 战略 内生""".split()
)


def _is_place_word(token: str) -> bool:
    places = lexicons().places
    return token in places.by_name or token in places.by_short or token in ("中央", "国家", "特区")


def division_start(words: list[str]) -> int:
    """Where a name's words really begin: at the last 省/市/县… that follows a word which is
    no place ('何毅省公安厅' in a contact list starts at 省), else at 0."""
    for k in range(len(words) - 1, 0, -1):
        if words[k] in DIVISION_CHARS and not _is_place_word(words[k - 1]):
            return k
    return 0


def _is_generic(tokens: list[str]) -> bool:
    return all(t in GENERIC or word_class(t) in ("num", "m", "q", "punct") for t in tokens)


# ---------------------------------------------------------------- head-word names

COMPANY = NamePolicy(max_chars=30, allow_numbers=False)
AGENCY = NamePolicy(max_chars=22, inner_ok=frozenset({"和"}))
ORGANIZATION = NamePolicy(max_chars=22, inner_ok=frozenset({"和"}))
ZONE = NamePolicy(max_chars=18)
FUND = NamePolicy(max_chars=16)
PROJECT = NamePolicy(max_chars=28, allow_verbs=True,
                     stop_classes=frozenset("punct p c u uj ul uz ud ug uv r y e o".split()))
EVENT = NamePolicy(
    max_chars=40, allow_verbs=True, allow_numbers=True,
    stop_classes=frozenset("punct p c u ul uz ud ug uv r d ad vd i y e o".split()),
    inner_ok=frozenset("暨 党 届 推进 推动 建设 发展 招商 签约 投资 合作 创新 交流 表彰 动员".split()),
    extra_stops=frozenset("精神 现场 期间 上 中 认识 领会 传达 列席 主持 讲话 审议".split()),
)


@dataclass(frozen=True)
class SuffixRule:
    type: str
    heads: tuple[str, ...]
    policy: NamePolicy
    min_prefix: int = 2  # characters of name before the head
    priority: int = 6
    single_char_heads_need_own_token: bool = True
    generic_ok_from: int = 99  # a name of this many generic words still counts (区级产业基金)
    needs_proper: tuple[str, ...] = ()  # heads whose name must hold a proper or place word (X政府)
    bare_head_chars: int = 99  # a head this long is a name alone (经济技术开发区, 自贸试验区)
    # words after the head that make it a modifier (项目清单); a type may allow some (园区建设)
    head_ok_before: frozenset[str] = frozenset()


SUFFIX_RULES: tuple[SuffixRule, ...] = (
    SuffixRule("Company", ("集团股份有限公司", "股份有限公司", "集团有限公司", "有限责任公司", "有限公司",
                           "控股集团", "集团公司", "集团"), COMPANY, needs_proper=("集团", "公司")),
    SuffixRule("GovernmentAgency", ("人民政府", "政府", "管理委员会", "管委会", "委员会", "总局", "局", "厅",
                                    "委", "办公室", "办", "部", "署", "国务院"), AGENCY, min_prefix=1,
               needs_proper=("政府", "人民政府")),
    SuffixRule("Organization", ("国际认证联盟", "联盟", "协会", "商会", "学会", "联合会", "促进会", "研究会",
                                "基金会", "大学", "学院", "研究院", "研究所", "研究中心", "实验室", "医院",
                                "党校", "报社", "电视台", "合作社", "创新中心", "科学中心", "科学院", "工程院",
                                "交易所", "剧院", "博物馆", "图书馆", "纪念馆"), ORGANIZATION),
    SuffixRule("Zone", ("经济技术开发区", "经济开发区", "高新技术产业开发区", "高新技术开发区", "开发区",
                        "经开区", "高新区", "自由贸易试验区", "自贸试验区", "自贸区", "综合保税区", "保税区",
                        "工业园区", "产业园区", "工业园", "产业园", "科技园", "生态园", "园区", "区块",
                        "产业社区", "集聚区", "产业基地", "新区", "示范区", "试验区", "物流园", "公园", "商圈",
                        "商务区", "合作区", "科学城", "生态城", "片区", "度假区", "功能区", "旅游区"), ZONE,
               bare_head_chars=5, head_ok_before=frozenset("建设 发展 管理 投资 招引 推进 签约 开工 落地".split())),
    SuffixRule("Fund", ("母基金", "引导基金", "基金"), FUND, generic_ok_from=2),
    SuffixRule("Project", ("项目",), PROJECT, min_prefix=3, needs_proper=("项目",)),
    SuffixRule("Event", ("大会", "会议", "论坛", "峰会", "博览会", "展览会", "交易会", "洽谈会", "推介会",
                         "发布会", "座谈会", "现场会", "推进会", "例会", "全会", "年会", "研讨会", "对接会",
                         "招商会", "表彰会", "动员会", "工作会"), EVENT),
)
# Everyday words that end in an agency head character but name no agency.
NOT_AGENCY_WORDS = frozenset(
    """布局 全局 格局 大局 开局 结局 当局 僵局 变局 新局 干部 全部 内部 外部 东部 西部
        中部 南部 北部 局部 俱乐部 总部 基部 头部 底部 腹部 面部 细部 各部 本部 支部 原委
        举办 创办 主办 承办 开办 兴办 筹办 督办 包办 快办 代办 申办 协办 查办 置办 操办
        照办 法办 好办 怎么办 通办 网办 帮办 一办 联办 合办 惩办 自办 官办 民办 少办 钱办 破局 残局 骗局 饭局 赌局 政局 时局 棋局 终局 出局 入局 邮局 大厅 餐厅 客厅 展厅 门厅 歌厅 舞厅 部署 签署 编委 村委 居委""".split()
)
# A head followed by one of these is a modifier of a longer phrase, not the end of a name.
NOT_A_HEAD_BEFORE = frozenset(
    """清单 库 建设 工作 资金 负责人 管理 名单 目录 体系 机制 发展 平台 领导 成员 主任
        书记 局长 会长 代表 人员 长 党组 系统 投资 招引 推进 签约 开工 落地 数量 总数
        个数 数""".split()
)


def _rule_regex(rule: SuffixRule) -> re.Pattern[str]:
    heads = sorted(rule.heads, key=len, reverse=True)
    return re.compile("|".join(map(re.escape, heads)))


_RULE_RES = [(_rule_regex(r), r) for r in SUFFIX_RULES]


def _head_names(doc: Doc, sent: Sentence, rule: SuffixRule, rx: re.Pattern[str], ends: frozenset[int]) -> None:
    text = doc.text[sent.start:sent.end]
    for m in rx.finditer(text):
        s, e = m.start() + sent.start, m.end() + sent.start
        if e not in ends:
            continue
        first_head = _token_containing(sent, s)  # the head may start inside a token (监管局)
        last_head = _token_containing(sent, e - 1)
        head_tok, head_pos = sent.tokens[first_head]
        # 局/部/委 inside a dictionary word (干部, 全局, 布局) is no agency head.
        if len(m.group()) == 1 and rule.single_char_heads_need_own_token and (
                head_tok in NOT_AGENCY_WORDS or head_tok[-2:] in NOT_AGENCY_WORDS):
            continue
        nxt = sent.tokens[last_head + 1][0] if last_head + 1 < len(sent.tokens) else ""
        if nxt in NOT_A_HEAD_BEFORE and nxt not in rule.head_ok_before:
            continue
        name_tokens = [head_tok[: s - head_pos]] if head_pos < s else []
        if name_tokens and (name_tokens[0] in BOUNDARY_WORDS or name_tokens[0] in rule.policy.extra_stops):
            continue  # 出席会议: the head's token starts with a governing verb, no name before it
        start_idx = extend_left(sent.tokens, first_head, rule.policy)
        # 'X和Y局' joins two words of one name; 'X和上虞政府' joins two phrases: cut before a place
        for k in range(first_head - 1, start_idx, -1):
            if sent.tokens[k][0] == "和" and _is_place_word(sent.tokens[k + 1][0]):
                start_idx = k + 1
                break
        start_idx += division_start([t for t, _ in sent.tokens[start_idx:first_head]])
        name_tokens = [t for t, _ in sent.tokens[start_idx:first_head]] + name_tokens
        start = min(sent.tokens[start_idx][1], s)
        gap = doc.last_gap(start, s) if rule.type in _CUT_AT_GAPS else None
        if gap is not None and s - gap >= rule.min_prefix:
            start = gap  # '张天培 省发展改革委': a space the layout left separates two words
            name_tokens = [doc.text[gap:s]]
        if s == start and len(m.group()) >= rule.bare_head_chars:
            _add(doc, s, e, rule.type, f"head:{rule.type}:bare", rule.priority)
            continue
        if s - start < rule.min_prefix:
            continue
        if _is_generic(name_tokens) and len(name_tokens) < rule.generic_ok_from:
            continue
        if m.group() in rule.needs_proper and not any(is_proper(t) or _is_place_word(t) for t in name_tokens):
            continue
        _add(doc, start, e, rule.type, f"head:{rule.type}", rule.priority)


# Names cut where the original had a space: bodies' names hold none, while event and
# programme names do hold lost quotation marks (第三届 一带一路 国际合作高峰论坛).
_CUT_AT_GAPS = frozenset({"Company", "GovernmentAgency", "Organization", "Zone", "Fund"})


@component("head_names")
def head_names(doc: Doc) -> None:
    """Names that end in a head word: 经开区, 管委会, 有限公司, 项目, 大会 …"""
    for sent in doc.sentences:
        ends = sent.token_ends
        for rx, rule in _RULE_RES:
            _head_names(doc, sent, rule, rx, ends)


# ---------------------------------------------------------------- places

#: words that stand for "this area": 我区, 全市 … They name the document's region only when the
#: region is that kind of area (全区 in a district's or an autonomous region's text, 全市 in a
#: city's or Shanghai's); 全市 in a district paper is the city around it, which the text does not
#: name, so it is no mention of the district.
_REGION_WORDS = frozenset({f"{p}{k}" for p in "我全本" for k in "区市省县旗州盟"})


def refers_to_region(doc: Doc, word: str) -> bool:
    """Whether ``word`` (我区, 全市 …) stands for the document's region.

    >>> from policygraph.extract import Pipeline
    >>> from policygraph.ingest import Document
    >>> doc = Pipeline().make_doc(Document("a.txt", "", region="上虞区"))
    >>> [refers_to_region(doc, w) for w in ("我区", "全区", "全市", "全省")]
    [True, True, False, False]
    """
    region = doc.region
    if region is None:
        return False
    if not region.code:  # a region the gazetteer does not know: take the text's word for it
        return True
    return region.name.endswith(word[-1])


#: 我部, 本局, 我委 …: the document's issuer speaking of itself. Not 本部门 (any department),
#: 本办法 (these measures), 我委托, 部署 …: the character after the head rules those out.
_SELF = re.compile(r"(我|本)(委员会|办公室|办公厅|部|局|委|厅|办|署)"
                   r"(?!门|分|级|署|属|长|内|外|位|法|理|事|托|员|屈|婉|件|规|次|条|项|则|落|公)")
_HEADS = {"部": ("部",), "局": ("局",), "委": ("委", "委员会"), "委员会": ("委员会",), "厅": ("厅",),
          "办": ("办", "办公室", "办公厅"), "办公室": ("办公室",), "办公厅": ("办公厅",), "署": ("署",)}


@component("issuer_refs")
def issuer_refs(doc: Doc) -> None:
    """我部/本局/我委 as the document's issuer, when its metadata names one agency of that kind
    (a ministry's notice saying 我部 is that ministry)."""
    issuer = doc.issuer
    if issuer is None:
        return
    for m in _SELF.finditer(doc.text):
        if issuer.name.endswith(_HEADS[m.group(2)]):
            mention = _add(doc, m.start(), m.end(), "GovernmentAgency", "issuer", 9)  # over head-word rules
            if mention:
                mention.entity = "issuer"


@component("places")
def places(doc: Doc) -> None:
    """Administrative areas from the NBS gazetteer, token-aligned; 我区/全市 as the document's region."""
    gaz = lexicons().places
    for sent in doc.sentences:
        toks = sent.tokens
        n = len(toks)
        i = 0
        while i < n:
            found = 0
            for k, name in reversed(list(enumerate(_spans_from(toks, i, "places", 4), start=1))):
                if len(name) < 2:
                    continue
                if name in gaz.by_name or (name in gaz.by_short and _short_ok(doc, name)):
                    _add(doc, toks[i][1], toks[i][1] + len(name), "Place", "gazetteer", 4)
                    found = i + k
                    break
            if not found and toks[i][0] in _REGION_WORDS and refers_to_region(doc, toks[i][0]):
                m = _add(doc, toks[i][1], toks[i][1] + len(toks[i][0]), "Place", "region", 5)
                if m:
                    m.entity = "region"
            i = found or i + 1


def _short_ok(doc: Doc, short: str) -> bool:
    """A short place name (上虞 for 上虞区) counts unless it is an everyday word."""
    places = lexicons().places.by_short[short]
    if any(p.level <= 2 for p in places):
        return True
    if doc.region is not None and doc.region.code:
        region_code = doc.region.code
        if any(p.code.startswith(region_code[:4]) for p in places):
            return True
    return tokenizer().FREQ.get(short, 0) < 50


# ---------------------------------------------------------------- industries

_INDUSTRY_CONTEXT = re.compile(r"(产业集群|产业链|产业|行业|赛道|领域|板块|企业)")
_ZONE_AFTER = re.compile(r"园|基地|集聚区|社区|区")
_DEVELOPS = re.compile(r"(高质量发展|发展|融合|转型|升级|集群)")
_INDUSTRY_LIST_HEAD = re.compile(
    r"(等)?([一二三四五六七八九十两\d]+(?:大|个|类))?([\u4e00-\u9fff]{0,8}?)(产业集群|产业|行业|赛道|领域|服务业)"
    # '双招双引等产业活动', '等行业主管部门': the list names activities or bodies, not industries
    r"(?!活动|政策|资金|基金|项目|园|部门|主管|协会|联盟|人才|工作|用地|合作)"
)


@component("industries")
def industries(doc: Doc) -> None:
    """Industry terms: curated ones anywhere, classification terms where context says industry."""
    lex = lexicons().industries
    text = doc.text
    for sent in doc.sentences:
        toks = sent.tokens
        n = len(toks)
        i = 0
        while i < n:
            found = 0
            for k, term in reversed(list(enumerate(_spans_from(toks, i, "industries", 4), start=1))):
                j = i + k
                src = lex.get(term)
                if src is None or len(term) < 2:
                    continue
                end = toks[i][1] + len(term)
                ctx = _INDUSTRY_CONTEXT.match(text, end, sent.end)
                if src == "curated" and not ctx and len(term) <= 2 and not _DEVELOPS.match(text, end):
                    break  # 软件 in 硬件和软件: a two-character term needs industry context
                if src == "curated" or ctx:
                    if ctx and ctx.group() in ("产业集群", "产业", "行业", "赛道") \
                            and not _ZONE_AFTER.match(text, ctx.end()):  # 食品产业园 is a zone
                        end = ctx.end()  # 先进材料产业集群 is the mention; its label drops the suffix
                    _add(doc, toks[i][1], end, "Industry", f"industry:{src}", 4)
                    found = j
                break
            i = found or i + 1


# Words that open a list item without being part of the industry's name (面向化工, 壮大云计算).
_INDUSTRY_ITEM_LEAD = frozenset("面向 发展 壮大 布局 重点 建设 鼓励 支持 培育 推动 加快 聚焦 投向 重点投向 重点面向 "
                                "包括 如 以及 及 和 与 做强 做优 做大 提升 拓展 延伸".split())
# Single words that close a list like an industry but name none.
_NOT_INDUSTRIES = frozenset("发展 鼓励 要求 产业 行业 企业 应用 系统 建设 升级 标准 创新 用户 生活 社会 经济 智能 "
                            "基地 配套 前沿性 颠覆性 高校 可靠性 领域 方面 其他 相关".split())


def _industry_item(doc: Doc, s: int, e: int) -> tuple[int, int]:
    """A list item's span without the verbs and prepositions that open it."""
    words = tokenizer().lcut(doc.text[s:e])
    while len(words) > 1 and words[0] in _INDUSTRY_ITEM_LEAD:
        s += len(words.pop(0))
    return s, e


@component("industry_lists")
def industry_lists(doc: Doc) -> None:
    """Enumerations that end in 产业/行业: 'A、B、C和D四大新兴产业', 'A、B等优势产业'."""
    for sent in doc.sentences:
        toks = sent.tokens
        n = len(toks)
        i = 0
        while i < n:
            # find a run of items separated by 、
            if toks[i][0] != "、":
                i += 1
                continue
            seps = [i]
            j = i + 1
            while j < n and toks[j][0] not in ",，。;；:：":
                if toks[j][0] == "、":
                    seps.append(j)
                j += 1
            clause_end = toks[j - 1][1] + len(toks[j - 1][0]) if j > i else toks[i][1]
            # the last item ends where the list head (等…产业) begins
            last_start = toks[seps[-1] + 1][1] if seps[-1] + 1 < n else clause_end
            tail = doc.text[last_start:clause_end]
            head = None
            for k in range(1, min(len(tail), 14) + 1):
                m = _INDUSTRY_LIST_HEAD.match(tail, k)
                if m and (m.group(1) or m.group(2)):  # 'A、B等…产业' or 'A、B四大…产业'
                    head = (k, m)
                    break
            if head is None:
                # no head (发展银发经济、首发经济、情绪经济; 汽车、建材、家电等企业): a list whose
                # items are mostly lexicon industries is a list of industries
                etc = tail.find("等")
                last_len = etc if etc >= 0 else (len(tail) if len(tail) <= 6 else -1)
                if last_len < 2:
                    i = j
                    continue
                k, by_lexicon = last_len, True
            else:
                k, by_lexicon = head[0], False
            first = extend_left(toks, seps[0] - 1, NamePolicy(max_chars=8))
            bounds = [toks[first][1]] + [toks[s][1] + 1 for s in seps]
            ends = [toks[s][1] for s in seps] + [last_start + k]
            items = list(zip(bounds, ends, strict=True))
            items = [_industry_item(doc, s, e) for s, e in items]
            if by_lexicon:
                known = sum(doc.text[s:e] in lexicons().industries for s, e in items)
                if len(items) < 3 or 2 * known < len(items):
                    i = j
                    continue
            if all(2 <= e - s <= 8 for s, e in items):
                for s, e in items:
                    piece = doc.text[s:e]
                    if piece in _NOT_INDUSTRIES or _is_place_word(piece):
                        continue  # 发展、鼓励 …; 济南、青岛等地的产业
                    if "和" in piece and s == items[-1][0]:
                        a, b = piece.split("和", 1)
                        if len(a) >= 2 and len(b) >= 2:
                            _add(doc, s, s + len(a), "Industry", "industry:list", 5)
                            _add(doc, s + len(a) + 1, e, "Industry", "industry:list", 5)
                            continue
                    _add(doc, s, e, "Industry", "industry:list", 5)
            i = j


#: A clause that opens with a field's name: '能源领域，…', '交通领域：…'
_FIELD_HEADER = re.compile(r"(?:^|(?<=[；;。，,：:\n）)]))(?P<name>[\u4e00-\u9fff]{2,6}?)领域(?=[，,：:])")


@component("field_headers")
def field_headers(doc: Doc) -> None:
    """The field a clause is about, named at its head: '能源领域，青山联网工程开工建设'."""
    for sent in doc.sentences:
        for m in _FIELD_HEADER.finditer(doc.text, sent.start, sent.end):
            name = m.group("name")
            if name not in _NOT_INDUSTRIES and not _is_place_word(name):
                _add(doc, m.start("name"), m.end("name"), "Industry", "industry:header", 5)


# ---------------------------------------------------------------- investment projects

_INVEST_RE = re.compile(
    rf"(?:总投资|计划投资|投资总额|总投资额|投资)(?:约|达|超|近|逾)?(?P<amt>{AMOUNT})(?:的|建设的|打造的)"
    r"(?P<name>[^,，。;；、:：的“”\"()（）]{2,30}?(?:项目|产业园|基地|工程|园区|中心|工厂|产业园项目))"
)


@component("invested_projects")
def invested_projects(doc: Doc) -> None:
    """'总投资106亿元的X项目': a project whose name follows its investment."""
    for m in _INVEST_RE.finditer(doc.text):
        if _SLOGAN_RE.match(m.group("name")):
            continue  # 总投资2400亿元的五个一批重大项目: a programme's projects, not a project
        _add(doc, m.start("name"), m.end("name"), "Project", "invest-pattern", 9)


# ---------------------------------------------------------------- meetings

_MEETING_HEADS = "|".join(
    sorted(
        {h for r in SUFFIX_RULES if r.type == "Event" for h in r.heads if len(h) <= 3}, key=len, reverse=True
    )
)
_MEETING_RE = re.compile(
    rf"(?:^|[,，。;；\n])(?:[^,，。;；\n]{{0,12}}?(?:日|上午|下午|晚上|月|年)[,，]?)?"
    rf"(?P<name>[^,，。;；\n]{{4,60}}?(?:{_MEETING_HEADS}))"
    r"(?:在[^,，。;；\n]{1,12}?)?(?:隆重|顺利|正式)?(?:召开|举行|开幕|闭幕|举办)"
)


@component("meetings")
def meetings(doc: Doc) -> None:
    """'X大会召开': a clause that opens with a meeting's full name."""
    for m in _MEETING_RE.finditer(doc.text):
        s, e = m.span("name")
        name = m.group("name")
        lead = re.match(r"^(?:\d{1,2}月\d{1,2}日|今天|昨天|近日|日前)?(?:上午|下午|晚上)?", name)
        if lead and lead.end():
            s += lead.end()
        if e - s >= 4:
            _add(doc, s, e, "Event", "meeting-pattern", 9)


# ---------------------------------------------------------------- programmes

_TITLE_RE = re.compile(r"《(?P<t>[^《》\n]{3,60})》")  # 《纲要》 alone names nothing
_POLICY_TITLE = re.compile(
    r"(方案|意见|规划|计划|办法|通知|决定|纲要|条例|规定|措施|举措|指南|行动|目录|清单|法|细则|政策|标准|"
    r"战略|意见稿|报告|实施方案|若干措施|工作要点|指引|导则|制度|体系|机制|工程|年)$"
)


@component("titles")
def titles(doc: Doc) -> None:
    """《…》 titles of policies, plans and measures."""
    for m in _TITLE_RE.finditer(doc.text):
        if _POLICY_TITLE.search(m.group("t")):
            _add(doc, m.start("t"), m.end("t"), "Programme", "title", 9)


_PLUS_RE = re.compile(
    r"(?P<name>(?:[0-9A-Za-z一二三四五六七八九十]+|[\u4e00-\u9fff]{2})(?:\+(?:[0-9A-Za-z一二三四五六七八九十]+|[\u4e00-\u9fff]{2}))+"
    r"[\u4e00-\u9fff]{0,10}?(?:产业体系|发展体系|政策体系|体系|协同机制|工作机制|机制|模式|格局|工程|计划|战略|行动|布局))"
)


@component("plus_systems")
def plus_systems(doc: Doc) -> None:
    """'4+4现代化产业体系', '链长+链主协同机制', '1+1+N基金发展体系'."""
    for sent in doc.sentences:
        starts = sent.token_starts
        for m in _PLUS_RE.finditer(doc.text, sent.start, sent.end):
            s = m.start()
            if s not in starts:
                # the first item's left edge fell inside a token (依托链长): move to the token start
                idx = _token_containing(sent, s)
                tok, pos = sent.tokens[idx]
                if pos + len(tok) < m.start() + m.group().index("+"):
                    s = pos + len(tok)
                else:
                    continue
            _add(doc, s, m.end(), "Programme", "plus-system", 8)


_CN_NUM = "一二三四五六七八九十两百千"
_SLOGAN_RE = re.compile(
    rf"(?P<name>(?:[{_CN_NUM}]+(?:大|个一|条|项|榜|张|脉|化|支|链|心)|\d{{3,}}(?![项个家条年万亿元人所座次件台]))"
    r"[\u4e00-\u9fff]{0,4}?(?:工作机制|机制|举措|工程|行动|工作目标|目标|一批|批|赛马|融合|模式|计划|平台|清单))"
)


#: Heads a list of names can share (莱临、德商铁路; 桑龙、城龙等7条高速公路; 十九届二中、三中全会),
#: by the type of the names: generic words, not names.
SHARED_HEADS: dict[str, tuple[str, ...]] = {
    "Project": ("高速公路", "高速", "高铁", "铁路", "城际铁路", "公路", "机场", "港口", "码头", "水库", "水利枢纽",
                "枢纽", "水电站", "电站", "电厂", "煤矿", "矿井", "酒店", "广场", "市民广场", "购物广场", "综合体",
                "项目", "通道", "大桥", "隧道", "景区", "医院", "学校", "场馆", "基地", "中心", "线"),
    "Event": ("全会", "大会", "会议", "论坛", "峰会", "博览会", "交易会", "洽谈会", "运动会"),
    "Programme": ("行动", "专项行动", "计划", "工程", "试点", "试点城市", "战略", "改革"),  # 退耕还林工程
    "Zone": ("开发区", "经开区", "高新区", "产业园", "园区", "示范区", "试验区", "自贸区", "综合保税区"),
    # only after 等 (鑫达、宏远等农牧业龙头企业; 华腾机械、天润水泥等企业): 国有、民营企业 is no list
    "Company": ("企业", "龙头企业", "央企", "国企", "公司"),
}
_ITEM = r"[\u4e00-\u9fffA-Za-z0-9]{2,14}"
_CONJUNCT_HEADS = "|".join(sorted({h for hs in SHARED_HEADS.values() for h in hs}, key=len, reverse=True))
_COUNT = r"(?P<count>[0-9一二两三四五六七八九十]+(?:个|条|座|项|家|批|处|大))?"
#: after 等 or a count, a few words may qualify the head (等国内知名企业, 等5个百亿级…项目)
_MOD = r"(?P<mod>(?<=[等个条座项家批处大])[\u4e00-\u9fff]{0,12}?)?"
# two patterns, not one with an optional 、: the single-name form is anchored on 等, which keeps
# the search linear (one pattern for both made this rule a tenth of the build's time)
_CONJUNCT_RES = (
    re.compile(rf"(?P<items>(?:{_ITEM}、)+{_ITEM}?)(?P<etc>等)?{_COUNT}{_MOD}(?P<head>{_CONJUNCT_HEADS})"),
    re.compile(rf"(?P<items>{_ITEM}?)(?P<etc>等){_COUNT}{_MOD}(?P<head>{_CONJUNCT_HEADS})"),
)
_HEAD_TYPE = {h: t for t, hs in SHARED_HEADS.items() for h in hs}
CONJUNCT = NamePolicy(max_chars=14, allow_numbers=True, extra_stops=frozenset(
    "建设 开工 建成 推进 实施 启动 完成 争取 抓好 加快 开展 新建 续建 改扩建 投运 实现".split()))


@component("conjuncts")
def conjuncts(doc: Doc) -> None:
    """Each name of a list that shares one head: 莱临、德商铁路 gives 莱临 and 德商铁路;
    桑龙、城龙、醴娄等7条高速公路 gives the three. The first item starts where a name may
    (:func:`extend_left` from the token before the first 、)."""
    text = doc.text
    for sent in doc.sentences:
        starts, ends = sent.token_starts, sent.token_ends
        found = sorted((m for rx in _CONJUNCT_RES for m in rx.finditer(text, sent.start, sent.end)),
                       key=lambda m: (m.start(), -m.end()))
        taken = sent.start
        for m in found:
            if m.start() < taken:
                continue  # inside a list already read
            taken = m.end()
            type_ = _HEAD_TYPE[m.group("head")]
            listed = "、" in m.group("items")
            if not m.group("etc") and (type_ == "Company" or m.group("mod") or not listed):
                continue  # a company list, a qualified head or a single name needs 等
            if not listed and not m.group("count"):
                continue  # 华腾机电等12个项目, not 重点项目等项目
            items, at = [], m.start("items")
            for part in m.group("items").split("、"):
                items.append((at, at + len(part)))
                at += len(part) + 1
            # the first item: as much of the run before the first 、 as a name may take
            first_end = items[0][1]
            if first_end not in ends:
                continue
            idx = _token_containing(sent, first_end - 1)
            begin = sent.tokens[extend_left(sent.tokens, idx, CONJUNCT)][1]
            if begin >= first_end or begin < items[0][0]:
                begin = max(items[0][0], sent.tokens[idx][1])
            items[0] = (begin, first_end)
            if any(s not in starts or e not in ends for s, e in items[1:-1]):
                continue
            last_s, last_e = items[-1]
            if not (m.group("etc") or m.group("count")):
                last_e = m.end("head")  # 莱临、德商铁路: the last item is a whole name
            items[-1] = (last_s, last_e)
            if "等" in text[last_s:last_e]:
                continue  # 铁路、电信等领域推出一批…项目: the list ended before the head
            if type_ == "Company" and any(text[s:e] in lexicons().industries for s, e in items):
                continue  # 汽车、建材、装备等企业 names industries
            if m.group("mod") and type_ != "Company" and any(e - s < 3 for s, e in items):
                continue  # 交通、水利等重大项目 names fields, not projects
            for s, e in items:
                if _is_place_word(text[s:e]):
                    continue  # 济南、青岛等高新区: the places hold the zones
                _add(doc, s, e, type_, "conjunct", 6)


@component("numbered_slogans")
def numbered_slogans(doc: Doc) -> None:
    """Numbered policy slogans: 八大机制, 五个一批, 十条举措, 1351工作目标."""
    for sent in doc.sentences:
        starts = sent.token_starts
        ends = sent.token_ends
        for m in _SLOGAN_RE.finditer(doc.text, sent.start, sent.end):
            if m.start() in starts and m.end() in ends:
                _add(doc, m.start(), m.end(), "Programme", "slogan", 7)


_CJK_RUN = re.compile(r"[\u4e00-\u9fff]+")
_QUOTED_STOP = frozenset("是 是指 的 和 与 及 等 为 在 由 被 将 把 对".split())
_QUOTED_TAIL_DROP = re.compile(r"(优秀案例|典型案例|案例|评选|工作|活动|项目)$")
_BYLINE = frozenset("记者 通讯员 摄影 摄 编辑 责编 见习记者 实习生".split())


@component("quoted_names")
def quoted_names(doc: Doc) -> None:
    """Names whose quotation marks the layout lost: the text between two dropped spaces
    (质量认证 小而美 国际互认合作) or between a paragraph's start and one (品字标 浙江制造是…),
    with the words joined to it on either side. The quoted part alone becomes an alias."""
    text = doc.text
    tok = tokenizer()
    found: set[str] = set()  # the names, and their quoted parts standing alone
    for sent in doc.sentences:
        para_start = text.rfind("\n", 0, sent.start) + 1
        para_end = text.find("\n", sent.end)
        if (len(text) if para_end < 0 else para_end) - para_start < MIN_BODY_PARAGRAPH:
            continue  # headlines and bylines space their words apart on purpose
        gaps = doc.gaps(sent.start, sent.end)
        if len(gaps) > MAX_QUOTE_GAPS or not _SENTENCE_END.search(text, sent.start, sent.end):
            continue  # table rows and title lists use spaces as separators, not for lost quotes
        spans = [(q1, q2, False) for q1, q2 in itertools.pairwise(gaps)]
        if gaps and sent.start == para_start:
            spans.append((sent.start, gaps[0], True))
        for q1, q2, opens_paragraph in spans:
            quoted = text[q1:q2]
            if not 2 <= len(quoted) <= 10 or not _CJK_RUN.fullmatch(quoted) \
                    or q1 not in sent.token_starts or q2 not in sent.token_starts:
                continue  # a quotation mark stands between words, never inside one
            left = ""
            for w in reversed(tok.lcut(text[max(sent.start, q1 - 8):q1])):
                if w in BOUNDARY_WORDS or not _CJK_RUN.fullmatch(w) or len(left) + len(w) > 6:
                    break
                left = w + left
            right, stop = "", ""
            for w in tok.lcut(text[q2:min(sent.end, q2 + 12)]):
                if w in _QUOTED_STOP or w in BOUNDARY_WORDS or not _CJK_RUN.fullmatch(w) or \
                        doc.gaps(q2, q2 + len(right) + len(w)) or len(right) + len(w) > 10:
                    stop = w
                    break
                right += w
            right = _QUOTED_TAIL_DROP.sub("", right)
            name = left + quoted + right
            if not right or len(name) < 5 or _EVENT_HEAD.search(right) or _BODY_HEAD_END.search(name) \
                    or any(b in name for b in _BYLINE) or (opens_paragraph and stop != "是") \
                    or _NUMBERED.search(name):
                # a bare quoted word is a slogan or a term; events and bodies have their own rules;
                # a paragraph opening with a quoted name says what it is ('品字标 浙江制造是…')
                continue
            start = q1 - len(left)
            _add(doc, start, start + len(name), "Programme", "quoted", 8)
            found.add(name)
            if not left:
                found.add(quoted)
                doc.abbreviations.setdefault(quoted, name)
    # the name and its quoted part, wherever else they stand
    existing = {(m.start, m.end) for m in doc.mentions}
    for surface in sorted(found, key=len, reverse=True):
        for occ in re.finditer(re.escape(surface), text):
            if (occ.start(), occ.end()) not in existing:
                _add(doc, occ.start(), occ.end(), "Programme", "quoted", 7)
                existing.add((occ.start(), occ.end()))


_EVENT_HEAD = next(rx for rx, rule in _RULE_RES if rule.type == "Event")
#: A paragraph shorter than this is a headline or a byline, whose spaces are not lost quotes.
MIN_BODY_PARAGRAPH = 24
#: A sentence with more dropped spaces than this is a table row or a list of titles.
MAX_QUOTE_GAPS = 4
_NUMBERED = re.compile(r"第[一二三四五六七八九十百零〇\d]+[章条节款项部分]|^[项个条]")
_SENTENCE_END = re.compile(r"[。！？!?；;]\s*$")
# the heads of bodies' names, and the bare 中心/园 that close many more
_BODY_HEAD_END = re.compile("(" + "|".join(sorted(
    {h for rule in SUFFIX_RULES if rule.type in ("Company", "GovernmentAgency", "Organization", "Zone", "Fund")
     for h in rule.heads} | {"中心", "园"}, key=len, reverse=True)) + ")$")


# Verbs whose object is a named programme, and the words such a name ends with.
_PROG_TRIGGERS = frozenset(
    """开展 实施 推进 推行 创设 打造 构建 围绕 依托 紧扣 抓好 深化 启动 落实 用好
        迭代打造 创新实施 打造形成 形成 建立 健全 完善 出台 印发 发布 制定 部署 参与 获评
        入选 申报 争创 创建 持续深化 全面推进 积极开展 组织开展""".split()
)
_PROG_HEADS = re.compile(
    r"(?:行动计划|行动方案|实施方案|工作机制|协同机制|服务品牌|特色品牌|发展体系|产业体系|"
    r"体系|机制|行动|工程|计划|品牌|改革|活动|提升年|攻坚年|提速年|建设年|推进年|服务年|教育|经验|战略|"
    r"专项行动|三年行动|示范工程|试点|模式|目标)"
)
_PROG_LEAD_SKIP = frozenset("""了 好 起 出 形成了 和 并 与 及 以及 并且 同 关于 实行 执行 实施 常态化 有序
    进一步 全面 加快 大力 积极 继续 不断 着力 切实 认真 坚持 努力""".split())
# words that make the phrase a clause rather than a name (西部大开发战略放在…, 在全国范围内实施方案)
_PROG_CLAUSE = re.compile(r"放在|进行|范围内|作为|^(?:在|对|把|将|向|从|为|同|跟|按|由|使|让|给|被|与|和)")
_PROG_TAIL_DROP = re.compile(r"(有关要求|相关要求|工作要求|要求|建设|工作|等活动|等工作|等)$")
_PROG_POLICY = NamePolicy(max_chars=30, allow_verbs=True, allow_numbers=True,
                          stop_classes=frozenset("punct uj ul uz ud ug uv y e o".split()))


@component("programme_objects")
def programme_objects(doc: Doc) -> None:
    """Objects of programme verbs ('实施抓党建促乡村振兴建设行动') and '以X为抓手/契机'."""
    text = doc.text
    for sent in doc.sentences:
        toks = sent.tokens
        n = len(toks)
        for i, (tok, _) in enumerate(toks):
            if tok in _PROG_TRIGGERS or (tok == "以" and i + 1 < n):
                _programme_after(doc, sent, i + 1)
        # 'A、B特色品牌' / 'A、B等活动': every item of the list is a programme
        for m in re.finditer(r"(?:[\u4e00-\u9fff\d+]{2,12}、)+[\u4e00-\u9fff\d+]{2,12}?(?=特色品牌|服务品牌|品牌|等活动)",
                             text[sent.start:sent.end]):
            base = sent.start + m.start()
            first_end = base + m.group().index("、")
            idx = _token_containing(sent, first_end - 1)
            st = extend_left(toks, idx, NamePolicy(max_chars=12, allow_numbers=True))
            s0 = max(toks[st][1], base)
            pieces = text[s0:sent.start + m.end()].split("、")
            p = s0
            for piece in pieces:
                if 3 <= len(piece) <= 12:  # 自主、国际品牌: two characters are a modifier, not a name
                    _add(doc, p, p + len(piece), "Programme", "programme-list", 7)
                p += len(piece) + 1


def _programme_after(doc: Doc, sent: Sentence, first: int) -> None:
    """Take the object phrase starting at token ``first`` up to a programme head."""
    toks = sent.tokens
    text = doc.text
    n = len(toks)
    # skip aspect words, conjunctions and further verbs between the verb and its object
    # (制定印发, 打造形成了, 建立和完善X, 研究并实施X, 关于X)
    while first < n and (toks[first][0] in _PROG_LEAD_SKIP or toks[first][0] in _PROG_TRIGGERS):
        first += 1
    if first >= n or toks[first][0] in ("《", "“", "\""):
        return  # titles and quotations have their own recognisers
    start = toks[first][1]
    j = first
    stop = start
    while j < n and toks[j][0] not in ",，。;；:：、()（）“”\"为" and toks[j][0] not in ("的", "中", "上"):
        stop = toks[j][1] + len(toks[j][0])
        j += 1
        if stop - start > 30:
            break
    phrase = text[start:stop]
    if len(phrase) < 4:
        return
    phrase = _PROG_TAIL_DROP.sub("", phrase)
    best = None
    for m in _PROG_HEADS.finditer(phrase):
        best = m
    if best is None:
        return
    end = start + best.end()
    name = text[start:end]
    if len(name) - len(best.group()) < 2 or _PROG_CLAUSE.search(name):
        return
    if _is_generic([t for t, p in toks[first:j] if p < end][:-1] or [name]):
        return
    # the name should hold something specific: a number, a proper token, or 4+ characters before the head
    _add(doc, start, end, "Programme", "programme-object", 6)


# ---------------------------------------------------------------- companies

_ABBREV_RE = re.compile(r"[(（](?:以下简称|下称|简称)[:：]?[“\"]?(?P<short>[^()（）“”\"]{2,12})[”\"]?[)）]")


@component("abbreviations")
def abbreviations(doc: Doc) -> None:
    """'FULL(以下简称SHORT)': SHORT names the same actor as FULL for the rest of the document."""
    for m in _ABBREV_RE.finditer(doc.text):
        short = m.group("short")
        full_end = m.start()
        # the full name is the mention ending right before the parenthesis
        full = max((x for x in doc.mentions if x.end == full_end), key=lambda x: x.end - x.start,
                   default=None)
        type_ = full.type if full is not None else "Company"
        if full is not None and full.type == "Organization" and _acts_as_company(doc.text, short):
            type_ = "Company"
            full.type = "Company"
        _add(doc, m.start("short"), m.end("short"), type_, "abbreviation", 9)
        if full is not None:
            doc.abbreviations[short] = full.text


def _acts_as_company(text: str, short: str) -> bool:
    return bool(re.search(re.escape(short) + r".{0,30}?(是一家|作为一家|企业|公司|订单|产品)", text))


@component("known_companies")
def known_companies(doc: Doc) -> None:
    """Listed companies' names from the A-share lexicon, token-aligned."""
    lex = lexicons().companies
    freq = tokenizer().FREQ
    for sent in doc.sentences:
        toks = sent.tokens
        n = len(toks)
        for i in range(n):
            for name in reversed(_spans_from(toks, i, "companies", 6)):
                if len(name) >= 3 and name in lex and freq.get(name, 0) < 100:
                    _add(doc, toks[i][1], toks[i][1] + len(name), "Company", "company-lexicon", 4)
                    break


@component("repeat_names")
def repeat_names(doc: Doc) -> None:
    """Once a short company or programme name is known, its other occurrences are mentions too."""
    known: dict[str, str] = {}
    for m in doc.mentions:
        if m.type in ("Company",) and 2 <= len(m.text) <= 8:
            known.setdefault(m.text, m.type)
    existing = {(m.start, m.end) for m in doc.mentions}
    for name, type_ in known.items():
        for occ in re.finditer(re.escape(name), doc.text):
            if (occ.start(), occ.end()) in existing:
                continue
            sent = doc.sentences[doc.sentence_of(occ.start())]
            if occ.start() in sent.token_starts or occ.start() == sent.start:
                _add(doc, occ.start(), occ.end(), type_, "repeat", 6)


# ---------------------------------------------------------------- overlaps

#: (outer type, inner type) pairs whose mentions may nest: a zone's name holds a
#: place, a project's name holds its company and industry.
NESTING = frozenset({
    ("Zone", "Place"), ("Zone", "Zone"), ("Zone", "Industry"), ("Project", "Company"),
    ("Project", "Industry"), ("Project", "Place"), ("Project", "Zone"), ("Event", "Place"),
    ("Event", "Programme"), ("Fund", "Place"), ("Place", "Place"),
    ("Programme", "Industry"), ("Programme", "Programme"), ("Event", "Event"), ("Programme", "Place"),
})


@component("overlaps")
def resolve_overlaps(doc: Doc) -> None:
    """Keep the best consistent set: higher priority first, then longer; nest only where allowed."""
    ranked = sorted(doc.mentions, key=lambda m: (-m.priority, -(m.end - m.start), m.start, m.type))
    kept: list[Mention] = []
    spans: set[tuple[int, int]] = set()
    for m in ranked:
        if (m.start, m.end) in spans:
            continue
        ok = True
        for k in kept:
            if m.end <= k.start or k.end <= m.start:
                continue
            if k.start <= m.start and m.end <= k.end:
                ok = (k.type, m.type) in NESTING
            elif m.start <= k.start and k.end <= m.end:
                ok = (m.type, k.type) in NESTING
            else:
                ok = False
            if not ok:
                break
        if ok:
            kept.append(m)
            spans.add((m.start, m.end))
    doc.mentions = sorted(kept, key=lambda m: (m.start, -m.end))

