"""Regenerate `cleanup/data/names_given.txt` and `cleanup/data/names_given_variants.tsv`.

Why: the names detector needs (1) a list of given names, as evidence that a capitalized pair of
words is a person, and (2) which romanizations spell the same Russian or Ukrainian given name
(Yury / Iurii / Jurij / Yuriy), which no spelling rule derives. Both come from well-kept packages
at build time only, so the runtime needs neither:

- given names of the Latin-script locales of Faker (MIT), folded to ASCII;
- the Cyrillic given names of Faker's ru_RU, uk_UA and bg_BG locales, romanized with every
  scheme of iuliia (20+ official and popular schemes) and with anyascii;
- common Ukrainian given names with their Russian forms (`Volodymyr`/`Vladimir`), romanized
  both ways plus the Ukrainian national scheme, since translation via Russian swaps them.

Run from the repository root (needs `faker`, `iuliia`, `anyascii`):

    .venv/bin/python scripts/build_names_data.py
"""

from __future__ import annotations

import importlib
import pkgutil
import unicodedata
from pathlib import Path

import anyascii
import faker.providers.person as person_providers
import iuliia

DATA = Path(__file__).resolve().parent.parent / "cleanup" / "data"
CYRILLIC_LOCALES = ("ru_RU", "uk_UA", "bg_BG")
NAME_ATTRIBUTES = ("first_names", "first_names_male", "first_names_female")
#: Capitalized English words that Faker also lists as given names; as evidence of a person they
#: do more harm than good (`May`, `Will Russia respond`).
NOT_EVIDENCE = {
    "april", "august", "june", "may", "march", "will", "grace", "hope", "joy", "faith",
    "summer", "autumn", "winter", "dawn", "angel", "king", "rich", "young", "sunday", "monday",
    "friday", "china", "israel", "jordan", "georgia", "india", "paris", "london", "holly",
    "ivy", "rose", "lily", "iris", "ruby", "pearl", "star", "sky", "golden", "general",
    "west", "north", "south", "east", "us", "an", "al", "le", "la", "van", "von", "rock", "page",
    "long", "major", "justice", "bill", "mark", "new", "city", "court", "chance", "christian",
    "white", "black", "green", "brown", "gray", "grey", "read", "said", "son", "lord", "duke",
}


def fold(name: str) -> str:
    """Lowercase ASCII letters of a Latin-script name: accents and soft signs dropped."""
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(ch for ch in decomposed if ch.isascii() and ch.isalpha()).lower()


def is_latin(name: str) -> bool:
    return all(
        not ch.isalpha() or "LATIN" in unicodedata.name(ch, "") for ch in name
    )


def locale_names(locale: str) -> set[str]:
    module = importlib.import_module(f"faker.providers.person.{locale}")
    provider = module.Provider
    names: set[str] = set()
    for attribute in NAME_ATTRIBUTES:
        values = getattr(provider, attribute, ())
        if isinstance(values, (tuple, list, dict)):  # some locales compute them: skip those
            names.update(str(value) for value in values)
    return {name for name in names if name and " " not in name}


def yo_spellings(cyrillic: str) -> set[str]:
    """The name as written, and with each е written ё: lists drop the dots (Петр for Пётр)."""
    spellings = {cyrillic}
    for position, letter in enumerate(cyrillic):
        if letter in "еЕ":
            spellings.add(cyrillic[:position] + ("ё" if letter == "е" else "Ё")
                          + cyrillic[position + 1:])
    return spellings


def romanizations(cyrillic: str, with_yo: bool = True) -> set[str]:
    """Every spelling of a Cyrillic name the romanization schemes produce, folded.

    German spells х as ch (Michail), which none of the schemes does: that is added by hand.
    """
    spellings: set[str] = set()
    for written in sorted(yo_spellings(cyrillic) if with_yo else {cyrillic}):
        spellings.add(fold(anyascii.anyascii(written)))
        for schema_name in iuliia.schemas.names():
            schema = iuliia.schemas.get(schema_name)
            spellings.add(fold(schema.translate(written)))
    spellings |= {spelling.replace("kh", "ch") for spelling in spellings if "kh" in spelling}
    return {spelling for spelling in spellings if len(spelling) > 1}


