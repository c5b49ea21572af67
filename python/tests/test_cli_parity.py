"""The Python API against the command line on every catalog in tests/data: the same
findings, field by field, in the same order, under several rule options."""

import warnings

import pytest

import brandscan
from conftest import DATA, REPO, cli_findings, run_cli

# Every catalog fixture (not the word lists, policies or suppression lists).
CATALOGS = sorted(
    str(p.relative_to(REPO))
    for p in list(DATA.rglob("*")) + [REPO / "examples" / "catalog.csv"]
    if p.is_file()
    and p.suffix in (".csv", ".tsv", ".gz", ".xlsx", ".jsonl", ".txt")
    and "wordlists" not in p.parts
    and p.name not in ("suppress.csv", "bad_suppress.csv")
    and not p.name.startswith("wordlist_")
)

# Options a catalog needs to be read at all, as the command line takes them.
READ_OPTIONS = {
    "tests/data/formats/listings_gb18030.csv": {"encoding": "gb18030"},
}

TEST_RULES = str(DATA / "wordlists" / "test_rules.csv")

# (command-line flags, Scanner arguments)
RULE_SETS = {
    "builtin": ([], {}),
    "test_rules": (["--no-builtin", "-w", TEST_RULES], {"wordlists": [TEST_RULES]}),
    "both_fuzzy": (
        ["--builtin", "-w", TEST_RULES, "--fuzzy"],
        {"wordlists": [TEST_RULES], "builtin": True, "fuzzy": True},
    ),
    "no_evasion_authorized": (
        ["--no-evasion", "--authorized", "Nike", "--compatible-action", "review"],
        {"evasion": False, "authorized": ["Nike"], "compatible_action": "review"},
    ),
}

_SCANNERS = {}


def scanner(name):
    if name not in _SCANNERS:
        _SCANNERS[name] = brandscan.Scanner(**RULE_SETS[name][1])
    return _SCANNERS[name]


def cli_flags(path):
    flags = []
    for k, v in READ_OPTIONS.get(path, {}).items():
        flags += [f"--{k}", v]
    return flags


def python_findings(path, scanner):
    """read_catalog + scan_table, with the rows numbered as in the file."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        table = brandscan.read_catalog(REPO / path, row_column="__row__", **READ_OPTIONS.get(path, {}))
    bad = [str(w.message) for w in caught if issubclass(w.category, brandscan.BadRowWarning)]
    found = scanner.scan_table(table, row_column="__row__")
    rows = [[str(v) for v in r.values()] for r in found.to_pylist()]
    return rows, bad


@pytest.mark.parametrize("rules", sorted(RULE_SETS))
@pytest.mark.parametrize("path", CATALOGS)
def test_scan_table_matches_cli_on_every_fixture(path, rules):
    code, cli_rows, stderr = cli_findings(REPO / path, *cli_flags(path), *RULE_SETS[rules][0])
    if code == 2:
        # The command line refuses the file: so does Python, with the same message.
        with pytest.raises(brandscan.Error) as err:
            python_findings(path, scanner(rules))
        # The same place; the problem in the same words, up to what a damaged workbook's
        # reader says, which differs between debug and release builds (an overflow check).
        message = str(err.value)
        assert message.split(": ")[0] in stderr
        assert message.split(" damaged: ")[0] in stderr
        return
    assert cli_rows[0] == list(brandscan.OUTPUT_COLUMNS)
    rows, bad = python_findings(path, scanner(rules))
    assert rows == cli_rows[1:]
    # Every row the command line rejected is a warning naming file, line and problem.
    rejected = [l.removeprefix("brandscan: ") for l in stderr.splitlines() if " rejected: " in l]
    assert bad == rejected


def test_fixtures_are_all_covered():
    # The comparison above is only as good as its list: it must see the hard cases.
    names = {p.rsplit("/", 1)[-1] for p in CATALOGS}
    for must in ("shopify_export.csv", "html_injection.csv", "alibaba_export.csv",
                 "broken_rows.csv", "nul_bytes.csv", "listings.xlsx", "listings.jsonl",
                 "listings_gb18030.csv", "catalog.csv"):
        assert must in names


@pytest.mark.parametrize("rules", sorted(RULE_SETS))
def test_check_matches_cli_check_json(rules):
    titles = [
        ("Strap for Rolex", "20mm NATO"),
        ("AAA Replica Gucc1 belt", None),
        ("耐克运动鞋 高仿", "适用于苹果iPhone 15 手机壳"),
        ("N I K E Air Max", "<p>Mo&euml;t &amp; Chandon</p>"),
        ("COACH BUS TOY MODEL", "plain mug"),
        ("plain mug", None),
    ]
    import json

    s = scanner(rules)
    for title, desc in titles:
        args = ["check", "--no-config", "--format", "json", "--title", title]
        if desc is not None:
            args += ["--description", desc]
        p = run_cli(*args, *RULE_SETS[rules][0])
        assert p.returncode in (0, 1), p.stderr
        assert s.check(title=title, description=desc) == json.loads(p.stdout)
