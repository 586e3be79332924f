"""The rule table: every code cleanup reports, its kind, default severity, fix safety and docs.

One entry per code, in code order. Detectors look their rule up here (never hard-code a severity
or a fix safety), the CLI's `cleanup rules` prints it, and `docs/rules.md` is generated from it.
A released code keeps its meaning forever; retire a code rather than reuse it.

>>> RULES["CU404"].kind
'punctuation'
>>> [r.code for r in select_rules({"invisible"})][:2]
['CU501', 'CU502']
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

#: The kinds of DESIGN.md, in priority order: when two findings overlap, the earlier kind
#: explains the span (the engine drops the other) and its fix wins. `translation` compares a
#: text with its source, stronger evidence than any look at the text alone, so it comes before
#: the kinds that guess from the text (fragments, punctuation).
KINDS = (
    "mojibake",
    "invisible",
    "lost_character",
    "mixed_script",
    "translation",
    "foreign_fragment",
    "punctuation",
    "name_variant",
)

SEVERITIES = ("info", "warning", "error")


@dataclass(frozen=True)
class Rule:
    """One rule: what it finds, why that matters, an example and how safe its fix is.

    ``fix`` is ``"safe"`` (applied by default), ``"unsafe"`` (needs ``unsafe_fixes``) or
    ``"none"`` (only flagged).
    """

    code: str
    kind: str
    name: str
    severity: str
    fix: str
    summary: str
    why: str
    example: str
    fixed_example: str | None
    default: bool = True
    #: The detector that reports it (`cleanup.detect.DETECTORS`); None: the one named as its kind.
    detector: str | None = None

    @property
    def priority(self) -> int:
        return KINDS.index(self.kind)

    @property
    def detector_name(self) -> str:
        return self.detector or self.kind

    def docs(self) -> str:
        """The rule's documentation in ruff's four sections, as `cleanup rules CODE` prints it."""
        safety = {
            "safe": "The fix is safe: `cleanup fix` applies it by default.",
            "unsafe": "The fix changes content, so it is unsafe: it is applied only with "
            "`--unsafe-fixes` (`unsafe_fixes=True`).",
            "none": "There is no automatic fix: the damage cannot be undone from the text alone.",
        }[self.fix]
        example = f"    {self.example!r}"
        if self.fixed_example is not None:
            example += f"\n\nUse instead:\n\n    {self.fixed_example!r}"
        return (
            f"# {self.name} ({self.code})\n\n"
            f"Kind: `{self.kind}`. Default severity: `{self.severity}`."
            f"{'' if self.default else ' Not run by default: select it to use it.'}\n\n"
            f"## What it does\n{self.summary}\n\n"
            f"## Why is this bad?\n{self.why}\n\n"
            f"## Example\n{example}\n\n"
            f"## Fix safety\n{safety}\n"
        )


_TABLE = (
    # --- mojibake: text decoded with the wrong codec -------------------------------------------
    Rule("CU101", "mojibake", "utf8-read-as-latin", "error", "safe",
         "Finds UTF-8 text that was decoded as cp1252, latin-1, mac-roman or another "
         "single-byte code page (cp1250, cp437...) (`â€œ`, `Ã©`, `g√¢teaux`), including text "
         "encoded that way twice, and cp1252 or Mac Roman bytes left as C1 controls by a "
         "Latin-1 reading (`\\x93quoted\\x94`).",
         "Every reader, search index and model sees garbage where a quote, dash or accented "
         "letter was; the original characters are recoverable from the bytes the garbage spells.",
         "Zelenskyyâ€™s café is cafÃ©", "Zelenskyy’s café is café"),
    Rule("CU102", "mojibake", "utf8-read-as-cyrillic", "error", "safe",
         "Finds UTF-8 text that was decoded as cp1251 (`вЂ™`, `РР·СЂР°РёР»СЏ`).",
         "Russian pipelines often default to cp1251; UTF-8 punctuation and Cyrillic come out as "
         "pairs of Cyrillic letters that no reader can use.",
         "ZelenskyyвЂ™s", "Zelenskyy’s"),
    Rule("CU103", "mojibake", "cyrillic-codepage-mixup", "error", "safe",
         "Finds Cyrillic text that went through the wrong Cyrillic code page: cp1251 read as "
         "KOI8-R or cp866, and the reverse (`хГПЮХКЪ` for `Израиля`).",
         "The letters are all Cyrillic, so no generic mojibake fixer notices, but the words are "
         "nonsense. The repair is checked against Russian and Ukrainian letter statistics.",
         "[хГПЮХКЪ]", "[Израиля]"),
    Rule("CU104", "mojibake", "html-entity-in-text", "warning", "safe",
         "Finds HTML character references (`&#8217;`, `&quot;`) left in plain text. In HTML, "
         "XML and Markdown files a single reference is markup and is not reported.",
         "Scrapers and exporters leave entities behind; they reach models and readers as "
         "literal `&#8217;` instead of the character.",
         "Netanyahu&#8217;s office", "Netanyahu’s office"),
    Rule("CU105", "mojibake", "html-entity-escaped-twice", "error", "safe",
         "Finds HTML character references escaped twice (`&amp;quot;`, `&amp;ldquo;`), in any "
         "kind of file.",
         "Escaping twice is never markup: the text shows `&quot;` even after the HTML is "
         "rendered.",
         "would not accept &amp;ldquo;truce&amp;rdquo;", "would not accept “truce”"),
    Rule("CU106", "mojibake", "file-not-utf8", "warning", "unsafe",
         "Finds a file that is wholly in another encoding (cp1251, latin-1, UTF-16 with a BOM). "
         "Reported once for the file, not once per byte.",
         "Tools that expect UTF-8 read such a file as mojibake or fail on it; converting it "
         "needs a guess of its encoding, so the conversion is an unsafe fix.",
         "b'\\xcf\\xf0\\xe8\\xe2\\xe5\\xf2' (cp1251)", "'Привет' (UTF-8)", detector="file"),
    # --- foreign_fragment: another language inside the document's ------------------------------
    Rule("CU201", "foreign_fragment", "foreign-script-fragment", "warning", "unsafe",
         "Finds a run of words in another script than the document's (Cyrillic, Greek, Arabic, "
         "Hebrew, CJK... inside Latin text, or Latin inside Cyrillic), with its brackets when "
         "the whole bracketed content is foreign. `data.lang` names the fragment's language, "
         "`data.translit` its romanization and `data.gloss` its English name when certain. "
         "The fix follows `foreign-policy`: `keep` (default: none), `drop`, `transliterate` "
         "or `gloss`.",
         "Machine translation leaves source words untranslated, often in brackets; readers and "
         "models of the target language cannot use them.",
         "criticize the prime minister more openly [Израиля] due to",
         "criticize the prime minister more openly [Israel] due to"),
    Rule("CU202", "foreign_fragment", "foreign-latin-fragment", "warning", "unsafe",
         "Finds a phrase of two or more words in another Latin-script language left inside the "
         "text (`laut unbestätigten Angaben`, `selon nos informations`). Loanwords and set "
         "phrases English uses (de facto, status quo) and names are not reported. The fix "
         "follows `foreign-policy` (the example shows `drop`).",
         "An untranslated phrase is lost on the reader and confuses downstream language models.",
         "The company (selon nos informations) said", "The company said"),
    # --- name_variant: one entity, several spellings ------------------------------------------
    Rule("CU301", "name_variant", "name-spelling-variant", "warning", "unsafe",
         "Finds a person's name spelled differently from the canonical spelling used for the "
         "same person in the document or the corpus (`John Feiner` beside `Jon Finer`).",
         "Names transliterated back and forth between scripts come out spelled several ways, "
         "so one person appears as several in search, counts and entity linking.",
         "Jon Finer met reporters. Later, John Feiner added",
         "Jon Finer met reporters. Later, Jon Finer added"),
    Rule("CU302", "name_variant", "non-canonical-name", "warning", "unsafe",
         "Finds a spelling of a configured canonical name (`canonical-names`) that differs "
         "from it.",
         "A project that fixed a spelling wants every document to use it.",
         "John Feiner said (canonical-names = [\"Jon Finer\"])", "Jon Finer said"),
    # --- punctuation -----------------------------------------------------------------------------
    Rule("CU401", "punctuation", "unmatched-closing-quote", "warning", "none",
         "Finds a closing quotation mark with no opening one before it in its paragraph: a "
         "double quote, or a single `’` right after `,.!?`, which cannot be an apostrophe "
         "(`'90s`, `rock 'n' roll`, `officials’ plan` are never taken for quotes).",
         "Translation and sentence splitting lose the opening quote; readers cannot tell where "
         "the quotation begins, and quote-aware tools misparse the paragraph.",
         "carried out in Gaza,” the newspaper notes.", None),
    Rule("CU402", "punctuation", "unclosed-opening-quote", "warning", "none",
         "Finds an opening double quotation mark that is never closed in its paragraph. A "
         "quotation running over paragraphs (the next one opens with a quote) is normal.",
         "The rest of the paragraph reads as quoted speech.",
         "The official said: “The envoy travelled to Riyadh.", None),
    Rule("CU403", "punctuation", "unbalanced-bracket", "warning", "none",
         "Finds a bracket or parenthesis (ASCII, full-width `（）` or CJK `【】《》`) without its "
         "partner in the same paragraph; list markers (`1)`, `b)`, `क)`), smileys (`:)`, a "
         "sentence ending in `)`), half-open intervals (`[0, 1)`), wiki links and templates "
         "(`[[`, `{{…}}`), URLs and code are not counted.",
         "An unbalanced bracket usually marks a truncated or mangled aside.",
         "The capital (of Egypt hosted the talks.", None),
    Rule("CU404", "punctuation", "space-before-punctuation", "info", "safe",
         "Finds whitespace before `.`, `,`, `;`, `:`, `!` or `?` where the document's language "
         "puts none (English, German, Russian...: the typography table of docs/punctuation.md); "
         "not before `; : ! ?` in French or where the language is unknown, and never before "
         "an ellipsis, a smiley, a separator (`::`) or a token (`.mp3`), or in code.",
         "Machine translation, French habits and lost words leave spaces there; the language "
         "does not put them, and tokenizers split such text differently.",
         "back to Washington . Several", "back to Washington. Several"),
    Rule("CU405", "punctuation", "doubled-punctuation", "info", "safe",
         "Finds a doubled comma or semicolon (`,,`, or `, ,` where a segment was lost).",
         "A doubled comma is a typing or joining slip, never intended.",
         "the ambassador to,, explain", "the ambassador to, explain"),
    Rule("CU406", "punctuation", "foreign-quote-style", "info", "unsafe",
         "Finds a quotation mark the document's language does not use (`«»` or `„` in "
         "English, `「」` in Russian), per the typography table of docs/punctuation.md; the "
         "fix is the language's preferred mark. Not reported where the language is unknown.",
         "Quotation marks left from the source language are inconsistent in the translation.",
         "the so-called «special operation»", "the so-called “special operation”"),
    # --- invisible -------------------------------------------------------------------------------
    Rule("CU501", "invisible", "zero-width-character", "warning", "safe",
         "Finds zero-width and format characters (U+200B, U+2060, U+FEFF after the start, a "
         "ZWJ or ZWNJ outside the scripts and emoji that use them, tag characters outside flag "
         "emoji, which hide ASCII text). In source code (`.py`, `.js`...) the fix is unsafe: "
         "removing one from an identifier or a string changes the program.",
         "They are invisible to readers but split words for search, tokenizers and diff.",
         "o\u200bf the plan", "of the plan"),
    Rule("CU502", "invisible", "soft-hyphen", "info", "safe",
         "Finds a soft hyphen (U+00AD) inside a word of plain text (in HTML, XML and Markdown "
         "it is the author's hyphenation hint). Its removal is unsafe where it may stand for a "
         "hyphen (between a small and a capital letter) and in source code.",
         "Soft hyphens come from hyphenated layouts; they break search and tokenization.",
         "or\u00addered", "ordered"),
    Rule("CU503", "invisible", "control-character", "error", "safe",
         "Finds C0 and C1 control characters other than tab, line feed and carriage return. "
         "The fix removes them; a page or line separator becomes a line feed. A C1 control "
         "that is a cp1252 byte read as latin-1 (`\\x92` for `’`) is mojibake (CU101).",
         "Controls are never text; they come from binary junk or broken conversions and make "
         "XML, JSON consumers and terminals misbehave.",
         "survivo\x07rs", "survivors"),
    Rule("CU504", "invisible", "bidi-control", "error", "safe",
         "Finds bidirectional embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069) "
         "and stray directional marks in left-to-right text.",
         "They reorder how text is displayed, so what a reader sees differs from what a program "
         "reads (Trojan Source, CVE-2021-42574).",
         "withou\u202et an agreement", "without an agreement"),
    Rule("CU505", "invisible", "unusual-space", "info", "safe",
         "Finds no-break, thin and other unusual spaces (U+00A0, U+2009, U+3000...) between "
         "two words of Latin letters. Not run by default: a no-break space is correct in "
         "`10 000`, `Fig. 3` and French typography.",
         "They look like spaces but are not matched by many tokenizers and search tools.",
         "the\u00a0plan", "the plan", default=False),
    # --- mixed_script ------------------------------------------------------------------------------
    Rule("CU601", "mixed_script", "mixed-script-word", "error", "safe",
         "Finds a word that mixes Latin, Cyrillic or Greek letters (`Gazа` with a Cyrillic "
         "`а`). The fix is safe only when certain (docs/mixed-script.md): the repaired word is "
         "a real word in the document's script or the word's own, and the word is not code or "
         "an identifier. Greek letters in Latin notation (`IL2Rγc`), words of one script and "
         "two words glued together (`ПростоVPN`) are not reported.",
         "Homoglyphs from OCR, copy-paste or spoofing make a word unsearchable and unknown to "
         "every tokenizer vocabulary.",
         "Gaz\u0430", "Gaza"),
    # --- lost_character ------------------------------------------------------------------------
    Rule("CU701", "lost_character", "replacement-character", "error", "none",
         "Finds U+FFFD REPLACEMENT CHARACTER, left where a decoder met bytes it could not read.",
         "The original character is gone; the text must be recovered from its source.",
         "Zelenskyy\ufffds", None),
    Rule("CU702", "lost_character", "question-mark-for-letter", "warning", "none",
         "Finds `?` between letters where a conversion to a narrower charset replaced a "
         "character it could not encode (`Krak?w`, `2023?2024`), and whole words of another "
         "script lost that way (`?????? ?????`, `[???????]`).",
         "The original letter is gone; the word no longer matches anything.",
         "Krak?w", None),
    Rule("CU703", "lost_character", "invalid-utf8-byte", "error", "none",
         "Finds bytes of a file that are not valid UTF-8. They are kept unchanged by `fix`.",
         "Consumers that decode strictly reject the file; lenient ones replace the bytes.",
         "b'caf\\xe9 in a UTF-8 file'", None, detector="file"),
    # --- translation: a translation compared with its source ------------------------------------
    Rule("CU801", "translation", "untranslated-message", "warning", "none",
         "Finds a translation that is its source unchanged, or is wholly in the source's "
         "language (English left in a Russian catalog). Strings that are only names, "
         "identifiers, placeholders or one word are not reported: they are often kept as they "
         "are on purpose. Runs only where the source is known (gettext, XLIFF, `--source-field`).",
         "An untranslated message shows the user another language; catalogs count it as "
         "translated, so nobody looks at it again.",
         "msgid \"Invalid token header.\"\nmsgstr \"Invalid token header.\"",
         "msgid \"Invalid token header.\"\nmsgstr \"Недійсний заголовок токена.\""),
    Rule("CU802", "translation", "source-fragment-left", "warning", "none",
         "Finds a run of three or more words of prose copied from the source into the "
         "translation (`data.source_start` says where it is in the source). Runs of names "
         "(capitalized words), identifiers and code are not reported. Fragments in another "
         "language that are not in the source are CU201/CU202.",
         "Machine translation and hurried translators leave parts of the source untranslated "
         "inside a translated sentence; a reader of the target language cannot read them.",
         "msgid \"Expected a list of items but got type {input_type}.\"\n"
         "msgstr \"Erwartet eine Liste, but got type {input_type}.\"",
         "msgstr \"Erwartet eine Liste, erhielt aber den Typ {input_type}.\""),
    Rule("CU803", "translation", "printf-placeholder-mismatch", "error", "none",
         "Finds printf placeholders (`%s`, `%d`, `%(name)s`, `%1$s`) that differ between the "
         "source and the translation: missing, added, renamed or of another type. Named and "
         "numbered placeholders may be reordered; plain ones must keep their order.",
         "The program formats the translation with the source's arguments: a missing or "
         "renamed placeholder raises at run time (Python's KeyError) or prints garbage.",
         "msgid \"%(count)s files\"\nmsgstr \"%(contar)s archivos\"",
         "msgstr \"%(count)s archivos\""),
    Rule("CU804", "translation", "brace-placeholder-mismatch", "error", "none",
         "Finds Python and ICU brace placeholders (`{0}`, `{name}`, `{count, plural, ...}`) "
         "that differ between the source and the translation. Order is free, and the branches "
         "of an ICU plural or select are compared by their arguments only, since each language "
         "has its own plural forms.",
         "`str.format` and ICU MessageFormat fail or print the wrong value when a placeholder "
         "is missing or renamed in the translation.",
         "msgid \"Ensure this value is at most {max_value}.\"\n"
         "msgstr \"Assurez-vous que cette valeur est au plus {valeur_max}.\"",
         "msgstr \"Assurez-vous que cette valeur est au plus {max_value}.\""),
    Rule("CU805", "translation", "markup-mismatch", "warning", "none",
         "Finds HTML/XML tags, XLIFF inline elements, Markdown link targets and code spans "
         "that differ between the source and the translation (by tag name and id, not by "
         "attribute text).",
         "A dropped closing tag breaks the page; a translated code span or link target no "
         "longer names the code or page it named.",
         "msgid \"Click <b>Save</b>.\"\nmsgstr \"Cliquez sur <b>Enregistrer.\"",
         "msgstr \"Cliquez sur <b>Enregistrer</b>.\""),
    Rule("CU806", "translation", "number-mismatch", "warning", "none",
         "Finds numbers that differ between the source and the translation. Digits of other "
         "scripts (`٣`, `३`) and other group or decimal separators (`1 000,5`) count as the "
         "same number; a missing number from 0 to 12 is not reported (it is often written as "
         "a word), nor is one missing from a plural form.",
         "A changed number in a translation changes the fact: a limit, a version, a date.",
         "msgid \"Use at most 150 characters.\"\nmsgstr \"Utilisez au plus 15 caractères.\"",
         "msgstr \"Utilisez au plus 150 caractères.\""),
    Rule("CU807", "translation", "url-or-email-mismatch", "warning", "none",
         "Finds URLs and e-mail addresses that differ between the source and the translation. "
         "A URL that differs only by the language code in it (`/en/` -> `/fr/`) is localized, "
         "not damaged.",
         "A translated or mistyped address sends the reader nowhere.",
         "msgid \"Write to help@example.org.\"\nmsgstr \"Écrivez à aide@example.org.\"",
         "msgstr \"Écrivez à help@example.org.\""),
    Rule("CU808", "translation", "edge-whitespace-mismatch", "warning", "safe",
         "Finds leading or trailing whitespace (spaces, tabs, newlines) of the translation "
         "that differs from the source's. A translation into a language written without spaces "
         "that ends with full-width punctuation may drop a trailing space. Restoring "
         "whitespace the translation lost is a safe fix; removing whitespace it added (which "
         "may be the target language's typography) is unsafe.",
         "Programs concatenate messages: a dropped trailing space glues two messages together "
         "at run time, a dropped newline joins two lines of output.",
         "msgid \"Name: \"\nmsgstr \"Nom :\"", "msgid \"Name: \"\nmsgstr \"Nom : \""),
    Rule("CU809", "translation", "newline-count-mismatch", "info", "none",
         "Finds a translation with another number of line breaks inside it than its source "
         "(line breaks at the edges are CU808). Not checked in XML files, where line breaks "
         "are usually layout.",
         "Line breaks in messages are often layout the program relies on (usage text, "
         "columns); a translation that drops or adds them breaks the layout.",
         "msgid \"Usage:\\n  app [options]\"\nmsgstr \"Utilisation :  app [options]\"",
         "msgstr \"Utilisation :\\n  app [options]\""),
    Rule("CU810", "translation", "escape-mismatch", "warning", "none",
         "Finds backslash sequences in the text of the translation that the source does not "
         "have, or lacks (`\\n` typed as text where the source has a line break, a lost "
         "backslash of a path).",
         "A backslash typed into a translation shows up literally, and one lost from a path "
         "or pattern changes what it means.",
         "msgid \"Line one\\nLine two\"\nmsgstr \"Ligne un\\\\nLigne deux\"",
         "msgstr \"Ligne un\\nLigne deux\""),
    Rule("CU811", "translation", "bracket-mismatch", "info", "none",
         "Finds brackets of the source that the translation lacks or has more of: `()`, `[]`, "
         "`{}` outside placeholders. A translation may add a whole bracketed aside the source "
         "does not have.",
         "A lost bracket usually means a lost or mangled aside, or a broken placeholder.",
         "msgid \"Value (in bytes)\"\nmsgstr \"Valeur (en octets\"",
         "msgstr \"Valeur (en octets)\""),
)

RULES: dict[str, Rule] = {rule.code: rule for rule in _TABLE}


def expand_selectors(selectors: Iterable[str]) -> set[str]:
    """Turn kinds, codes and code prefixes (``CU1``) into the set of codes they name.

    Raises ``ValueError`` naming the first selector that matches nothing.

    >>> sorted(expand_selectors({"CU10"}))[:2]
    ['CU101', 'CU102']
    """
    codes: set[str] = set()
    for selector in selectors:
        selector = selector.strip()
        if not selector:
            continue
        if selector in KINDS:
            matched = {code for code, rule in RULES.items() if rule.kind == selector}
        elif selector.upper() == "ALL":
            matched = set(RULES)
        else:
            matched = {code for code in RULES if code.startswith(selector.upper())}
        if not matched:
            raise ValueError(f"unknown rule code or kind: {selector!r}"
                             f"{did_you_mean(selector, [*KINDS, *RULES])}")
        codes |= matched
    return codes


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """`` (did you mean 'x'?)`` with the choice closest to ``word``, or nothing when none is
    close: what a message about an unknown name ends with.

    >>> did_you_mean("mojibak", KINDS), did_you_mean("cu4o4", RULES), did_you_mean("zz", KINDS)
    (" (did you mean 'mojibake'?)", " (did you mean 'CU404'?)", '')
    """
    import difflib

    by_folded = {choice.casefold(): choice for choice in choices}
    close = difflib.get_close_matches(word.casefold(), list(by_folded), n=1, cutoff=0.75)
    return f" (did you mean {by_folded[close[0]]!r}?)" if close else ""


def select_rules(
    select: Iterable[str] | None = None, ignore: Iterable[str] | None = None
) -> list[Rule]:
    """The rules to run: ``select`` (default: every default rule) minus ``ignore``."""
    if select is None:
        chosen = {code for code, rule in RULES.items() if rule.default}
    else:
        chosen = expand_selectors(select)
    if ignore:
        chosen -= expand_selectors(ignore)
    return [RULES[code] for code in sorted(chosen)]