#: Ukrainian national romanization (KMU 2010): word-initial form first where it differs.
UKRAINIAN = {
    "а": "a", "б": "b", "в": "v", "г": "h", "ґ": "g", "д": "d", "е": "e", "є": ("ye", "ie"),
    "ж": "zh", "з": "z", "и": "y", "і": "i", "ї": ("yi", "i"), "й": ("y", "i"), "к": "k",
    "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u",
    "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ь": "", "ю": ("yu", "iu"),
    "я": ("ya", "ia"), "'": "", "’": "",
}

#: Ukrainian given names and the Russian form of the same name. Translation from Russian turns
#: one into the other (`Volodymyr Zelensky` becomes `Vladimir Zelensky`), so a group holds the
#: romanizations of both.
UKRAINIAN_RUSSIAN = {
    "Олександр": "Александр", "Олексій": "Алексей", "Андрій": "Андрей", "Анатолій": "Анатолий",
    "Василь": "Василий", "Віталій": "Виталий", "Володимир": "Владимир", "Геннадій": "Геннадий",
    "Григорій": "Григорий", "Дмитро": "Дмитрий", "Євген": "Евгений", "Ігор": "Игорь",
    "Іван": "Иван", "Кирило": "Кирилл", "Микола": "Николай", "Михайло": "Михаил",
    "Олег": "Олег", "Павло": "Павел", "Петро": "Пётр", "Сергій": "Сергей", "Юрій": "Юрий",
    "Федір": "Фёдор", "Яків": "Яков", "Ілля": "Илья", "Валерій": "Валерий", "Віктор": "Виктор",
    "Денис": "Денис", "Максим": "Максим", "Арсеній": "Арсений", "Леонід": "Леонид",
    "Костянтин": "Константин", "Степан": "Степан", "Богдан": "Богдан", "Роман": "Роман",
    "Олена": "Елена", "Ганна": "Анна", "Тетяна": "Татьяна", "Ірина": "Ирина",
    "Наталія": "Наталья", "Катерина": "Екатерина", "Юлія": "Юлия", "Ольга": "Ольга",
    "Людмила": "Людмила", "Оксана": "Оксана", "Марія": "Мария", "Світлана": "Светлана",
    "Галина": "Галина", "Вікторія": "Виктория", "Анастасія": "Анастасия", "Софія": "София",
}


def ukrainian_romanizations(cyrillic: str) -> set[str]:
    """KMU 2010, and the press habit of `-iy` for `-ій` (Serhiy, Andriy)."""
    letters = []
    for position, letter in enumerate(cyrillic.lower()):
        latin = UKRAINIAN.get(letter, letter)
        letters.append(latin if isinstance(latin, str) else latin[0 if position == 0 else 1])
    official = "".join(letters)
    press = official[:-2] + "iy" if cyrillic.endswith("ій") else official
    return {fold(official), fold(press)}


def main() -> None:
    given: set[str] = set()
    groups: list[list[str]] = []
    seen_groups: set[tuple[str, ...]] = set()
    for module in pkgutil.iter_modules(person_providers.__path__):
        locale = module.name
        names = locale_names(locale)
        if locale in CYRILLIC_LOCALES:
            for cyrillic in sorted(names):
                spellings = tuple(sorted(romanizations(cyrillic)))
                given.update(romanizations(cyrillic, with_yo=False))
                if len(spellings) > 1 and spellings not in seen_groups:
                    seen_groups.add(spellings)
                    groups.append(list(spellings))
        else:
            given.update(fold(name) for name in names if is_latin(name))
    for ukrainian, russian in sorted(UKRAINIAN_RUSSIAN.items()):
        spellings = tuple(sorted(romanizations(ukrainian) | romanizations(russian)
                                 | ukrainian_romanizations(ukrainian)))
        given.update(ukrainian_romanizations(ukrainian))
        if spellings not in seen_groups:
            seen_groups.add(spellings)
            groups.append(list(spellings))
    given = {name for name in given if len(name) > 2 and name not in NOT_EVIDENCE}
    header = "# generated by scripts/build_names_data.py from Faker (MIT) and iuliia; do not edit\n"
    (DATA / "names_given.txt").write_text(header + "\n".join(sorted(given)) + "\n")
    groups.sort()
    (DATA / "names_given_variants.tsv").write_text(
        header + "\n".join("\t".join(group) for group in groups) + "\n"
    )
    print(f"{len(given)} given names, {len(groups)} romanization groups")


if __name__ == "__main__":
    main()
