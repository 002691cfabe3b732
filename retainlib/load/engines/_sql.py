"""The engine reductions as SQL, written once (DuckDB's dialect) and transpiled for Spark.

Why SQL and sqlglot rather than Ibis: the reductions are a handful of
``GROUP BY`` queries over one table, which SQL states directly and which both
engines optimise themselves (DuckDB spills them to disk, Spark spreads them
over a cluster). sqlglot, the transpiler Ibis itself uses, turns the one text
into Spark SQL (``regexp_matches`` -> ``RLIKE``, ``VARCHAR`` -> ``STRING``,
quoted names -> backticks), so there is one copy of the logic and one small,
pure-Python dependency instead of Ibis's backend layer and its pins on both
engines' versions. Every query reads the view ``rl_source`` (the client's
rows as the engine sees them) and the views and tables defined here on top of it:

``rl_rows`` (a view)
    every source row, its source columns, its canonical values (``_rl_id``,
    ``_rl_ts``, ``_rl_amount``, ``_rl_order`` and the segments) and
    ``_rl_reason``: the loader's reason code
    (:data:`retainlib.load.transactions.REASONS`) when the row is rejected,
    NULL when it is kept;
``rl_once`` (a view, ``duplicates: drop`` only)
    the rejected rows and one of each set of exact duplicates among the kept.

Three passes over the source: :func:`reduction` (the rules and the grouping
into purchase lines, one query), :func:`duplicate_hashes` (a grouping of one
hash per row, without the rules) and, only for the rows whose hash repeats,
:func:`duplicates` (their rules and a full comparison). The rejected rows
come back from :func:`reduction` grouped by reason and cells, so their counts
and sample need no pass of their own.

Examples
--------
>>> print(in_dialect('SELECT CAST("a b" AS VARCHAR) FROM rl_rows', "spark"))
SELECT CAST(`a b` AS STRING) FROM rl_rows
>>> print(in_dialect("CREATE OR REPLACE TEMP TABLE t AS SELECT HASH(a, b) AS h FROM s", "spark"))
CREATE OR REPLACE TEMPORARY VIEW t AS SELECT XXHASH64(a, b) AS h FROM s
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping, Sequence

from retainlib.load._numbers import AMOUNT_LIMIT
from retainlib.load.parsing import ID_PLACEHOLDERS

__all__ = ["BLANK_LINE", "candidate_source", "duplicate_hashes", "duplicates", "in_dialect",
           "kept_once", "reason_counts", "reduction", "rejected_sample", "rows", "totals"]

# a customer id that is a total label ('Total', 'Grand total', 'סה"כ', 'סך הכל'), lower case;
# the loader's pattern (retainlib.load._rows) with literal spaces instead of \s, which Spark's
# string literals would unescape
_TOTAL_LABEL = ("^((grand|sub)[ -]*)?totals?[ ]*:?$|^sum[ ]*:?$"
                "|^(סה[\"״׳]?כ|סך[ -]*ה?כו?ל)([ ]+כללי)?[ ]*:?$")
# the first letters (lower case) a total label can start with: a cheap test before the regex
_TOTAL_FIRST = ("g", "s", "t", "ס")


def in_dialect(sql: str, dialect: str) -> str:
    """``sql`` (DuckDB's dialect) in the SQL of ``dialect`` ('duckdb' returns it unchanged)."""
    if dialect == "duckdb":
        return sql
    import sqlglot
    from sqlglot import exp

    def hash64(node):  # Spark's HASH has 32 bits: too many candidates on millions of rows
        if isinstance(node, exp.Anonymous) and node.name.upper() == "HASH":
            return exp.Anonymous(this="XXHASH64", expressions=node.expressions)
        if isinstance(node, exp.Create) and node.args.get("kind") == "TABLE":
            node.set("kind", "VIEW")  # a temp table is a temp view to Spark: keep OR REPLACE
        return node

    return sqlglot.parse_one(sql, read="duckdb").transform(hash64).sql(dialect=dialect)


def _name(column: str) -> str:
    """A column name quoted for SQL."""
    return '"' + str(column).replace('"', '""') + '"'


def _text(value: str) -> str:
    """A string literal."""
    return "'" + value.replace("'", "''") + "'"


def _clean(column: str, floats: Collection[str] = ()) -> str:
    """A column as trimmed text, NULL when blank.

    A column of ``floats`` (ids stored as floating point, as a spreadsheet
    with one empty cell writes them) is written as the loader writes it: a
    whole number without '.0' (``1000.0`` -> ``1000``), NaN blank.
    """
    c = _name(column)
    if column in floats:
        return (f"CASE WHEN {c} IS NULL OR ISNAN({c}) THEN NULL "
                f"WHEN {c} = FLOOR({c}) AND ABS({c}) < 1e15 "
                f"THEN CAST(CAST({c} AS BIGINT) AS VARCHAR) "
                f"ELSE CAST({c} AS VARCHAR) END")
    return f"NULLIF(TRIM(CAST({c} AS VARCHAR)), '')"


#: the reason of a row whose every cell is empty: a blank line, skipped (not a row)
BLANK_LINE = "blank line"


def rows(found: Mapping[str, str], segments: Mapping[str, str], *, numeric_amount: bool,
         today: str, text_date: bool = True, name: str = "rl_rows",
         source: str = "rl_source", source_columns: Sequence[str] = (),
         floats: Collection[str] = (), extra_columns: Sequence[str] = ()) -> str:
    """``rl_rows``: every source row, its canonical values and its reason (NULL = kept).

    ``name`` and ``source`` name the view and the relation it checks (the
    duplicate candidates are checked by the same rules: :func:`duplicates`).

    ``found`` maps the canonical names (``customer_id``, ``date``, ``amount``,
    optionally ``order_id``) to source columns, ``segments`` output names to
    source columns. The checks and their precedence are the loader's (a
    later one wins): amount, date, customer id, total row. A date column
    stored as dates (not ``text_date``) is blank only when NULL. A row whose
    ``source_columns`` are all empty is a :data:`BLANK_LINE`, which the loader
    skips and counts apart from the rows. Ids, order ids and segments stored
    as ``floats`` lose a whole number's '.0' (:func:`_clean`). A row with a
    cell in ``extra_columns`` (fields beyond a CSV header's) has 'too many
    fields', before every other reason, as for the loader.
    """
    words = sorted({p.lower() for p in ID_PLACEHOLDERS})
    placeholders = ", ".join(_text(p) for p in words)
    blank_first = _first_letters(p[0] for p in words)
    tomorrow = (dt.date.fromisoformat(today) + dt.timedelta(days=1)).isoformat()
    amount, date = _name(found["amount"]), _name(found["date"])
    if numeric_amount:  # a missing float (NaN) in a Parquet file is a blank cell
        blank_amount = f"{amount} IS NULL OR ISNAN({amount})"
    else:
        blank_amount = f"{amount} IS NULL OR TRIM(CAST({amount} AS VARCHAR)) = ''"
    blank_date = f"{date} IS NULL" + (f" OR TRIM(CAST({date} AS VARCHAR)) = ''" if text_date
                                      else "")
    order = _clean(found["order_id"], floats) if "order_id" in found else "CAST(NULL AS VARCHAR)"
    # a number column as it is; any other (text, true/false) through its text, where DuckDB's
    # digit separator '1_000' is not a number (as for the loader and Spark)
    text_amount = f"TRIM(CAST({amount} AS VARCHAR))"
    number = f"TRY_CAST({amount} AS DOUBLE)" if numeric_amount else \
        (f"CASE WHEN POSITION('_' IN {text_amount}) = 0 "
         f"THEN TRY_CAST({text_amount} AS DOUBLE) END")
    # text dates: trimmed, and at least a year, a month and a day ('2024' and '2024-03', which
    # Spark would read as the 1st, are incomplete)
    ts = (f"CASE WHEN LENGTH(TRIM(CAST({date} AS VARCHAR))) >= 8 "
          f"THEN TRY_CAST(TRIM(CAST({date} AS VARCHAR)) AS TIMESTAMP) END") if text_date \
        else f"TRY_CAST({date} AS TIMESTAMP)"
    segs = "".join(f", {_clean(col, floats)} AS {_name('_rl_seg_' + name)}"
                   for name, col in segments.items())
    inner = f"""
        SELECT *, {_clean(found["customer_id"], floats)} AS _rl_id,
               {ts} AS _rl_ts,
               ({blank_date}) AS _rl_blank_date,
               {number} AS _rl_amount,
               ({blank_amount}) AS _rl_blank_amount,
               {order} AS _rl_order{segs}
        FROM {source}"""
    first = _first_letters(_TOTAL_FIRST)
    too_many = "" if not extra_columns else "\n            WHEN " + " OR ".join(
        f"{_name(c)} IS NOT NULL" for c in extra_columns) + " THEN 'too many fields'"
    return f"""CREATE OR REPLACE TEMP VIEW {name} AS
        SELECT *, CASE{too_many}
            WHEN LEFT(_rl_id, 1) IN ({first})
                 AND REGEXP_MATCHES(LOWER(_rl_id), {_text(_TOTAL_LABEL)}) THEN 'total row'
            WHEN _rl_id IS NULL AND {_all_empty(source_columns)} THEN {_text(BLANK_LINE)}
            WHEN _rl_id IS NULL OR (LEFT(_rl_id, 1) IN ({blank_first})
                                    AND LOWER(_rl_id) IN ({placeholders})) THEN 'blank customer id'
            WHEN _rl_blank_date THEN 'blank date'
            WHEN _rl_ts IS NULL THEN 'unparseable date'
            WHEN _rl_ts < TIMESTAMP '1678-01-01' OR _rl_ts >= TIMESTAMP '2262-01-01'
                THEN 'date out of range'
            WHEN _rl_ts >= TIMESTAMP {_text(tomorrow)} THEN 'date in the future'
            WHEN _rl_blank_amount THEN 'blank amount'
            WHEN _rl_amount IS NULL OR NOT (ABS(_rl_amount) < 1e308) THEN 'non-numeric amount'
            WHEN ABS(_rl_amount) > {AMOUNT_LIMIT:.0f} THEN 'amount out of range'
        END AS _rl_reason
        FROM ({inner}) AS rows_with_values"""


def _all_empty(columns: Sequence[str]) -> str:
    """SQL: every one of ``columns`` is NULL or '' (FALSE for no columns); spaces are a cell."""
    if not columns:
        return "FALSE"
    return " AND ".join(f"COALESCE(CAST({_name(c)} AS VARCHAR), '') = ''" for c in columns)


def _first_letters(letters) -> str:
    """SQL list of ``letters`` in both cases (a first-letter test cheaper than LOWER)."""
    both = {c for letter in letters for c in (letter, letter.upper(), letter.lower())}
    return ", ".join(_text(c) for c in sorted(both))


def _hash(source_columns: Sequence[str]) -> str:
    return f"HASH({', '.join(_name(c) for c in source_columns)})"


def kept_once() -> str:
    """``rl_once``: every rejected row and one of each set of exact duplicates among the kept.

    The relation :func:`reduction` reads when ``duplicates: drop`` (else it
    reads ``rl_rows``). A duplicate repeats every source column, so its
    canonical values and reason repeat too.
    """
    return """CREATE OR REPLACE TEMP VIEW rl_once AS
        SELECT * FROM rl_rows WHERE _rl_reason IS NOT NULL
        UNION ALL
        SELECT * FROM (SELECT DISTINCT * FROM rl_rows WHERE _rl_reason IS NULL) AS kept_once"""


def reduction(segments: Sequence[str], found: Mapping[str, str] | None = None,
              relation: str = "rl_rows") -> str:
    """The reduction in one pass: purchase lines of the kept rows, the rejected rows by reason.

    A kept row (reason NULL) goes into its purchase line: one row per
    customer, calendar day, order id, segment values and sign of the amount
    (purchase lines, zero lines and return lines apart), holding the sum of
    the amounts, the number of source rows and their first and last
    timestamp. The rejected rows are grouped by reason and by their mapped
    cells as text (``found``'s names, NULL on the kept lines), with their
    count: the counts per reason and the sample of rejected rows, without
    another pass; every key of a line is NULL on them. Every figure the
    analytics take from line items is a sum over such groups: a customer-day's net amount (purchase
    days, frequency, recency, T, monetary value, cohorts, KPIs), revenue,
    returns (negative amounts) and gross revenue, and distinct orders among
    the purchase lines; the load report's totals (rows kept, first and last
    date, revenue, return rows, rows after the end, customers) are sums,
    minima, maxima and a distinct count over the lines (:func:`totals`).
    Not sorted: the engine writes it to disk as it comes.

    Examples
    --------
    >>> "GROUP BY _rl_reason, " in reduction(["region"])
    True
    """
    segs = [_name("_rl_seg_" + s) for s in segments]
    sign = "CASE WHEN _rl_amount > 0 THEN 1 WHEN _rl_amount < 0 THEN -1 ELSE 0 END"
    keys = [("customer_id", "_rl_id"), ("date", "CAST(_rl_ts AS DATE)"), ("order_id", "_rl_order"),
            *zip(segments, segs, strict=True), ("_rl_sign", sign)]

    def kept(value: str) -> str:
        return f"CASE WHEN _rl_reason IS NULL THEN {value} END"

    def rejected(column: str) -> str:
        return f"CASE WHEN _rl_reason IS NOT NULL THEN CAST({_name(column)} AS VARCHAR) END"

    cells = [(f"_rl_cell_{name}", rejected(col)) for name, col in (found or {}).items()]
    out = ", ".join(f"{v} AS {_name(k)}" for k, v in
                    [*((k, kept(v)) for k, v in keys), *cells])
    by = ", ".join(["_rl_reason", *(kept(v) for _, v in keys), *(v for _, v in cells)])
    return f"""SELECT _rl_reason AS reason, {out}, SUM({kept("_rl_amount")}) AS amount,
               COUNT(*) AS "rows", MIN({kept("_rl_ts")}) AS first_ts,
               MAX({kept("_rl_ts")}) AS last_ts
        FROM {relation}
        GROUP BY {by}"""


def reason_counts() -> str:
    """The rejected rows of ``rl_groups`` per reason (``n``), blank lines included."""
    return """SELECT reason, SUM("rows") AS n FROM rl_groups WHERE reason IS NOT NULL
        GROUP BY reason"""


def totals() -> str:
    """The load report's totals over the kept lines of ``rl_groups`` (:func:`reduction`'s rows).

    Rows kept, first and last timestamp, revenue, return rows (negative
    amount) and distinct customers: sums, minima, maxima and a distinct count
    over the purchase lines (every key of a line is NULL on a rejected group).
    """
    return """SELECT SUM(CASE WHEN reason IS NULL THEN "rows" END) AS kept,
               MIN(first_ts) AS first_ts, MAX(last_ts) AS last_ts, SUM(amount) AS revenue,
               SUM(CASE WHEN reason IS NULL AND _rl_sign < 0 THEN "rows" END) AS returns,
               COUNT(DISTINCT customer_id) AS customers
        FROM rl_groups"""


def rejected_sample(found: Mapping[str, str], n: int) -> str:
    """Up to ``n`` groups of rejected rows of ``rl_groups`` (blank lines left out), by reason.

    Each group stands for its ``rows`` rows, so ``n`` groups hold ``n`` rows or more.
    """
    cells = "".join(f", {_name('_rl_cell_' + k)}" for k in found)
    return f"""SELECT reason, "rows"{cells} FROM rl_groups
        WHERE reason IS NOT NULL AND reason <> {_text(BLANK_LINE)}
        ORDER BY reason{cells} LIMIT {int(n)}"""


def duplicate_hashes(source_columns: Sequence[str]) -> str:
    """``rl_duplicate_hashes``: the hashes ``h`` shared by more than one source row.

    The candidates of exact duplicates, found without the row rules: a
    grouping of one 64-bit number per row.
    """
    return f"""CREATE OR REPLACE TEMP TABLE rl_duplicate_hashes AS
        SELECT {_hash(source_columns)} AS h FROM rl_source
        GROUP BY {_hash(source_columns)} HAVING COUNT(*) > 1"""


def candidate_source(source_columns: Sequence[str]) -> str:
    """The source rows whose hash is a duplicate candidate's (a relation for :func:`rows`)."""
    return (f"(SELECT * FROM rl_source WHERE {_hash(source_columns)} IN "
            "(SELECT h FROM rl_duplicate_hashes)) AS candidate_rows")


def duplicates(source_columns: Sequence[str]) -> str:
    """The kept candidate rows and how many distinct rows they are (the difference: duplicates).

    Exact duplicates share their hash, so only the rows of a repeated hash
    (the view ``rl_candidates``: :func:`rows` of :func:`candidate_source`) are
    checked and compared column by column; rejected rows are not counted.
    """
    cols = ", ".join(_name(c) for c in source_columns)
    return f"""SELECT (SELECT COUNT(*) FROM rl_candidates WHERE _rl_reason IS NULL) AS candidates,
               (SELECT COUNT(*) FROM (SELECT DISTINCT {cols} FROM rl_candidates
                                      WHERE _rl_reason IS NULL) AS distinct_rows) AS n"""
