"""French text as the search index sees it, the same for both engines: accents folded, lower case,
elisions split, stop words dropped; the Snowball French stemmer for the SQLite index and for
highlighting (PostgreSQL's ``french`` configuration applies the same Snowball algorithm)."""
import re
import unicodedata
from functools import lru_cache

import snowballstemmer

_STEMMER = snowballstemmer.stemmer("french")
_WORD = re.compile(r"[0-9a-z]+")
_LIGATURES = str.maketrans({"œ": "oe", "Œ": "oe", "æ": "ae", "Æ": "ae", "ß": "ss"})

#: the common French words a search ignores (folded: no accents)
STOP_WORDS = frozenset((
    "a", "ai", "aie", "aient", "aies", "ait", "alors", "as", "au", "aucun", "aussi", "autre", "aux",
    "avec", "avoir", "c", "ca", "ce", "ceci", "cela", "celle", "celles", "celui", "ces", "cet", "cette",
    "ceux", "chaque", "ci", "comme", "d", "dans", "de", "des", "du", "donc", "elle", "elles", "en",
    "encore", "entre", "est", "et", "etaient", "etait", "ete", "etre", "eu", "eux", "il", "ils", "j",
    "je", "l", "la", "le", "les", "leur", "leurs", "lui", "m", "ma", "mais", "me", "meme", "mes", "moi",
    "mon", "n", "ne", "ni", "nos", "notre", "nous", "on", "ont", "ou", "par", "pas", "peu", "plus",
    "pour", "qu", "quand", "que", "quel", "quelle", "quelles", "quels", "qui", "s", "sa", "sans", "se",
    "sera", "ses", "si", "son", "sont", "sous", "sur", "t", "ta", "te", "tes", "toi", "ton", "tous",
    "tout", "toute", "toutes", "tres", "tu", "un", "une", "vos", "votre", "vous", "y"
))


def fold(text):
    """Lower case, without accents or ligatures: « Sécurité, Œuvre » → « securite, oeuvre »."""
    decomposed = unicodedata.normalize("NFKD", (text or "").translate(_LIGATURES))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def singular(word):
    """A folded word without its plural mark, before the stemmer (which leaves « potagers » apart
    from « potager »): locaux → local, bureaux → bureau, potagers → potager."""
    if len(word) <= 3 or word.isdigit():
        return word
    if word.endswith("aux") and not word.endswith("eaux"):
        return word[:-3] + "al"
    if word.endswith("ux"):
        return word[:-1]
    if word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def words(text):
    """The folded words of ``text`` that count for a search (no stop words), in the singular."""
    return [singular(w) for w in _WORD.findall(fold(text)) if w not in STOP_WORDS]


@lru_cache(maxsize=20000)
def stem(word):
    """The key of a folded word: « logements » and « logement » → « log »."""
    return _STEMMER.stemWord(word)


def stems(text):
    return [stem(w) for w in words(text)]


def key_of(word):
    """The stem of any word as written (accents, capitals): what highlighting compares."""
    folded = _WORD.findall(fold(word))
    return stem(folded[0]) if len(folded) == 1 else None
