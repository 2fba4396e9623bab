"""The sites report, the KPI report and the league table computed in DuckDB straight from the five
interchange CSV files, by the rules of interchange.md: the analyst's way of getting the same numbers
without Pace. Used by benchmarks/compare.py for the timing reference and the agreement check."""
import time

import duckdb

DATE_COLUMNS = {
    "consent_date", "recruited_date", "withdrawn_date", "period_start", "period_end", "planned_open", "actual_open",
    "planned_close", "actual_close", "planned_recruitment_start", "planned_recruitment_end", "date_site_invited",
    "date_site_selected", "regulatory_submission", "hra_approval", "date_site_confirmed_by_sponsor", "date_site_confirmed",
    "date_site_open", "first_participant_recruited", "last_participant_recruited", "closed_to_recruitment",
}
INTEGER_COLUMNS = {"cpms_id", "site_target", "sample_size", "count"}
TABLES = {"organisations": "organisations", "studies": "studies", "sites": "sites", "participants": "participants",
          "recruitment-counts": "counts"}

EVENTS = """
    SELECT cpms_id, site_ods, COALESCE(recruited_date, consent_date) AS day, 1 AS n
    FROM participants WHERE status IN ('recruited', 'withdrawn') AND COALESCE(recruited_date, consent_date) IS NOT NULL
    UNION ALL
    SELECT cpms_id, site_ods, period_end AS day, "count" AS n FROM counts WHERE "count" > 0
"""

SITES = f"""
WITH events AS ({EVENTS}),
history AS (
    SELECT cpms_id, site_ods, MIN(day) AS first_day,
           COALESCE(SUM(n) FILTER (WHERE day <= $on), 0) AS to_date,
           COALESCE(SUM(n) FILTER (WHERE day > $on - 90 AND day <= $on), 0) AS recent
    FROM events GROUP BY cpms_id, site_ods
),
measured AS (
    SELECT s.*, COALESCE(h.to_date, 0) AS recruited, COALESCE(h.recent, 0) AS recent,
           COALESCE(h.first_day, s.first_participant_recruited) AS first_day,
           COALESCE(s.date_site_open <= $on AND (s.closed_to_recruitment IS NULL OR s.closed_to_recruitment > $on), false) AS open,
           COALESCE(lower(trim(s.sponsor_intention)) = 'on track as per study milestones', false) AS agreed
    FROM sites s LEFT JOIN history h USING (cpms_id, site_ods)
),
shared AS (
    SELECT *, CASE WHEN open AND site_target > 0 AND date_diff('day', planned_recruitment_start, planned_recruitment_end) > 0
        THEN LEAST(1.0, GREATEST(0.0, date_diff('day', planned_recruitment_start, $on) / date_diff('day', planned_recruitment_start, planned_recruitment_end)))
        END AS share_time
    FROM measured
),
rtt AS (SELECT *, CASE WHEN share_time > 0 THEN (recruited / site_target) / share_time - 1 END AS rtt FROM shared)
SELECT cpms_id, site_ods, role, recruited AS recruited_to_date, site_target, rtt,
    CASE WHEN NOT open THEN NULL WHEN rtt IS NOT NULL THEN rtt >= 0 OR agreed WHEN agreed THEN true END AS on_track,
    CASE WHEN rtt IS NULL THEN NULL WHEN rtt + 1 >= 1.0 THEN 'green' WHEN rtt + 1 >= 0.8 THEN 'amber' ELSE 'red' END AS traffic_light,
    date_diff('day', date_site_selected, first_day) AS hlo9_days,
    date_diff('day', hra_approval, date_site_open) AS kpi_open60_days,
    date_diff('day', date_site_open, first_day) AS kpi_first30_days,
    date_diff('day', regulatory_submission, first_day) AS kpi150_days,
    CASE WHEN open AND site_target IS NOT NULL AND recruited < site_target AND recent > 0
         THEN $on + CAST(((site_target - recruited) * 90 + recent - 1) // recent AS INTEGER) END AS forecast_target_date
FROM rtt
"""

