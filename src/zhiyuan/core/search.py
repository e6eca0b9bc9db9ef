"""Search keys for Chinese names: the text, its pinyin and its initials, so `wjy` finds 王继跃."""

from pypinyin import Style, lazy_pinyin


def search_text(*parts: str) -> str:
    words: list[str] = []
    for part in parts:
        if not part:
            continue
        syllables = lazy_pinyin(part, errors="ignore")
        initials = lazy_pinyin(part, style=Style.FIRST_LETTER, errors="ignore")
        words += [part.lower(), "".join(syllables).lower(), "".join(initials).lower()]
    return " ".join(words)[:400]


def normalise_query(query: str) -> str:
    """What the user typed, without the spaces people put between pinyin syllables."""
    return "".join(query.split()).lower()
