"""Type stubs of the native module. The public API is `brandscan` itself
(`brandscan/__init__.py`, typed inline); these are its building blocks."""

from typing import Any, List, Optional, Sequence, Tuple

__version__: str

class Error(Exception):
    """Base of every error brandscan raises. `path`, `line` and `column` name the place
    in a user's file when there is one (else None); the message is the command line's."""

    path: Optional[str]
    line: Optional[int]
    column: Optional[str]

class WordListError(Error): ...
class ConfigError(Error): ...
class CatalogError(Error): ...
class UsageError(Error): ...
class FileError(Error): ...

Capsules = Tuple[Any, Any]

class Engine:
    def __init__(
        self,
        sources: Sequence[Tuple[str, Optional[bytes]]],
        builtin: Optional[bool],
        authorized: Sequence[str],
        evasion: bool,
        fuzzy: bool,
        compatible_action: Optional[str],
        max_automaton_mb: int,
    ) -> None: ...
    @property
    def fingerprint(self) -> str: ...
    @property
    def rule_count(self) -> int: ...
    def state(self) -> Tuple[Any, ...]: ...
    def check_json(self, id: str, fields: Sequence[Tuple[str, str]]) -> str: ...
    def scan_array(self, field: str, schema: Any, array: Any) -> Capsules: ...
    def scan_columns(
        self,
        id: Optional[Capsules],
        fields: Sequence[Tuple[str, Any, Any]],
        first_row: int,
        rows: Optional[Capsules] = None,
    ) -> Capsules: ...

def detect_columns(
    headers: Sequence[str],
    fields: Optional[Sequence[str]] = None,
    id_column: Optional[str] = None,
    source: str = "<table>",
) -> Tuple[Optional[int], List[Tuple[int, str]]]: ...
def read_catalog(
    path: str,
    id_column: Optional[str] = None,
    fields: Optional[Sequence[str]] = None,
    delimiter: Optional[str] = None,
    encoding: Optional[str] = None,
    sheet: Optional[str] = None,
) -> Tuple[List[str], List[Capsules], Capsules, List[str], List[str]]: ...
def config_rule_options(path: str) -> str: ...
def output_columns() -> List[str]: ...