KPIS = f"""
WITH events AS ({EVENTS}),
history AS (SELECT cpms_id, site_ods, MIN(day) AS first_day FROM events GROUP BY cpms_id, site_ods),
s AS (
    SELECT sites.*, studies.route, studies.ctimp, COALESCE(h.first_day, sites.first_participant_recruited) AS first_day
    FROM sites JOIN studies USING (cpms_id) LEFT JOIN history h USING (cpms_id, site_ods)
)
SELECT 'open-60' AS kpi,
    COUNT(*) FILTER (WHERE hra_approval IS NOT NULL AND date_site_open BETWEEN $start AND $end) AS eligible,
    COUNT(*) FILTER (WHERE hra_approval IS NOT NULL AND date_site_open BETWEEN $start AND $end AND date_diff('day', hra_approval, date_site_open) <= 60) AS met
FROM s
UNION ALL
SELECT 'first-30',
    COUNT(*) FILTER (WHERE role <> 'pic' AND date_site_open IS NOT NULL AND first_day BETWEEN $start AND $end),
    COUNT(*) FILTER (WHERE role <> 'pic' AND date_site_open IS NOT NULL AND first_day BETWEEN $start AND $end AND date_diff('day', date_site_open, first_day) <= 30)
FROM s
UNION ALL
SELECT 'kpi-150',
    COUNT(*) FILTER (WHERE role <> 'pic' AND route = 'commercial' AND ctimp = 'yes' AND regulatory_submission IS NOT NULL AND first_day BETWEEN $start AND $end),
    COUNT(*) FILTER (WHERE role <> 'pic' AND route = 'commercial' AND ctimp = 'yes' AND regulatory_submission IS NOT NULL AND first_day BETWEEN $start AND $end
                     AND date_diff('day', regulatory_submission, first_day) <= 150)
FROM s
"""

LEAGUE = f"""
WITH events AS ({EVENTS}),
year_sites AS (SELECT cpms_id, site_ods, SUM(n) AS recruited FROM events WHERE day BETWEEN $start AND $end GROUP BY cpms_id, site_ods),
totals AS (
    SELECT o.ods_code, o.name, o.type, o.subtype, COALESCE(SUM(y.recruited), 0) AS participants,
           COUNT(DISTINCT y.cpms_id) FILTER (WHERE y.recruited > 0) AS recruiting_studies
    FROM organisations o LEFT JOIN year_sites y ON y.site_ods = o.ods_code
    WHERE o.ods_code IN (SELECT site_ods FROM sites)
    GROUP BY o.ods_code, o.name, o.type, o.subtype
)
SELECT ods_code, name, type, subtype, participants, recruiting_studies,
    CASE WHEN participants > 0 THEN RANK() OVER (PARTITION BY type, subtype ORDER BY participants DESC) END AS rank_participants,
    CASE WHEN recruiting_studies > 0 THEN RANK() OVER (PARTITION BY type, subtype ORDER BY recruiting_studies DESC) END AS rank_studies
FROM totals
"""


def load(directory):
    """Loads the five files into DuckDB tables, typed by column name; returns the connection and seconds taken."""
    connection = duckdb.connect()
    started = time.perf_counter()
    for kind, table in TABLES.items():
        path = f"{directory}/{kind}.csv"
        with open(path, encoding="utf-8") as handle:
            header = handle.readline().strip().split(",")
        columns = {name: "DATE" if name in DATE_COLUMNS else "INTEGER" if name in INTEGER_COLUMNS else "VARCHAR" for name in header}
        connection.execute(f"CREATE TABLE {table} AS SELECT * FROM read_csv(?, header = true, columns = ?)", [path, columns])
    return connection, time.perf_counter() - started


def run(connection, query, parameters, repeats=3):
    """Best of `repeats` seconds, and the rows of the last run."""
    best, rows = None, None
    for _ in range(repeats):
        started = time.perf_counter()
        result = connection.execute(query, parameters)
        rows = result.fetchall()
        names = [column[0] for column in result.description]
        took = time.perf_counter() - started
        best = took if best is None else min(best, took)
    return best, [dict(zip(names, row)) for row in rows]
