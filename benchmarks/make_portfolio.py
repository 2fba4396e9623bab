#!/usr/bin/env python3
"""Writes interchange CSV files for a large synthetic portfolio, for import benchmarks.

Usage: make_portfolio.py OUT_DIR --studies N --participants N [--seed S]
Deterministic for a seed. One recruiting site per study at each of a few trusts; participants spread evenly.
"""
import argparse
import csv
import os
import random
from datetime import date, timedelta

parser = argparse.ArgumentParser()
parser.add_argument("out")
parser.add_argument("--studies", type=int, default=1000)
parser.add_argument("--participants", type=int, default=500_000)
parser.add_argument("--seed", type=int, default=1)
args = parser.parse_args()
random.seed(args.seed)
os.makedirs(args.out, exist_ok=True)

trusts = [f"R{chr(65 + i // 26)}{chr(65 + i % 26)}" for i in range(20)]
with open(os.path.join(args.out, "organisations.csv"), "w", newline="") as f:
    w = csv.writer(f, lineterminator="\r\n")
    w.writerow(["ods_code", "name", "type", "subtype"])
    for code in trusts:
        w.writerow([code, f"Trust {code}", "nhs-trust", "mental-health"])

start = date(2022, 4, 1)
sites = []
with open(os.path.join(args.out, "studies.csv"), "w", newline="") as f, open(os.path.join(args.out, "sites.csv"), "w", newline="") as g:
    ws = csv.writer(f, lineterminator="\r\n")
    wg = csv.writer(g, lineterminator="\r\n")
    ws.writerow(["cpms_id", "short_name", "route", "design", "planned_open"])
    wg.writerow(["cpms_id", "site_ods", "role", "site_target", "date_site_selected", "date_site_open"])
    for i in range(args.studies):
        cpms = 100_000 + i
        opened = start + timedelta(days=random.randint(0, 1200))
        ws.writerow([cpms, f"STUDY-{i}", random.choice(["commercial", "non-commercial"]), "interventional", opened.isoformat()])
        site = trusts[i % len(trusts)]
        wg.writerow([cpms, site, "recruiting", 500, (opened - timedelta(days=30)).isoformat(), opened.isoformat()])
        sites.append((cpms, site, opened))

with open(os.path.join(args.out, "participants.csv"), "w", newline="") as f:
    w = csv.writer(f, lineterminator="\r\n")
    w.writerow(["cpms_id", "site_ods", "participant_id", "status", "consent_date", "recruited_date"])
    for n in range(args.participants):
        cpms, site, opened = sites[n % len(sites)]
        # Recruitment happens on or after opening and never after the day the data was taken.
        day = min(opened + timedelta(days=random.randint(0, 700)), date(2026, 11, 30))
        w.writerow([cpms, site, f"P{cpms}-{n:08d}", "recruited", day.isoformat(), day.isoformat()])
