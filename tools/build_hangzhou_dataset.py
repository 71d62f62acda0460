"""Build the example dataset ``inputs/hangzhou_2027`` from the facts in ``tools/hangzhou_facts``.

Run from anywhere (it needs only this repository)::

    python tools/build_hangzhou_dataset.py                 # write inputs/hangzhou_2027 and check it
    python tools/build_hangzhou_dataset.py --check         # only check, write nothing
    python tools/build_hangzhou_dataset.py --out DIR       # write into DIR instead (the tests compare it)

``tools/hangzhou_facts`` holds the public facts with their sources: ``projects.csv`` (the reference compilation of
public web pages, rows P01-P79, plus the projects found later in public lists, P110-P151), ``plan_figures.csv``
(published investment, land and bond figures behind the limits), ``indicators.csv``, ``cities.csv`` and
``notes.md`` (the compilation's notes: estimate ranges for land and energy). Every number that is not in a
source is an estimate and is marked as such in the output (``confidence``, ``estimated_fields``, ``notes``). The
output is deterministic: the same bytes every run (tests/test_hangzhou_dataset.py checks it).

The script ends with consistency checks (unique ids, shares, profiles, start windows, dependency cycles,
committed + mandatory projects within every limit row, every candidate fits on its own, indicator margins); it
exits non-zero if one fails.
"""

from __future__ import annotations

import argparse
import csv
import math
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FACTS = ROOT / "tools" / "hangzhou_facts"
OUT = ROOT / "inputs" / "hangzhou_2027"

CITIES = ["杭州", "湖州", "嘉兴", "绍兴"]
TASKS = [
    "基础设施一体化",
    "科技创新一体化",
    "产业集群一体化",
    "民生共享一体化",
    "环境治理一体化",
    "城乡发展一体化",
    "人文交流一体化",
    "社会治理一体化",
    "对外开放一体化",
]
Y0, Y1 = 2024, 2030
TARGET_YEAR = 2027
YEARS = list(range(Y0, Y1 + 1))

# 2022 resident population, 万人 (cities.csv: Hangzhou, Jiaxing sourced/recalled; Huzhou, Shaoxing estimated)
POP_10K = {"杭州": 1237.6, "嘉兴": 555.1, "湖州": 341.0, "绍兴": 535.0}
POP_TOTAL_10K = sum(POP_10K.values())  # 2668.7 万

# S-curve spending profiles by duration (share of cost per construction year).
# 5 years is notes.md's 10/20/30/25/15 %; the others are the same shape stretched or squeezed (estimate).
PROFILES = {
    1: [1.0],
    2: [0.45, 0.55],
    3: [0.25, 0.45, 0.30],
    4: [0.15, 0.30, 0.35, 0.20],
    5: [0.10, 0.20, 0.30, 0.25, 0.15],
    6: [0.08, 0.15, 0.22, 0.25, 0.18, 0.12],
}

# notes.md policy note: land for national / provincial rail, expressways, airports and major water
# works is mostly provided outside the city's yearly quota. We charge 30 % of the gross land.
LAND_DISCOUNT = 0.3
# national (国铁) lines: land is mostly allotted by the state outside the city quota (notes.md: discount 0-0.3)
NATIONAL_RAIL_LAND_DISCOUNT = 0.1

# GDP uplift once complete (亿元 of annual GDP, estimate) = cost x multiplier by category.
GDP_MULT = {
    "industrial": 0.5,
    "computing": 0.3,
    "logistics": 0.3,
    "airport": 0.3,
    "new town": 0.2,
    "rail": 0.03,
    "highway": 0.03,
    "waterway": 0.03,
}

SRC_ZDPI = "https://www.zdpi.org.cn/txtread.php?id=17812"

# ---------------------------------------------------------------------------------------------
# Projects. Keys:
#   id, ref (row of tools/hangzhou_facts/projects.csv, or None for a new estimated project), city (lead city),
#   shares {city: share} for cross-city projects, task, category, dur, es/ls (earliest/latest start),
#   status, start (committed), group, cost, land (亩, already net) or land_gross + disc=True,
#   energy (万tce/yr), est (estimated numeric fields), conf (override), c {indicator: value},
#   beds (new beds, turned into beds_per_1000), gdp=False to switch off the GDP rule, note.
# Names, English names, sources and categories come from the reference row when ref is given.
# ---------------------------------------------------------------------------------------------

ALL4 = {"杭州": 0.4, "湖州": 0.2, "嘉兴": 0.2, "绍兴": 0.2}

P = [
    # ---------------- 基础设施一体化: rail -------------------------------------------------
    dict(id="P01", ref="P01", shares={"杭州": 0.55, "嘉兴": 0.25, "绍兴": 0.20}, cat="rail", dur=4,
         status="committed", start=2022, cost=382.5, land_gross=84.9 * 45 + 800 + 2 * 250, disc=True,
         energy=0.8, est="land;energy", c={"commute_1h": 2, "openness": 1, "pm25": -0.1},
         note="84.9 km national-rail link Tongxiang–airport–Shaoxing North; 3 new stations"),
    dict(id="P02", ref="P02", shares={"嘉兴": 0.75, "杭州": 0.25}, cat="rail", dur=6, es=2025, ls=2025,
         status="mandatory", cost=round(670.97 * 0.62, 2),
         land_gross=143.2 * 45 + 5 * 250, disc=True, energy=0.8, est="cost;land;energy",
         conf="partly sourced", c={"commute_1h": 2, "openness": 1, "pm25": -0.1},
         note="landmark: cost = 62% metro share of the 670.97 whole-line figure (Zhejiang new track 143.2 of "
              "223.8 km); advance works 2025-09, modelled 2025-2030; no credit before 2030"),
    dict(id="P03", ref="P03", cat="rail", dur=6, status="committed", start=2022,
         cost=round(1012.49 * 0.28, 2), land_gross=60 * 45 + 3 * 250, disc=True, energy=0.6,
         est="cost;land;energy", conf="partly sourced",
         c={"commute_1h": 0.5, "openness": 0.5, "pm25": -0.05},
         note="cost = 28% Jiaxing-section share of the 1012.49 whole-line figure (estimate); sea bridge excluded from land"),
    dict(id="P04", ref="P04", cat="rail", dur=6, status="committed", start=2023, cost=275.08,
         land_gross=64.8 * 20 + 300, disc=True, energy=round(64.8 * 0.035, 2), est="land;energy",
         c={"rail_km": 64.8, "commute_1h": 2, "pm25": -0.1},
         note="60-month schedule modelled 2023-2028: completes after the target year"),
    dict(id="P05", ref="P05", shares={"湖州": 0.66, "杭州": 0.34}, cat="rail", dur=6, status="committed",
         start=2020, cost=166.5, land_gross=34.6 * 20 + 300, disc=True, energy=round(34.6 * 0.035, 2),
         est="duration;land;energy", c={"rail_km": 34.6, "commute_1h": 2.5, "pm25": -0.1},
         note="shares by length: Deqing 23 of 34.6 km (sourced); opening slipped, modelled 2020-2025"),
    dict(id="P10", ref="P10", cat="rail", dur=5, es=2025, ls=2027, status="candidate",
         cost=round(300 * 0.55, 2), land_gross=70 * 45 + 2 * 250, disc=True, energy=0.5,
         est="cost;duration;land;energy", c={"commute_1h": 1.5, "culture_exchange": 1},
         note="cost = 55% metro share of an estimated 300 whole-line figure (Anhui section outside the metro); "
              "earliest completion 2029, so no credit by 2027 unless partial_credit > 0"),
    dict(id="P11A", ref="P11", name="杭州城市轨道交通第四期建设规划项目(首批开工线路,按投资拆分)",
         name_en="Hangzhou Metro Phase IV, first lines (package split by investment, estimate)", cat="rail (metro)", dur=5,
         status="committed", start=2023, cost=round(1380 * 0.55, 2), land=84 * 10 + 2 * 400,
         energy=round(84 * 0.035, 2), est="cost;duration;land;energy", conf="partly sourced",
         c={"commute_1h": 1, "pm25": -0.15, "public_services": 1}, gdp_mult=0.03,
         note="the 1380 yi / 152.9 km plan split 55/22.5/22.5 into a started package (~84 km) and two later ones (estimate)"),
    dict(id="P11B", ref="P11", name="杭州城市轨道交通第四期建设规划项目(后续线路包一,按投资拆分)",
         name_en="Hangzhou Metro Phase IV, later lines package 1 (package split by investment, estimate)", cat="rail (metro)", dur=4,
         es=2024, ls=2026, status="candidate", cost=round(1380 * 0.225, 2), land=34 * 10 + 200,
         energy=round(34 * 0.035, 2), est="cost;duration;land;energy", conf="partly sourced",
         c={"commute_1h": 0.75, "pm25": -0.08, "public_services": 0.5}, gdp_mult=0.03,
         note="half of the later 45% of the plan (~34 km) modelled as selectable; 4-year build assumed"),
    dict(id="P11C", ref="P11", name="杭州城市轨道交通第四期建设规划项目(后续线路包二,按投资拆分)",
         name_en="Hangzhou Metro Phase IV, later lines package 2 (package split by investment, estimate)", cat="rail (metro)", dur=4,
         es=2024, ls=2026, status="candidate", cost=round(1380 * 0.225, 2), land=35 * 10 + 200,
         energy=round(35 * 0.035, 2), est="cost;duration;land;energy", conf="partly sourced",
         c={"commute_1h": 0.75, "pm25": -0.08, "public_services": 0.5}, gdp_mult=0.03,
         note="other half of the later 45% of the plan (~35 km) modelled as selectable; 4-year build assumed"),
    dict(id="P12", ref="P12", cat="rail (metro)", dur=5, status="committed", start=2023, cost=185,
         land=round(26.1 * 10 + 300), energy=round(26.1 * 0.035, 2), est="cost;land;energy",
         c={"commute_1h": 0.5, "pm25": -0.05, "public_services": 0.5}, gdp_mult=0.03),
    dict(id="P13", ref="P13", cat="rail", dur=6, status="committed", start=2021, cost=170,
         land_gross=35.6 * 20 + 300, disc=True, energy=round(35.6 * 0.035, 2), est="duration;land;energy",
         c={"rail_km": 35.6, "commute_1h": 0.5, "openness": 0.5, "pm25": -0.05},
         note="advance works 2019-12; main works modelled 2021-2026 (6-year cap)"),
    dict(id="P14", ref="P14", cat="rail", dur=5, status="committed", start=2023, cost=100,
         land_gross=20.4 * 20, disc=True, energy=round(20.4 * 0.035, 2), est="land;energy",
         c={"rail_km": 20.4, "pm25": -0.03}),
    dict(id="P15A", ref="P15", name="杭州至诸暨市域(郊)铁路(方案A:经萧山机场)",
         name_en="Hangzhou–Zhuji suburban rail, option A via Xiaoshan Airport", shares={"绍兴": 0.58, "杭州": 0.42},
         cat="rail", dur=5, es=2025, ls=2026, status="candidate", group="杭诸铁路走向", cost=270,
         land_gross=60 * 20 + 300, disc=True, energy=round(60 * 0.035, 2), est="cost;duration;land;energy",
         c={"rail_km": 60, "commute_1h": 3, "pm25": -0.1},
         note="alignment option A (~60 km, estimate); Zhuji section ~35 km; needs the airport hub (P01) first"),
    dict(id="P15B", ref="P15", name="杭州至诸暨市域(郊)铁路(方案B:经萧山城区,示意)",
         name_en="Hangzhou–Zhuji suburban rail, option B via Xiaoshan town (illustrative)",
         shares={"绍兴": 0.60, "杭州": 0.40}, cat="rail", dur=4, es=2024, ls=2026, status="candidate",
         group="杭诸铁路走向", cost=230, land_gross=52 * 20 + 300, disc=True, energy=round(52 * 0.035, 2),
         est="cost;duration;land;energy", conf="estimated", c={"rail_km": 52, "commute_1h": 2.5, "pm25": -0.1},
         note="shorter alignment option B (~52 km, illustrative), 4.4 yi/km; can open by 2027 if started 2024"),
    dict(id="P16", ref="P16", shares={"嘉兴": 0.60, "杭州": 0.40}, cat="rail", dur=4, es=2024, ls=2027,
         status="candidate", cost=110, land_gross=22.7 * 20 + 200, disc=True, energy=round(22.7 * 0.035, 2),
         est="cost;duration;land;energy", c={"rail_km": 22.7, "commute_1h": 1.5, "pm25": -0.05},
         note="earliest start 2024 is optimistic (FS stage in the reference); shares by length (Haining ~60%)"),
    dict(id="P107", ref=None, name="杭德城际湖州延伸段(德清—湖州市区)(示意)",
         name_en="Hangzhou–Deqing intercity extension to Huzhou city (illustrative)", city="湖州",
         task="基础设施一体化", cat="rail", dur=4, es=2024, ls=2026, status="candidate", cost=110,
         land_gross=28 * 20 + 200, disc=True, energy=round(28 * 0.035, 2),
         c={"rail_km": 28, "commute_1h": 1.5, "pm25": -0.05},
         note="illustrative ~28 km line at ~4 yi/km (杭德 was 4.8 yi/km)"),
    # ---------------- 基础设施一体化: roads, waterway, airports -------------------------------
    dict(id="P18", ref="P18", shares={"湖州": 0.5, "嘉兴": 0.5}, cat="highway", dur=6, status="committed",
         start=2020, cost=236, land_gross=54.2 * 80 + 11 * 150, disc=True, energy=0.2, est="duration;land;energy",
         c={"dead_end_roads": -1, "commute_1h": 1.5},
         note="shares 50/50 Nanxun (Huzhou) / Tongxiang (Jiaxing), estimate"),
    dict(id="P19", ref="P19", cat="highway", dur=5, status="committed", start=2022, cost=161,
         land_gross=39.3 * 90 + 4 * 150, disc=True, energy=0.15, est="duration;land;energy",
         c={"dead_end_roads": -1, "commute_1h": 1.5}),
    dict(id="P20", ref="P20", shares={"湖州": 0.55, "杭州": 0.45}, cat="highway", dur=4, status="committed",
         start=2021, cost=150, land_gross=45 * 80, disc=True, energy=0.15, est="cost;land;energy",
         c={"dead_end_roads": -1, "commute_1h": 1.5}, note="length not found; ~45 km assumed for land"),
    dict(id="P21", ref="P21", cat="waterway", dur=5, status="committed", start=2023, cost=77.99,
         land_gross=91.6 * 15, disc=True, energy=0.1, est="land;energy",
         c={"openness": 1, "pm25": -0.05}, note="Jiaxing section only: all cost in Jiaxing"),
    dict(id="P22", ref="P22", cat="highway", dur=3, status="committed", start=2023, cost=13.99,
         land=9 * 50, energy=0.02, est="land;energy", c={"openness": 0.3}),
    dict(id="P24", ref="P24", cat="airport", dur=4, status="committed", start=2022, cost=53.49,
         land_gross=3000, disc=True, energy=0.6, est="land;energy", c={"openness": 3}),
    dict(id="P25A", ref="P25", name="杭州萧山国际机场第三跑道及扩建(规划,全面方案)",
         name_en="Xiaoshan Airport 3rd runway & expansion, full scheme (planned)", cat="airport", dur=4,
         es=2025, ls=2027, status="candidate", group="萧山机场扩建方案", cost=150, land_gross=3500, disc=True,
         energy=1.0, est="cost;duration;land;energy", c={"openness": 4},
         note="low-credibility source: hypothetical; completes 2028 at the earliest"),
    dict(id="P25B", ref="P25", name="杭州萧山国际机场第三跑道先行(分期方案,示意)",
         name_en="Xiaoshan Airport 3rd runway first stage (phased option, illustrative)", cat="airport", dur=3,
         es=2025, ls=2027, status="candidate", group="萧山机场扩建方案", cost=85, land_gross=2400, disc=True,
         energy=0.5, est="cost;duration;land;energy", conf="estimated", c={"openness": 2.5},
         note="phased alternative to P25A: runway only, terminal works later (illustrative)"),
    dict(id="P91", ref=None, name="杭绍跨市断头路打通工程包(示意)",
         name_en="Hangzhou–Shaoxing cross-city dead-end roads package (illustrative)",
         shares={"杭州": 0.5, "绍兴": 0.5}, task="基础设施一体化", cat="highway", dur=2, es=2024, ls=2027,
         status="candidate", cost=15, land=400, energy=0.02, gdp=False,
         c={"dead_end_roads": -2, "commute_1h": 1}, source=SRC_ZDPI,
         note="plan goal 城际断头路基本消除; ~8 km of class-1/2 roads (illustrative); municipal roads, no land discount"),
    dict(id="P92", ref=None, name="杭嘉跨市断头路打通工程包(示意)",
         name_en="Hangzhou–Jiaxing cross-city dead-end roads package (illustrative)",
         shares={"杭州": 0.5, "嘉兴": 0.5}, task="基础设施一体化", cat="highway", dur=2, es=2024, ls=2027,
         status="candidate", cost=12, land=350, energy=0.02, gdp=False,
         c={"dead_end_roads": -2, "commute_1h": 0.8}, source=SRC_ZDPI, note="illustrative"),
    dict(id="P93", ref=None, name="嘉湖、杭湖跨市断头路打通工程包(示意)",
         name_en="Jiaxing–Huzhou and Hangzhou–Huzhou dead-end roads package (illustrative)",
         shares={"湖州": 0.5, "嘉兴": 0.3, "杭州": 0.2}, task="基础设施一体化", cat="highway", dur=2, es=2024,
         ls=2027, status="candidate", cost=10, land=300, energy=0.02, gdp=False,
         c={"dead_end_roads": -2, "commute_1h": 0.5}, source=SRC_ZDPI, note="illustrative"),
    dict(id="P102", ref=None, name="萧山机场站综合交通枢纽接驳工程(示意)",
         name_en="Xiaoshan Airport station interchange & feeder links (illustrative)", city="杭州",
         task="基础设施一体化", cat="rail", dur=2, es=2025, ls=2027, status="candidate", cost=20, land=30,
         energy=0.2, gdp=False, c={"commute_1h": 1, "openness": 1},
         note="illustrative station link: requires the airport rail hub (P01) to be finished"),
    # ---------------- 基础设施一体化: computing ------------------------------------------------
    dict(id="P29", ref="P29", cat="computing", dur=4, status="committed", start=2022, cost=50.1, land=150,
         energy=7.0, est="land;energy", c={"digital_share": 0.1},
         note="12,000 x 8 kW racks: 4-10 万tce per 10k racks (notes.md) -> 7"),
    dict(id="P30", ref="P30", cat="computing", dur=6, status="committed", start=2020, cost=158, land=200,
         energy=10.0, est="duration;land;energy", c={"digital_share": 0.2}, note="rack count not found; energy estimated"),
    dict(id="P31", ref="P31", cat="computing", dur=3, es=2024, ls=2026, status="candidate", cost=120, land=180,
         energy=5.5, est="duration;land;energy", c={"digital_share": 0.8, "hitech_share": 0.1},
         note="7,000 AI racks -> ~5.5 万tce/yr (notes.md range)"),
    dict(id="P32", ref="P32", shares=ALL4, cat="computing", dur=2, es=2025, ls=2026, status="mandatory", cost=8,
         land=0, energy=0, est="cost;duration", gdp=False,
         c={"digital_share": 0.1, "public_services": 1, "risk_control": 1},
         note="landmark 数字都市圈 item (illustrative); cloud-hosted: no land, no energy"),
    dict(id="P83A", ref=None, name="杭州都市圈公共智算中心(湖州长兴选址)(示意)",
         name_en="Metro public AI computing centre, Changxing (Huzhou) site (illustrative)", city="湖州",
         task="基础设施一体化", cat="computing", dur=2, es=2024, ls=2027, status="candidate",
         group="都市圈智算中心选址", cost=40, land=120, energy=7.0, c={"digital_share": 0.6, "hitech_share": 0.05},
         note="10,000 x 8 kW racks (illustrative); site option 1 of 3"),
    dict(id="P83B", ref=None, name="杭州都市圈公共智算中心(嘉兴海宁选址)(示意)",
         name_en="Metro public AI computing centre, Haining (Jiaxing) site (illustrative)", city="嘉兴",
         task="基础设施一体化", cat="computing", dur=2, es=2024, ls=2027, status="candidate",
         group="都市圈智算中心选址", cost=42, land=120, energy=7.0, c={"digital_share": 0.5, "hitech_share": 0.05},
         note="same centre, site option 2 of 3: land and grid cost ~5% higher (illustrative)"),
    dict(id="P83C", ref=None, name="杭州都市圈公共智算中心(杭州余杭选址)(示意)",
         name_en="Metro public AI computing centre, Yuhang (Hangzhou) site (illustrative)", city="杭州",
         task="基础设施一体化", cat="computing", dur=2, es=2024, ls=2027, status="candidate",
         group="都市圈智算中心选址", cost=46, land=100, energy=7.0, c={"digital_share": 0.25, "hitech_share": 0.05},
         note="same centre, site option 3 of 3: dearer land, smaller effect on Hangzhou's larger GDP (illustrative)"),
    # ---------------- 科技创新一体化 ---------------------------------------------------------
    dict(id="P33", ref="P33", cat="R&D platform", dur=6, status="committed", start=2020, cost=20, land=89,
         energy=0.8, est="duration;energy", c={"rd_intensity": 0.005, "hitech_share": 0.05},
         note="reference period 2019-2025 modelled 2020-2025 (6-year cap); cost is a lower bound (>20)"),
    dict(id="P34", ref="P34", cat="R&D platform", dur=4, status="committed", start=2023, cost=40, land=300,
         energy=1.0, est="cost;land;energy", c={"rd_intensity": 0.025, "hitech_share": 0.1}),
    dict(id="P35", ref="P35", cat="R&D platform", dur=4, status="committed", start=2023, cost=25, land=200,
         energy=0.5, est="cost;land;energy", c={"rd_intensity": 0.01, "hitech_share": 0.05}),
    dict(id="P36", ref="P36", cat="R&D platform", dur=3, status="committed", start=2022, cost=50, land=560,
         energy=0.6, est="cost;energy", c={"rd_intensity": 0.015}),
    dict(id="P37", ref="P37", cat="university", dur=6, status="committed", start=2021, cost=40, land=735,
         energy=0.8, est="cost;energy", c={"rd_intensity": 0.015}),
    dict(id="P38", ref="P38", cat="university", dur=5, es=2025, ls=2026, status="mandatory", cost=100, land=520,
         energy=0.8, est="cost;duration;energy", c={"rd_intensity": 0.02},
         note="landmark; land 520 mu sourced (346,592 m2); completes 2029 at the earliest"),
    dict(id="P39", ref="P39", shares={"嘉兴": 0.8, "杭州": 0.2}, cat="R&D platform", dur=3, es=2025, ls=2027,
         status="candidate", cost=15, land=80, energy=0.3, est="cost;duration;land;energy",
         c={"rd_intensity": 0.02, "hitech_share": 0.15}),
    dict(id="P40", ref="P40", cat="R&D platform", dur=3, es=2024, ls=2027, status="candidate", cost=12,
         land=100, energy=0.3, est="cost;duration;land;energy", c={"rd_intensity": 0.02, "hitech_share": 0.1}),
    dict(id="P41", ref="P41", shares={"杭州": 0.5, "绍兴": 0.5}, cat="R&D platform", dur=2, es=2025, ls=2027,
         status="candidate", cost=8, land=40, energy=0.3, est="cost;duration;land;energy",
         c={"rd_intensity": 0.015, "hitech_share": 0.1}),
    dict(id="P101", ref=None, name="湖州西塞科学谷中试基地(示意)",
         name_en="Huzhou Xisai Science Valley pilot-scale base (illustrative)", city="湖州", task="科技创新一体化",
         cat="R&D platform", dur=1, es=2025, ls=2027, status="candidate", cost=6, land=40, energy=0.2,
         c={"rd_intensity": 0.01, "hitech_share": 0.1}, note="illustrative; requires the platform P40"),
    dict(id="P108", ref=None, name="绍兴科创走廊协同创新研究院(示意)",
         name_en="Shaoxing innovation-corridor joint research institute (illustrative)",
         shares={"绍兴": 0.8, "杭州": 0.2}, task="科技创新一体化", cat="R&D platform", dur=3, es=2024, ls=2027,
         status="candidate", cost=15, land=120, energy=0.3, c={"rd_intensity": 0.015, "hitech_share": 0.1},
         note="illustrative non-Hangzhou R&D (cf. reference P39/P40)"),
    # ---------------- 产业集群一体化 ---------------------------------------------------------
    dict(id="P42", ref="P42", cat="industrial", dur=6, status="committed", start=2022, cost=250, land=3000,
         energy=20, est="cost;duration;land;energy", c={"hitech_share": 0.5, "pm25": 0.05},
         note="2021-2027 modelled 2022-2027 (6-year cap); 80 GWh at full output: 15-40 万tce (notes.md) -> 20"),
    dict(id="P43", ref="P43", cat="industrial", dur=3, es=2024, ls=2026, status="candidate", cost=50,
         land=1250, energy=20, est="cost;duration;land;energy",
         c={"hitech_share": 0.2, "rd_intensity": 0.005, "pm25": 0.08},
         note="listed as a 2023 new start but modelled as selectable (energy trade-off); 680 kt silicone: "
              "20-60 万tce -> 20 (low end); land = 50 yi / 400万元 per mu"),
    dict(id="P44", ref="P44", cat="industrial", dur=4, status="committed", start=2023, cost=20, land=500,
         energy=3, est="cost;land;energy", c={"hitech_share": 0.15}),
    dict(id="P45", ref="P45", cat="industrial", dur=3, es=2025, ls=2026, status="candidate", cost=25, land=600,
         energy=3, est="cost;duration;land;energy", c={"hitech_share": 0.15},
         source="http://www.86um.com/news/87510.html ; http://www.360elib.com:2027/detail.aspx?NewsCode=NC194&NewsId=66776957&OrgId=001",
         note="listed as a 2025 new project of the 省千项万亿 list (嘉兴日报), so modelled as selectable from 2025; "
              "investment estimated; private"),
    dict(id="P46", ref="P46", cat="industrial", dur=3, es=2025, ls=2027, status="candidate", cost=100,
         land=800, energy=8, est="cost;duration;land;energy",
         c={"hitech_share": 0.4, "rd_intensity": 0.01, "pm25": 0.03},
         note="weak source; land = 100 yi / 1250万元 per mu (as P121); general manufacturing energy"),
    dict(id="P80", ref=None, name="绍兴集成电路产业平台(示意)",
         name_en="Shaoxing integrated-circuit industry platform (illustrative)", city="绍兴", task="产业集群一体化",
         cat="industrial", dur=3, es=2024, ls=2026, status="candidate", cost=80, land=1780, energy=6,
         c={"hitech_share": 0.5, "digital_share": 0.4, "rd_intensity": 0.01, "pm25": 0.02},
         note="illustrative; land = 80 yi / 450万元 per mu"),
    dict(id="P81", ref=None, name="湖州新能源汽车及关键零部件产业园(示意)",
         name_en="Huzhou new-energy vehicle & components park (illustrative)", city="湖州", task="产业集群一体化",
         cat="industrial", dur=3, es=2024, ls=2026, status="candidate", cost=60, land=1330, energy=4,
         c={"hitech_share": 0.3, "digital_share": 0.1, "pm25": 0.02}, note="illustrative"),
    dict(id="P82", ref=None, name="嘉兴氢能与新材料产业园(示意)",
         name_en="Jiaxing hydrogen & new-materials park (illustrative)", city="嘉兴", task="产业集群一体化",
         cat="industrial", dur=3, es=2024, ls=2026, status="candidate", cost=50, land=1100, energy=6,
         c={"hitech_share": 0.3, "pm25": 0.05}, note="illustrative; chemical-type energy intensity"),
    dict(id="P104", ref=None, name="德清地理信息产业园二期(示意)",
         name_en="Deqing geospatial-information industry park phase II (illustrative)", city="湖州",
         task="产业集群一体化", cat="computing", dur=2, es=2024, ls=2027, status="candidate", cost=10, land=80,
         energy=0.3, c={"digital_share": 0.3, "hitech_share": 0.1}, note="illustrative"),
    dict(id="P105", ref=None, name="乌镇数字经济产业园(示意)",
         name_en="Wuzhen digital-economy park (illustrative)", city="嘉兴", task="产业集群一体化",
         cat="computing", dur=2, es=2024, ls=2027, status="candidate", cost=15, land=100, energy=0.5,
         c={"digital_share": 0.4, "openness": 1}, note="illustrative; World Internet Conference venue town"),
    # ---------------- 民生共享一体化 ---------------------------------------------------------
    dict(id="P57", ref="P57", cat="hospital", dur=5, status="committed", start=2020, cost=30.02, land=250,
         energy=1.0, est="energy", beds=2000, c={"public_services": 1.2}),
    dict(id="P58", ref="P58", cat="hospital", dur=5, status="committed", start=2021, cost=45, land=353.6,
         energy=1.0, est="cost;energy", beds=2000, c={"public_services": 1.2},
         note="beds not found: 2,000 estimated from 50万 m2"),
    dict(id="P59", ref="P59", cat="hospital", dur=3, status="committed", start=2021, cost=16.8, land=75,
         energy=0.5, est="energy", beds=1000, c={"public_services": 0.6},
         note="due 2023-12: no spending in the horizon; kept for its 2027 contribution"),
    dict(id="P60", ref="P60", cat="hospital", dur=4, status="committed", start=2022, cost=20, land=120,
         energy=0.4, est="cost;land;energy", beds=1000, c={"public_services": 0.6}),
    dict(id="P61", ref="P61", cat="hospital", dur=5, status="committed", start=2022, cost=25, land=150,
         energy=0.5, est="cost;land;energy", beds=1200, c={"public_services": 0.6}),
    dict(id="P63", ref="P63", cat="school", dur=3, status="committed", start=2023, cost=8, land=150,
         energy=0.05, est="cost;land;energy", c={"public_services": 0.4}),
    dict(id="P64", ref="P64", shares={"湖州": 0.5, "嘉兴": 0.5}, cat="school", dur=3, es=2025, ls=2027,
         status="candidate", cost=6, land=140, energy=0.1, est="cost;duration;land;energy",
         c={"public_services": 3}),
    dict(id="P65", ref="P65", cat="housing", dur=4, status="committed", start=2022, cost=20, land=100,
         energy=0.1, est="cost;land;energy", c={"public_services": 1}),
    dict(id="P66", ref="P66", shares=ALL4, cat="digital public service", dur=2, es=2025, ls=2027,
         status="candidate", cost=2, land=0, energy=0, est="cost;duration", c={"public_services": 4},
         note="requires the e-government platform P78"),
    dict(id="P98", ref=None, name="湖州市区域医疗中心(示意)", name_en="Huzhou regional medical centre (illustrative)",
         city="湖州", task="民生共享一体化", cat="hospital", dur=3, es=2024, ls=2027, status="candidate",
         cost=20, land=130, energy=0.5, beds=1200, c={"public_services": 1.5}, note="illustrative, 1,200 beds"),
    dict(id="P99", ref=None, name="嘉兴市区域医疗中心(示意)", name_en="Jiaxing regional medical centre (illustrative)",
         city="嘉兴", task="民生共享一体化", cat="hospital", dur=3, es=2024, ls=2027, status="candidate",
         cost=18, land=120, energy=0.5, beds=1000, c={"public_services": 1.5}, note="illustrative, 1,000 beds"),
    dict(id="P100", ref=None, name="杭州西部(富阳/临安)区域医疗中心(示意)",
         name_en="West Hangzhou (Fuyang/Lin'an) regional medical centre (illustrative)", city="杭州",
         task="民生共享一体化", cat="hospital", dur=3, es=2024, ls=2027, status="candidate", cost=22, land=140,
         energy=0.6, beds=1500, c={"public_services": 1.5}, note="illustrative, 1,500 beds"),
    # ---------------- 环境治理一体化 ---------------------------------------------------------
    dict(id="P48", ref="P48", cat="water/ecology", dur=6, status="committed", start=2022, cost=77.9,
         land_gross=250, disc=True, energy=0.3, est="duration;land;energy",
         c={"surface_water": 0.5, "risk_control": 2}),
    dict(id="P49", ref="P49", cat="water/ecology", dur=6, status="committed", start=2023, cost=45,
         land_gross=200, disc=True, energy=0.3, est="land;energy", c={"surface_water": 0.4, "risk_control": 1.5},
         note="65-month schedule modelled 2023-2028"),
    dict(id="P50", ref="P50", cat="water/ecology", dur=4, status="committed", start=2021, cost=24.2,
         land_gross=12.24 * 50, disc=True, energy=0.05, est="land;energy",
         c={"surface_water": 0.5, "risk_control": 1.5}),
    dict(id="P51", ref="P51", cat="water/ecology", dur=4, status="committed", start=2022, cost=13.95,
         land_gross=300, disc=True, energy=0.02, est="duration;land;energy",
         c={"surface_water": 0.6, "risk_control": 0.5}),
    dict(id="P52", ref="P52", cat="water/ecology", dur=6, status="committed", start=2023, cost=25,
         land_gross=23.37 * 25, disc=True, energy=0.05, est="duration;land;energy", c={"risk_control": 2}),
    dict(id="P53", ref="P53", cat="water/ecology", dur=6, status="committed", start=2023, cost=25,
         land_gross=400, disc=True, energy=0.1, est="duration;land;energy",
         c={"surface_water": 0.3, "risk_control": 1}),
    dict(id="P55", ref="P55", cat="water/ecology", dur=4, es=2024, ls=2026, status="candidate", cost=30,
         land_gross=20 * 25, disc=True, energy=0.05, est="cost;duration;land;energy", c={"risk_control": 3}),
    dict(id="P56", ref="P56", shares={"杭州": 0.5, "绍兴": 0.5}, cat="water/ecology", dur=2, es=2024, ls=2027,
         status="candidate", cost=5, land=0, energy=0, est="cost;duration",
         c={"surface_water": 0.8, "risk_control": 1.5}),
    dict(id="P87", ref=None, name="都市圈大气污染联防联控与监测预警体系(示意)",
         name_en="Metro joint air-pollution control & early-warning system (illustrative)", shares=ALL4,
         task="环境治理一体化", cat="water/ecology", dur=2, es=2024, ls=2027, status="candidate", cost=3, land=0,
         energy=0, c={"pm25": -0.5, "risk_control": 1}, source=SRC_ZDPI,
         note="illustrative; plan goal 污染联防联治机制有效运行"),
    dict(id="P94", ref=None, name="嘉兴跨界河湖水环境综合治理与污水处理提标(示意)",
         name_en="Jiaxing cross-boundary rivers clean-up & wastewater upgrade (illustrative)", city="嘉兴",
         task="环境治理一体化", cat="water/ecology", dur=3, es=2024, ls=2026, status="candidate", cost=18,
         land=80, energy=0.3, c={"surface_water": 1.0, "risk_control": 0.5},
         note="illustrative; energy = treatment-plant electricity"),
    dict(id="P95", ref=None, name="绍兴曹娥江—浦阳江流域综合治理(示意)",
         name_en="Shaoxing Cao'e & Puyang river basin works (illustrative)", city="绍兴", task="环境治理一体化",
         cat="water/ecology", dur=3, es=2024, ls=2026, status="candidate", cost=20, land=250, energy=0.1,
         c={"surface_water": 0.8, "risk_control": 1.5}, note="illustrative; municipal works, no land discount"),
    dict(id="P96", ref=None, name="都市圈新能源公交与重卡换电网络(示意)",
         name_en="Metro electric bus & heavy-truck battery-swap network (illustrative)", shares=ALL4,
         task="环境治理一体化", cat="transport/energy", dur=2, es=2024, ls=2027, status="candidate", cost=12,
         land=60, energy=0.2, c={"pm25": -0.4, "commute_1h": 0.3}, note="illustrative"),
    dict(id="P97", ref=None, name="绍兴印染化工集聚区VOCs综合治理(示意)",
         name_en="Shaoxing dyeing & chemical cluster VOC control (illustrative)", city="绍兴",
         task="环境治理一体化", cat="water/ecology", dur=2, es=2024, ls=2027, status="candidate", cost=8, land=0,
         energy=0.2, c={"pm25": -0.4, "surface_water": 0.3}, note="illustrative"),
    # ---------------- 城乡发展一体化 ---------------------------------------------------------
    dict(id="P47", ref="P47", shares={"杭州": 0.5, "绍兴": 0.5}, cat="new town", dur=4, es=2024, ls=2026,
         status="candidate", cost=60, land=1200, energy=2, est="cost;duration;land;energy",
         c={"dead_end_roads": -1, "commute_1h": 1, "public_services": 0.5}),
    dict(id="P72", ref="P72", cat="new town", dur=6, status="committed", start=2022, cost=100, land=1500,
         energy=1.5, est="cost;duration;land;energy", c={"public_services": 1},
         note="cost = public-infrastructure half of the estimated 200 yi (private towers excluded); 2020-2027 "
              "modelled 2022-2027 (6-year cap)"),
    dict(id="P73", ref="P73", cat="urban renewal", dur=6, status="committed", start=2020, cost=30, land=216,
         energy=0.3, est="cost;energy", gdp_mult=0.2, c={"culture_exchange": 0.5}),
    dict(id="P74", ref="P74", shares={"杭州": 0.5, "嘉兴": 0.5}, cat="new town", dur=4, es=2024, ls=2026,
         status="candidate", cost=40, land=800, energy=0.5, est="cost;duration;land;energy",
         c={"dead_end_roads": -2, "commute_1h": 1, "public_services": 0.5, "surface_water": 0.2}),
    dict(id="P75", ref="P75", shares={"湖州": 0.5, "嘉兴": 0.5}, cat="new town", dur=4, es=2024, ls=2026,
         status="candidate", cost=30, land=600, energy=0.4, est="cost;duration;land;energy",
         c={"dead_end_roads": -2, "commute_1h": 1, "public_services": 0.5, "surface_water": 0.2}),
    dict(id="P90", ref=None, name="杭湖融合先行区(余杭—德清)基础设施(示意)",
         name_en="Hangzhou–Huzhou integration zone (Yuhang–Deqing) infrastructure (illustrative)",
         shares={"湖州": 0.6, "杭州": 0.4}, task="城乡发展一体化", cat="new town", dur=3, es=2024, ls=2026,
         status="candidate", cost=35, land=600, energy=0.3, source=SRC_ZDPI,
         c={"dead_end_roads": -2, "commute_1h": 1, "public_services": 0.5},
         note="illustrative; plan task 杭湖融合; requires the Huzhou–Hangzhou expressway (P20)"),
    # ---------------- 人文交流一体化 ---------------------------------------------------------
    dict(id="P67", ref="P67", cat="culture/tourism", dur=4, es=2025, ls=2026, status="mandatory", cost=68.9,
         land=300, energy=0.3, est="duration;land;energy", c={"culture_exchange": 5},
         note="landmark; 10 sub-projects, mostly on existing sites; completes 2028 at the earliest"),
    dict(id="P68", ref="P68", cat="culture/tourism", dur=4, status="committed", start=2022, cost=30, land=150,
         energy=0.2, est="cost;land;energy", c={"culture_exchange": 3}),
    dict(id="P69", ref="P69", cat="culture/tourism", dur=4, status="committed", start=2023, cost=5, land=100,
         energy=0.02, est="cost;land;energy", c={"culture_exchange": 1}),
    dict(id="P70", ref="P70", cat="culture/tourism", dur=4, status="committed", start=2023, cost=8, land=42.15,
         energy=0.1, est="cost;energy", c={"culture_exchange": 2}),
    dict(id="P71", ref="P71", shares={"嘉兴": 0.45, "湖州": 0.35, "杭州": 0.2}, cat="culture/tourism", dur=3,
         es=2025, ls=2027, status="candidate", cost=15, land=100, energy=0.05, est="cost;duration;land;energy",
         c={"culture_exchange": 5, "surface_water": 0.2}),
    dict(id="P89", ref=None, name="绍兴古城保护利用与越文化传承工程(示意)",
         name_en="Shaoxing old-city conservation & Yue culture programme (illustrative)", city="绍兴",
         task="人文交流一体化", cat="culture/tourism", dur=3, es=2024, ls=2027, status="candidate", cost=20,
         land=120, energy=0.1, c={"culture_exchange": 4}, note="illustrative"),
    dict(id="P106", ref=None, name="都市圈文旅一卡通与博物馆联盟数字平台(示意)",
         name_en="Metro culture-tourism card & museum alliance platform (illustrative)", shares=ALL4,
         task="人文交流一体化", cat="digital public service", dur=2, es=2024, ls=2027, status="candidate",
         cost=3, land=0, energy=0, c={"culture_exchange": 3, "public_services": 0.5}, note="illustrative"),
    # ---------------- 社会治理一体化 ---------------------------------------------------------
    dict(id="P76", ref="P76", cat="hospital/emergency", dur=4, status="committed", start=2023, cost=15,
         land=100, energy=0.4, est="cost;land;energy", beds=800, c={"risk_control": 2, "public_services": 0.4}),
    dict(id="P77", ref="P77", shares=ALL4, cat="emergency", dur=2, es=2025, ls=2027, status="candidate", cost=5,
         land=60, energy=0.02, est="cost;duration;land;energy", c={"risk_control": 5}),
    dict(id="P78", ref="P78", shares=ALL4, cat="digital governance", dur=1, es=2024, ls=2025,
         status="mandatory", cost=3, land=0, energy=0, est="cost;duration",
         c={"public_services": 3, "risk_control": 1}, note="landmark 协同事项 (illustrative): 跨市通办"),
    dict(id="P79", ref="P79", shares={"杭州": 0.5, "嘉兴": 0.25, "绍兴": 0.25}, cat="emergency", dur=2,
         es=2024, ls=2027, status="candidate", cost=5, land=5, energy=0.01, est="cost;duration;land;energy",
         c={"risk_control": 4}, note="requires the joint monitoring project P56"),
    dict(id="P88", ref=None, name="都市圈城市生命线安全风险监测平台(示意)",
         name_en="Metro urban-lifeline safety monitoring platform (illustrative)", shares=ALL4,
         task="社会治理一体化", cat="digital governance", dur=2, es=2024, ls=2027, status="candidate", cost=6,
         land=0, energy=0.02, c={"risk_control": 5}, source=SRC_ZDPI,
         note="illustrative; plan goal 风险联防联控水平明显提高"),
    # ---------------- 对外开放一体化 ---------------------------------------------------------
    dict(id="P26", ref="P26", cat="logistics", dur=4, status="committed", start=2021, cost=24, land=438,
         energy=0.3, est="duration;energy", c={"openness": 1.5},
         note="planned operation 2023; modelled to complete in 2024"),
    dict(id="P27", ref="P27", cat="logistics", dur=6, status="committed", start=2021, cost=122, land=900,
         energy=1.5, est="land;energy", c={"openness": 2.5},
         note="private investment (YTO), counted in the metro programme"),
    dict(id="P28", ref="P28", cat="culture/expo", dur=4, status="committed", start=2023, cost=12, land=159,
         energy=0.1, est="cost;energy", c={"culture_exchange": 1.5, "openness": 0.5}),
    dict(id="P84", ref=None, name="杭州跨境电商综试区与综合保税区物流枢纽(示意)",
         name_en="Hangzhou cross-border e-commerce & bonded-zone logistics hub (illustrative)", city="杭州",
         task="对外开放一体化", cat="logistics", dur=2, es=2024, ls=2027, status="candidate", cost=15, land=150,
         energy=0.3, c={"openness": 3, "digital_share": 0.1}, note="illustrative"),
    dict(id="P85", ref=None, name="柯桥中国轻纺城国际数字贸易港(示意)",
         name_en="Keqiao China Textile City digital trade port (illustrative)", city="绍兴", task="对外开放一体化",
         cat="logistics", dur=2, es=2024, ls=2027, status="candidate", cost=12, land=60, energy=0.2,
         c={"openness": 3, "digital_share": 0.15}, note="illustrative"),
    dict(id="P86", ref=None, name="湖州内河集装箱港与水运物流枢纽(示意)",
         name_en="Huzhou inland container port & waterway logistics hub (illustrative)", city="湖州",
         task="对外开放一体化", cat="logistics", dur=3, es=2024, ls=2026, status="candidate", cost=20, land=300,
         energy=0.3, c={"openness": 2, "pm25": -0.05}, note="illustrative"),
    dict(id="P103", ref=None, name="嘉兴南湖机场航空物流园二期(示意)",
         name_en="Jiaxing Nanhu Airport air-logistics park phase II (illustrative)", city="嘉兴",
         task="对外开放一体化", cat="logistics", dur=2, es=2025, ls=2027, status="candidate", cost=25, land=200,
         energy=0.4, c={"openness": 3}, note="illustrative; requires the airport upgrade P24"),
]

# Real projects found in public lists after the reference compilation (tools/hangzhou_facts/projects.csv rows
# P110-P151). Costs that the source does not give are estimates (est=...) with the basis in the note.
P += [
    dict(id="P110", ref="P110", shares={"湖州": 0.6, "杭州": 0.4}, cat="rail", dur=5, es=2025, ls=2027,
         status="candidate", cost=200, land_gross=45 * 20 + 300, disc=True, energy=round(45 * 0.035, 2),
         est="cost;duration;land;energy", c={"rail_km": 45, "commute_1h": 2, "pm25": -0.08},
         note="~45 km assumed (Hangzhou north – Anji) at ~4.4 yi/km (杭诸 estimate; 杭德 was 4.8); opens 2029 at the earliest"),
    dict(id="P111", ref="P111", cat="waterway", dur=4, es=2024, ls=2026, status="candidate", cost=40,
         land_gross=60 * 15, disc=True, energy=0.05, est="cost;duration;land;energy", c={"openness": 1.5, "pm25": -0.05},
         note="Class-III upgrade of ~60 km assumed at ~0.7 yi/km (杭申线 Jiaxing section: 77.99 yi / 91.6 km)"),
    dict(id="P112", ref="P112", cat="logistics", dur=2, es=2024, ls=2024, status="candidate", cost=7, land=77,
         energy=0.1, est="duration;energy", c={"openness": 2}, note="started 2024-08: only a 2024 start is modelled"),
    dict(id="P113", ref="P113", cat="logistics", dur=5, es=2025, ls=2026, status="candidate", cost=100, land=800,
         energy=0.8, est="duration;land;energy", c={"openness": 4, "commute_1h": 0.5},
         note="multimodal hub of the 杭绍临空 zone; land 800 mu assumed; completes 2029 at the earliest"),
    dict(id="P114", ref="P114", cat="computing", dur=2, es=2025, ls=2026, status="candidate", cost=60, land=150,
         energy=9, est="cost;duration;land;energy", c={"digital_share": 0.6, "hitech_share": 0.05},
         note="~12,000 AI racks assumed: 60 yi, 9 万tce/yr (notes.md: 4-10 per 10k racks, dense AI up to 15)"),
    dict(id="P115", ref="P115", cat="R&D platform", dur=3, es=2025, ls=2027, status="candidate", cost=30, land=150,
         energy=1.5, est="cost;duration;land;energy", c={"rd_intensity": 0.02, "digital_share": 0.15},
         note="scale assumed like 之江实验室二期 (40 yi estimate), smaller"),
    dict(id="P116", ref="P116", cat="R&D platform", dur=3, es=2024, ls=2027, status="candidate", cost=30, land=200,
         energy=0.4, est="cost;duration;land;energy", c={"rd_intensity": 0.02, "hitech_share": 0.1}),
    dict(id="P117", ref="P117", cat="industrial", dur=2, es=2025, ls=2027, status="candidate", cost=15, land=300,
         energy=0.5, est="cost;duration;land;energy", c={"hitech_share": 0.15},
         note="land = 15 yi / 500万元 per mu"),
    dict(id="P118", ref="P118", cat="industrial", dur=3, es=2025, ls=2027, status="candidate", cost=40, land=400,
         energy=1.0, est="cost;duration;land;energy", c={"hitech_share": 0.25, "digital_share": 0.1},
         note="private; land = 40 yi / 1000万元 per mu (high-intensity standard land)"),
    dict(id="P119", ref="P119", cat="industrial", dur=4, es=2025, ls=2027, status="candidate", cost=50, land=1000,
         energy=1.0, est="cost;duration;land;energy", c={"hitech_share": 0.15, "culture_exchange": 0.5},
         note="general-aviation town: airfield, industry and tourism; all figures assumed"),
    dict(id="P120", ref="P120", cat="industrial", dur=3, es=2025, ls=2025, status="candidate", cost=50, land=500,
         energy=1.5, est="duration;land;energy", c={"hitech_share": 0.2, "openness": 1},
         note="started 2025 H1: only a 2025 start is modelled; private"),
    dict(id="P121", ref="P121", cat="industrial", dur=3, es=2024, ls=2024, status="candidate", cost=100, land=800,
         energy=4, est="duration;land;energy", c={"hitech_share": 0.5},
         note="phase 1 due 2026: modelled 2024-2026; land = 100 yi / 1250万元 per mu (estimate); private"),
    dict(id="P122", ref="P122", cat="industrial", dur=2, es=2025, ls=2025, status="candidate", cost=20, land=100,
         energy=0.5, est="duration;energy", c={"hitech_share": 0.2}, note="2025 new start: only a 2025 start is modelled; private"),
    dict(id="P123", ref="P123", cat="industrial", dur=2, es=2025, ls=2026, status="candidate", cost=15, land=200,
         energy=3, est="cost;duration;land;energy", c={"hitech_share": 0.05, "pm25": 0.03},
         note="chemical plant: energy-intensive (estimate); private"),
    dict(id="P124", ref="P124", cat="industrial", dur=2, es=2025, ls=2026, status="candidate", cost=15, land=200,
         energy=0.8, est="cost;duration;land;energy", c={"hitech_share": 0.15}, note="private"),
    dict(id="P125", ref="P125", cat="industrial", dur=3, es=2024, ls=2025, status="candidate", cost=35, land=300,
         energy=2.5, est="cost;duration;land;energy", c={"hitech_share": 0.3, "digital_share": 0.2},
         note="chip fab line: energy 2.5 万tce/yr assumed; private"),
    dict(id="P126", ref="P126", cat="industrial", dur=4, es=2025, ls=2027, status="candidate", cost=100, land=800,
         energy=3, est="duration;land;energy", c={"hitech_share": 0.4, "rd_intensity": 0.005},
         note="weak source (under negotiation); land = 100 yi / 1250万元 per mu (as P121); private"),
    dict(id="P127", ref="P127", cat="industrial", dur=4, es=2025, ls=2027, status="candidate", cost=50, land=600,
         energy=2, est="duration;land;energy", c={"hitech_share": 0.1, "digital_share": 0.1}, note="weak source; private"),
    dict(id="P128", ref="P128", cat="industrial", dur=2, es=2024, ls=2024, status="candidate", cost=10, land=100,
         energy=0.5, est="cost;duration;land;energy", c={"hitech_share": 0.1},
         note="started 2024-08: only a 2024 start is modelled; private"),
    dict(id="P129", ref="P129", cat="industrial", dur=2, es=2025, ls=2025, status="candidate", cost=15, land=150,
         energy=1.5, est="cost;duration;land;energy", c={"hitech_share": 0.1},
         note="started 2024-12: construction modelled from 2025; private"),
    dict(id="P130", ref="P130", cat="energy", dur=6, es=2025, ls=2025, status="candidate", cost=80,
         land_gross=1500, disc=True, energy=0.6, est="duration;land;energy",
         c={"pm25": -0.1, "risk_control": 0.5}, gdp_mult=0.05,
         note="operation before 2030 (source): modelled 2025-2030; energy = pumping losses charged to the city (estimate)"),
    dict(id="P131", ref="P131", cat="energy", dur=3, es=2025, ls=2027, status="candidate", cost=15, land=30,
         energy=0, est="cost;duration;land;energy", c={"pm25": -0.15}, gdp_mult=0.05,
         note="renewable district energy: no added quota use assumed"),
    dict(id="P132", ref="P132", cat="water/ecology", dur=4, es=2024, ls=2026, status="candidate", cost=30,
         land_gross=300, disc=True, energy=0.1, est="cost;duration;land;energy",
         c={"surface_water": 0.8, "risk_control": 2}),
    dict(id="P133", ref="P133", cat="water/ecology", dur=4, es=2024, ls=2026, status="candidate", cost=25,
         land_gross=250, disc=True, energy=0.1, est="cost;duration;land;energy",
         c={"surface_water": 0.6, "risk_control": 1.5}),
    dict(id="P134", ref="P134", cat="water/ecology", dur=2, es=2024, ls=2027, status="candidate", cost=8, land=20,
         energy=0.1, est="cost;duration;land;energy", c={"surface_water": 0.6}),
    dict(id="P135", ref="P135", cat="water/ecology", dur=4, es=2024, ls=2026, status="candidate", cost=40, land=300,
         energy=0.1, est="cost;duration;land;energy",
         c={"surface_water": 0.3, "pm25": -0.1, "culture_exchange": 1, "public_services": 0.5}),
    dict(id="P136", ref="P136", cat="hospital", dur=4, es=2024, ls=2026, status="candidate", cost=30, land=200,
         energy=0.6, est="cost;duration;land;energy", beds=1500, c={"public_services": 1.5},
         note="1,500 beds assumed"),
    dict(id="P137", ref="P137", cat="school", dur=3, es=2024, ls=2027, status="candidate", cost=6, land=150,
         energy=0.05, est="cost;duration;land;energy", c={"public_services": 0.8}),
    dict(id="P138", ref="P138", cat="new town", dur=2, es=2025, ls=2027, status="candidate", cost=10, land=150,
         energy=0.1, est="cost;duration;land;energy", c={"public_services": 0.5, "culture_exchange": 0.5}, gdp_mult=0.05),
    dict(id="P139", ref="P139", cat="culture/tourism", dur=4, es=2024, ls=2026, status="candidate", cost=40, land=100,
         energy=0.3, est="cost;duration;land;energy", c={"culture_exchange": 4}),
    dict(id="P140", ref="P140", cat="culture/tourism", dur=3, es=2024, ls=2027, status="candidate", cost=20, land=50,
         energy=0.05, est="cost;duration;land;energy", c={"culture_exchange": 3, "surface_water": 0.2}),
    dict(id="P141", ref="P141", cat="culture/expo", dur=4, es=2025, ls=2026, status="candidate", cost=117, land=600,
         energy=0.8, est="duration;land;energy", c={"openness": 4, "culture_exchange": 1}, gdp_mult=0.1),
    dict(id="P142", ref="P142", cat="new town", dur=3, es=2024, ls=2025, status="candidate", cost=20, land=600,
         energy=0.5, est="cost;duration;land;energy", c={"hitech_share": 0.1, "public_services": 0.3, "dead_end_roads": -1}),
    dict(id="P143", ref="P143", cat="urban renewal", dur=3, es=2024, ls=2027, status="candidate", cost=10, land=0,
         energy=0.05, est="cost;duration;land;energy", c={"public_services": 0.5, "surface_water": 0.1}, gdp_mult=0.05,
         note="existing park: no new construction land"),
    dict(id="P144", ref="P144", cat="industrial", dur=2, es=2024, ls=2027, status="candidate", cost=15, land=200,
         energy=0.8, est="cost;duration;land;energy", c={"digital_share": 0.2, "hitech_share": 0.05}),
    dict(id="P145", ref="P145", cat="logistics", dur=2, es=2024, ls=2024, status="candidate", cost=12, land=120,
         energy=0.4, est="cost;duration;land;energy", c={"openness": 1, "risk_control": 1},
         note="structure topped out 2025: only a 2024 start is modelled; grain reserve counts toward risk control"),
    dict(id="P146", ref="P146", cat="logistics", dur=2, es=2025, ls=2025, status="candidate", cost=20, land=200,
         energy=0.3, est="cost;duration;land;energy", c={"openness": 2, "digital_share": 0.05},
         note="started 2024-12: construction modelled from 2025; private"),
    dict(id="P147", ref="P147", cat="industrial", dur=2, es=2025, ls=2027, status="candidate", cost=10, land=100,
         energy=0.3, est="cost;duration;land;energy", c={"digital_share": 0.3, "hitech_share": 0.05}, note="weak source"),
    dict(id="P151", ref="P151", shares={"绍兴": 0.6, "杭州": 0.4}, cat="highway", dur=2, es=2024, ls=2025,
         status="candidate", cost=12, land=150, energy=0.01, est="cost;duration;land;energy", gdp=False,
         c={"dead_end_roads": -2, "commute_1h": 0.5},
         note="cross-city road (杭绍 dead end): ~6 km of urban expressway assumed at 2 yi/km; municipal: no land discount"),
    # committed (started before 2024)
    dict(id="P148", ref="P148", cat="energy", dur=6, status="committed", start=2022, cost=87.3, land_gross=1200,
         disc=True, energy=0.7, est="duration;land;energy", c={"pm25": -0.1}, gdp_mult=0.05,
         note="68-month schedule modelled 2022-2027; energy = pumping losses (16.8亿kWh/yr output, ~25% loss, 当量)"),
    dict(id="P149", ref="P149", cat="energy", dur=6, status="committed", start=2023, cost=140, land_gross=1500,
         disc=True, energy=1.1, est="duration;land;energy", c={"pm25": -0.1}, gdp_mult=0.05,
         note="2023-2029 modelled 2023-2028 (6-year cap); private (GCL)"),
    dict(id="P150", ref="P150", cat="rail", dur=5, status="committed", start=2022, cost=44,
         land_gross=30.854 * 45 + 250, disc=True, energy=0.1, est="land;energy", c={"commute_1h": 0.5},
         note="Jiande section only (44 of 100.3 yi); opened 2026-02"),
]

DROPPED = set(['P39', 'P40', 'P41', 'P47', 'P55', 'P74', 'P75', 'P90', 'P83A', 'P83B', 'P83C', 'P80', 'P81', 'P82', 'P84', 'P85', 'P86', 'P87', 'P89', 'P91', 'P94', 'P95', 'P96', 'P97', 'P98', 'P99', 'P100', 'P101', 'P102', 'P103', 'P104', 'P105', 'P107', 'P108'])
P = [p for p in P if p["id"] not in DROPPED]

DEPENDENCIES = [
    ("P15A", "P01", "option A runs through the airport hub station"),
    ("P66", "P78", "medical settlement runs on the cross-city e-government platform"),
    ("P79", "P56", "flood dispatch uses the joint monitoring network"),
    ("P106", "P78", "culture card uses the cross-city service platform's identity layer"),
]

# ---------------------------------------------------------------------------------------------
# Indicators: one row per (indicator, scope). baseline for "bau" rows = the 2027 value without the
# portfolio (business as usual), so target - baseline is the part the portfolio must deliver.
# ---------------------------------------------------------------------------------------------
IND = {
    # id: (name, unit, decimals)
    "rail_km": ("跨市城际/市域铁路运营里程", "km"),
    "commute_1h": ("1小时通勤圈覆盖率(县级单元)", "%"),
    "dead_end_roads": ("城际“断头路”数量", "count"),
    "rd_intensity": ("研发经费投入强度", "%"),
    "hitech_share": ("高新技术产业增加值占规上工业比重", "%"),
    "digital_share": ("数字经济核心产业增加值占GDP比重", "%"),
    "gdp": ("地区生产总值", "亿元"),
    "surface_water": ("地表水Ⅰ-Ⅲ类断面比例", "%"),
    "pm25": ("PM2.5年均浓度", "µg/m³"),
    "beds_per_1000": ("每千人口医疗卫生机构床位数", "beds/1000"),
    "public_services": ("基本公共服务同城同标指数(0-100,代理指标)", "score"),
    "risk_control": ("风险联防联控水平指数(0-100,代理指标)", "score"),
    "culture_exchange": ("人文交流合作指数(0-100,代理指标)", "score"),
    "openness": ("对外开放能级指数(0-100,代理指标)", "score"),
}

# (indicator, scope, baseline, target, weight, source, confidence, notes)
TARGETS = [
    ("rail_km", "ALL", 66.7, 190, 1.5, "derived from reference/projects.csv (杭海 46.4 + 杭绍 20.3 km)", "estimated",
     "baseline 2022 (derived); target estimate: lines due by 2027 (杭德, 沪嘉, 嘉善—西塘, 90.6 km) plus ~33 km more "
     "(plan: 轨道上的都市圈); reference estimate was 160"),
    ("commute_1h", "ALL", 70, 88, 2.0, SRC_ZDPI, "estimated",
     "plan wording 1小时通勤圈基本建立 (qualitative); 70 -> 88 (reference 90, lowered to what lines due by 2027 can nearly reach: estimate)"),
    ("dead_end_roads", "ALL", 15, 5, 1.5, SRC_ZDPI, "estimated",
     "must fall; plan wording 城际断头路基本消除; counts illustrative (reference); 2027 target: two thirds removed (estimate)"),
    ("rd_intensity", "ALL", 3.57, 3.69, 1.5, "estimate", "estimated",
     "2022 ~3.4 (reference estimate); baseline = 2027 BAU 3.57 without the portfolio; target 3.69 (reference 3.7: estimate)"),
    ("hitech_share", "ALL", 63, 66.5, 1.5, "https://finance.huanqiu.com/article/42rUKx1cnpd", "estimated",
     "2025 target >60% (6-city plan, sourced); baseline = 2027 BAU 63 and target 66.5 estimated"),
    ("surface_water", "ALL", 93.5, 98.0, 1.5, "estimate", "estimated",
     "2022 ~93 (reference estimate); baseline = 2027 BAU 93.5; target 98.0 (reference 97, raised: estimate); plan: 污染联防联治"),
    ("pm25", "ALL", 27.2, 26.1, 1.0, "estimate", "estimated",
     "must fall; 2022 ~28 (reference estimate); baseline = 2027 BAU 27.2; target 26.1 (reference 26: estimate)"),
    ("beds_per_1000", "ALL", 6.6, 6.9, 1.0, "estimate", "estimated",
     "2022 ~6.0 (reference estimate); baseline = 2027 BAU 6.6 from hospitals outside this list; "
     "contribution = new beds / 2668.7万 residents x 1000"),
    ("public_services", "ALL", 60, 82, 1.0, SRC_ZDPI, "estimated",
     "numeric proxy (0-100, estimate) for 基本公共服务同城同标基本实现"),
    ("risk_control", "ALL", 55, 77, 1.0, SRC_ZDPI, "estimated",
     "numeric proxy (0-100, estimate) for 风险联防联控水平明显提高"),
    ("culture_exchange", "ALL", 50, 70, 0.5, "estimate", "estimated",
     "numeric proxy (0-100, estimate); no numeric 人文交流 indicator was found"),
    ("openness", "ALL", 50, 70, 0.75, SRC_ZDPI, "estimated",
     "numeric proxy (0-100, estimate) for airport/cargo/trade capacity (机场枢纽能级显著提升)"),
    # city rows
    ("gdp", "杭州", None, 25000, 1.5, "estimate", "estimated", "target 25000 (reference estimate)"),
    ("gdp", "湖州", None, 5100, 1.5, "estimate", "estimated", "target 5100 (reference estimate)"),
    ("gdp", "嘉兴", None, 9000, 1.5, "estimate", "estimated", "target 9000 (reference estimate)"),
    ("gdp", "绍兴", None, 9800, 1.5, "estimate", "estimated", "target 9800 (reference estimate)"),
    ("digital_share", "杭州", 29.5, 30, 1.0,
     "https://dinovaliano.com/news/chanye/20220401/1439131754177_4.shtml", "partly sourced",
     "2021 27.1% sourced; baseline = 2027 BAU 29.5 (estimate); target 30 (reference estimate)"),
    ("digital_share", "湖州", 9.0, 9.3, 1.0, "estimate", "estimated", "no city figure found: baseline and target estimated"),
    ("digital_share", "嘉兴", 13.0, 13.6, 1.0, "estimate", "estimated", "no city figure found: baseline and target estimated"),
    ("digital_share", "绍兴", 10.0, 10.9, 1.0, "estimate", "estimated", "no city figure found: baseline and target estimated"),
]
# GDP gap (target - BAU baseline) = what committed + mandatory projects deliver by 2027 plus this share of what
# all creditable candidates could deliver (calibrated so that the target needs choices); the BAU baseline is
# reported with its implied growth rate.
GDP_CAND_FRACTION = 0.9
GDP_2022 = {"杭州": 18753, "湖州": 3850, "嘉兴": 6739.45, "绍兴": 7351}

# ---------------------------------------------------------------------------------------------
# Limits from published plan figures (tools/hangzhou_facts/plan_figures.csv), scaled to this portfolio.
# ---------------------------------------------------------------------------------------------
def read_figures():
    with open(FACTS / "plan_figures.csv", encoding="utf-8") as f:
        return {(r["key"], r["scope"]): r for r in csv.DictReader(f)}


FIG = read_figures()
# yearly investment of each city's projects in the provincial 千项万亿 list (亿元/yr): 杭州 2023, 嘉兴 and 绍兴 2025
# (sourced). No 湖州 figure was found: 17% of its 2023 fixed-asset-investment target (2050, sourced), between the
# ratios of 嘉兴 (488 / ~3,400 = 14%) and 绍兴 (656 / ~3,300 = 20%) (estimate).
HUZHOU_KP_RATIO = 0.17
KEY_INV = {
    "杭州": float(FIG["key_project_investment", "杭州"]["value"]),
    "嘉兴": float(FIG["key_project_investment", "嘉兴"]["value"]),
    "绍兴": float(FIG["key_project_investment", "绍兴"]["value"]),
    "湖州": round(HUZHOU_KP_RATIO * float(FIG["fixed_asset_investment", "湖州"]["value"]), 1),
}
# fixed-asset investment per year (亿元): 杭州 = its 2023 key-project plan 2060.9 / 24% (both sourced); 湖州 the 2023
# target (sourced); 嘉兴 and 绍兴 the 2022 estimates of cities.csv (no figure found).
FAI = {
    "杭州": round(float(FIG["key_project_investment_city_plan", "杭州"]["value"]) /
                  float(FIG["key_project_share_of_fai", "ALL"]["value"])),
    "湖州": float(FIG["fixed_asset_investment", "湖州"]["value"]),
    "嘉兴": 3400.0,
    "绍兴": 3300.0,
}
FAI_NOTE = {
    "杭州": "FAI 8587 = 2023 key-project plan 2060.9 / 24% of FAI (both sourced)",
    "湖州": "FAI 2050 = the 2023 target (sourced)",
    "嘉兴": "FAI ~3400 (2022 estimate, cities.csv; not found)",
    "绍兴": "FAI ~3300 (2022 estimate, cities.csv; not found)",
}
FAI_SRC = {
    "杭州": FIG["key_project_investment_city_plan", "杭州"]["source"],
    "湖州": FIG["fixed_asset_investment", "湖州"]["source"],
    "嘉兴": "estimate (cities.csv)",
    "绍兴": "estimate (cities.csv)",
}
# The portfolio is the metro plan's share of the cities' key projects: key projects are ~24% of fixed-asset
# investment (杭州, sourced) and the metro plan's landmark, cross-city and named projects are assumed to be
# METRO_SHARE of them (estimate), so a city's yearly budget row is 0.24 x METRO_SHARE of its FAI.
KEY_SHARE_OF_FAI = float(FIG["key_project_share_of_fai", "ALL"]["value"])
METRO_SHARE = 0.375
PORTFOLIO_SHARE = METRO_SHARE
# land: the province guarantees 30万亩 over 5 years to 千项万亿 projects (sourced) = 60000 亩/yr; a city gets the share
# of its list investment in the province's 1万亿/yr (estimate), and the portfolio PORTFOLIO_SHARE of that.
PROV_LAND_PER_YEAR = float(FIG["province_key_project_land", "ALL"]["value"]) / 5
PROV_KEY_INV = float(FIG["province_key_projects", "ALL"]["value"])
# energy: no published city quota. notes.md's low ends of the yearly increment ranges (万tce/yr, estimate from the
# provincial total) times ENERGY_SHARE, the lower bound of notes.md's 20-40% for this portfolio; the cap accumulates
# from 2024 (year y: q x (y - 2023)).
ENERGY_LOW = {"杭州": 80, "湖州": 30, "嘉兴": 60, "绍兴": 50}
ENERGY_SHARE = 0.20
# special bonds: no city quota by year was found. Zhejiang's yearly new special-bond quota is of the order of a fifth
# of the 千项万亿 yearly investment (first 2022 batch alone 304 亿, sourced; yearly total recalled ~2,000 亿 against
# ~1万亿); BOND_SHARE of the portfolio budget row is assumed usable by these projects (estimate).
BOND_SHARE = 0.15
# central budget (中央预算内投资) and provincial funds, metro-wide per year: shares of the summed city budget rows
# (estimate: central grants to Zhejiang projects are small; provincial funds go to rail, water and labs).
CENTRAL_SHARE = 0.04
PROVINCIAL_SHARE = 0.12
# write the source-limit rows (special_bond, central, provincial) into limits.csv: needs the optimizer's funding
# support (DATA.md turn 2)
WRITE_SOURCE_LIMITS = True

# ---------------------------------------------------------------------------------------------
# Funding splits (funding.csv): who pays, by category (estimates unless a note says sourced).
# ---------------------------------------------------------------------------------------------
NATIONAL_RAIL = {"P01", "P02", "P03", "P10", "P150"}
FUND_RULES = {
    "national rail": ({"railway": 0.4, "provincial": 0.3, "local": 0.2, "special_bond": 0.1},
                      "estimate: 省部合资 national line; other = 国铁集团 capital, the rest provincial and city capital"),
    "rail": ({"provincial": 0.3, "local": 0.35, "special_bond": 0.2, "loan": 0.15},
             "estimate: intercity / suburban rail, provincial and city capital plus bonds and loans"),
    "rail (metro)": ({"local": 0.4, "special_bond": 0.2, "loan": 0.4},
                     "estimate: metro, city capital (~40%) plus special bonds; the rest bank loans"),
    "highway": ({"provincial": 0.2, "local": 0.3, "special_bond": 0.1, "loan": 0.4},
                "estimate: expressway, 省交投 and city capital, the rest loans"),
    "waterway": ({"central": 0.3, "provincial": 0.2, "local": 0.3, "special_bond": 0.2},
                 "estimate: inland waterway, central transport subsidy plus provincial and city funds"),
    "airport": ({"central": 0.3, "provincial": 0.2, "local": 0.3, "special_bond": 0.2},
                "estimate: airport works with central civil-aviation subsidy"),
    "computing": ({"private": 1.0}, "estimate: operator / enterprise investment (企业自筹)"),
    "R&D platform": ({"provincial": 0.4, "local": 0.6}, "estimate: province-city co-built laboratory"),
    "university": ({"provincial": 0.3, "local": 0.7}, "estimate"),
    "industrial": ({"private": 1.0}, "企业自筹 / 社会资本: enterprise investment, not city budget"),
    "energy": ({"private": 1.0}, "企业自筹: power-company investment (state-owned or private)"),
    "hospital": ({"local": 0.6, "special_bond": 0.4}, "estimate: city budget plus special bonds"),
    "hospital/emergency": ({"local": 0.6, "special_bond": 0.4}, "estimate: city budget plus special bonds"),
    "school": ({"local": 0.6, "special_bond": 0.4}, "estimate: city budget plus special bonds"),
    "housing": ({"central": 0.1, "local": 0.4, "special_bond": 0.5},
                "estimate: public rental housing, central subsidy and special bonds"),
    "water/ecology": ({"central": 0.15, "provincial": 0.25, "local": 0.4, "special_bond": 0.2},
                      "estimate: water works, central and provincial grants, city funds and bonds"),
    "new town": ({"local": 0.5, "special_bond": 0.5}, "estimate: platform company capital and special bonds"),
    "urban renewal": ({"local": 0.6, "special_bond": 0.4}, "estimate"),
    "culture/tourism": ({"local": 0.6, "special_bond": 0.4}, "estimate"),
    "culture/expo": ({"local": 0.4, "special_bond": 0.3, "loan": 0.3}, "estimate"),
    "logistics": ({"local": 0.4, "special_bond": 0.3, "loan": 0.3}, "estimate: state-owned platform investment"),
    "digital public service": ({"local": 1.0}, "estimate: city budgets"),
    "digital governance": ({"local": 1.0}, "estimate: city budgets"),
    "emergency": ({"local": 1.0}, "estimate: city budgets"),
}
FUND_OVERRIDES = {
    "P27": ({"private": 1.0}, "sourced: private investment (YTO), reference P27"),
    "P146": ({"private": 1.0}, "estimate: logistics-operator investment"),
    "P149": ({"private": 1.0}, "sourced: 协鑫 (GCL), first 社会资本 pumped-storage investor (wallstreetcn)"),
    "P30": ({"private": 1.0}, "sourced: 杭钢 x Alibaba enterprise project (reference P30)"),
    "P32": ({"local": 1.0}, "estimate: city budgets"),
    "P38": ({"private": 0.8, "local": 0.2}, "partly sourced: founder pledged 400 yi over 10 years (reference P38); city share estimate"),
    "P60": ({"provincial": 0.5, "local": 0.2, "special_bond": 0.3}, "estimate: provincial hospital campus"),
    "P61": ({"provincial": 0.5, "local": 0.2, "special_bond": 0.3}, "estimate: provincial hospital campus"),
    "P25A": ({"central": 0.2, "provincial": 0.4, "loan": 0.4}, "estimate: 省机场集团 capital, civil-aviation subsidy, loans"),
    "P25B": ({"central": 0.2, "provincial": 0.4, "loan": 0.4}, "estimate: 省机场集团 capital, civil-aviation subsidy, loans"),
    "P26": ({"provincial": 0.5, "loan": 0.5}, "estimate: 省机场集团 capital and loans"),
    "P112": ({"provincial": 0.5, "loan": 0.5}, "estimate: 省机场集团 capital and loans"),
    "P72": ({"local": 0.3, "special_bond": 0.2, "private": 0.5}, "estimate: mixed public/private new town (reference P72)"),
    "P73": ({"local": 0.3, "private": 0.7}, "estimate: developer-led complex"),
    "P151": ({"local": 0.6, "special_bond": 0.4}, "estimate: municipal road"),
    "P92": ({"local": 0.6, "special_bond": 0.4}, "estimate: municipal roads"),
    "P93": ({"local": 0.6, "special_bond": 0.4}, "estimate: municipal roads"),
    "P131": ({"private": 0.6, "local": 0.4}, "estimate: energy-company investment with city capital"),
}
SOURCES_ORDER = ["central", "provincial", "local", "special_bond", "private", "loan", "railway", "other"]


def funding_of(p):
    if p["id"] in FUND_OVERRIDES:
        return FUND_OVERRIDES[p["id"]]
    cat = "national rail" if p["id"] in NATIONAL_RAIL else p["cat"]
    return FUND_RULES[cat]


# =============================================================================================
def fmt(x) -> str:
    if x is None or x == "":
        return ""
    if isinstance(x, str):
        return x
    if isinstance(x, (int,)) or float(x).is_integer():
        return str(int(round(x)))
    s = f"{x:.4f}".rstrip("0").rstrip(".")
    return s


def read_reference():
    with open(FACTS / "projects.csv", encoding="utf-8") as f:
        return {r["id"]: r for r in csv.DictReader(f)}


def split_cost(cost: float, dur: int) -> list[float]:
    shares = PROFILES[dur]
    parts = [round(cost * s, 2) for s in shares[:-1]]
    parts.append(round(cost - sum(parts), 2))
    return parts


def expand(ref_rows):
    """Turn the compact spec P into full project records."""
    out = []
    for spec in P:
        p = dict(spec)
        ref = ref_rows.get(p["ref"]) if p.get("ref") else None
        if ref is not None:
            p.setdefault("name", ref["name_zh"])
            p.setdefault("name_en", ref["name_en"])
            p.setdefault("task", ref["task_area"])
            p.setdefault("source", ref["source"])
            p.setdefault("ref_conf", ref["confidence"])
            p.setdefault("ref_cat", ref["category"])
            land_sourced = bool(ref["land_mu_if_sourced"])
            if land_sourced:
                assert abs(float(ref["land_mu_if_sourced"]) - p["land"]) < 1e-6, p["id"]
        else:
            land_sourced = False
            p.setdefault("source", "estimate")
            p["ref_conf"] = "estimated"
            p["ref_cat"] = p["cat"]
        shares = p.get("shares")
        if shares:
            p["city"] = max(shares, key=shares.get)
        else:
            p.setdefault("city", ref["cities"].split(";")[0] if ref else None)
            p["shares"] = {p["city"]: 1.0}
        # land
        land_note = ""
        if "land_gross" in p:
            gross = p["land_gross"]
            disc = NATIONAL_RAIL_LAND_DISCOUNT if p["id"] in NATIONAL_RAIL else LAND_DISCOUNT
            p["land"] = round(gross * disc) if p.get("disc") else round(gross)
            if p.get("disc"):
                land_note = f"land = {disc:.0%} of gross {round(gross)} mu (state/provincial land, policy discount)"
        # estimated fields
        if ref is None:
            est = ["cost", "duration", "land", "energy"]
            conf = "estimated"
        else:
            est = [e for e in p.get("est", "").split(";") if e]
            conf = p.get("conf") or ref["confidence"]
        if land_sourced and "land" in est:
            est.remove("land")
        p["estimated_fields"] = ";".join(est)
        p["confidence"] = "illustrative" if "示意" in p["name"] else conf
        if p["ref_conf"] == "sourced" and p["confidence"] == "sourced" and est:
            p["confidence"] = "partly sourced"
        notes = [n for n in (p.get("note", ""), land_note) if n]
        if ref is not None and p["id"] != p["ref"]:
            notes.insert(0, f"derived from reference {p['ref']}")
        p["notes"] = "; ".join(notes)
        # windows
        if p["status"] == "committed":
            p["es"] = p["ls"] = p["start"]
        else:
            p.setdefault("start", None)
            p.setdefault("ls", Y1 - p["dur"] + 1)
        p.setdefault("group", "")
        p["profile"] = split_cost(p["cost"], p["dur"])
        p["funding"] = funding_of(p)
        # contributions
        c = dict(p.get("c", {}))
        if "beds" in p:
            c["beds_per_1000"] = round(p["beds"] / (POP_TOTAL_10K * 10), 4)
        mult = p.get("gdp_mult", GDP_MULT.get(p["cat"], GDP_MULT.get(p["cat"].split(" ")[0])))
        if p["cat"] == "R&D platform" or p["cat"] == "university":
            mult = 0.1
        if p["cat"].startswith("hospital") or p["cat"] in ("school", "housing") or p["cat"].startswith("culture"):
            mult = 0.05
        if p.get("gdp") is False:
            mult = None
        if mult:
            c["gdp"] = round(p["cost"] * mult, 1)
        p["contrib"] = c
        out.append(p)
    return out


def finish_year(p, t):
    return t + p["dur"] - 1


def starts(p):
    if p["status"] == "committed":
        return [p["start"]]
    if p["status"] == "excluded":
        return []
    return [t for t in YEARS if p["es"] <= t <= p["ls"] and t + p["dur"] - 1 <= Y1]


def creditable(p):
    """Can the project be complete by the target year?"""
    return any(finish_year(p, t) <= TARGET_YEAR for t in starts(p))


# ---------------------------------------------------------------------------------------------
def resource_needs(projects):
    """Conservative committed+mandatory need and all-candidate need per (resource, city, year)."""
    cm = defaultdict(float)
    cand = defaultdict(float)
    for p in projects:
        fixed = p["status"] in ("committed", "mandatory")
        S = starts(p)
        for c, sh in p["shares"].items():
            for y in YEARS:
                # budget: the worst start for this year (conservative for mandatory windows)
                spend = [p["profile"][y - t] for t in S if 0 <= y - t < p["dur"]]
                land = [p["land"] for t in S if t == y]
                oper = [p["energy"] for t in S if finish_year(p, t) <= y]
                tgt = cm if fixed else cand
                if fixed:
                    tgt["budget", c, y] += sh * max(spend, default=0)
                    for src, f in p["funding"][0].items():
                        tgt[src, c, y] += sh * f * max(spend, default=0)
                    tgt["land", c, y] += sh * max(land, default=0)
                    tgt["energy", c, y] += sh * max(oper, default=0)
                else:
                    # candidate need if started at its earliest start
                    t0 = S[0]
                    if 0 <= y - t0 < p["dur"]:
                        tgt["budget", c, y] += sh * p["profile"][y - t0]
                    if y == t0:
                        tgt["land", c, y] += sh * p["land"]
                    if finish_year(p, t0) <= y:
                        tgt["energy", c, y] += sh * p["energy"]
    return cm, cand


def nice(x, step):
    return math.ceil(x / step) * step


def make_limits(projects):
    cm, cand = resource_needs(projects)
    rows = []
    src_kp = {c: FIG.get(("key_project_investment", c)) for c in CITIES}
    for c in CITIES:
        kp = KEY_INV[c]
        if src_kp[c]:
            kp_src, kp_conf = src_kp[c]["source"], "partly sourced"
            kp_note = f"{kp:g} = the city's yearly 千项万亿 investment ({src_kp[c]['year']}, sourced)"
        else:
            f = FIG["fixed_asset_investment", c]
            kp_src, kp_conf = f["source"], "estimated"
            kp_note = (f"{kp:g} = {HUZHOU_KP_RATIO:.0%} of the 2023 fixed-asset-investment target {f['value']} (sourced); "
                       f"no 千项万亿 figure found (estimate)")
        share = KEY_SHARE_OF_FAI * METRO_SHARE
        lim_b = nice(share * FAI[c], 5)
        for y in YEARS:
            rows.append(dict(resource="budget", scope=c, year=y, limit=lim_b, source=FAI_SRC[c],
                             confidence="estimated" if "estimate" in FAI_SRC[c] else "partly sourced", notes=(
                f"{share:.1%} of fixed-asset investment = key projects {KEY_SHARE_OF_FAI:.0%} of FAI (sourced, 杭州) x "
                f"metro-plan share {METRO_SHARE:.0%} (estimate); {FAI_NOTE[c]}; held flat in nominal terms; rounded up "
                f"to 5; bounds all payers' spending (= {lim_b / kp:.0%} of {kp_note}); committed+mandatory need this "
                f"year {cm['budget', c, y]:.1f}")))
        lim_l = nice(PROV_LAND_PER_YEAR * kp / PROV_KEY_INV * PORTFOLIO_SHARE, 50)
        for y in YEARS:
            rows.append(dict(resource="land", scope=c, year=y, limit=lim_l,
                             source=FIG["province_key_project_land", "ALL"]["source"], confidence="estimated", notes=(
                f"province guarantees {PROV_LAND_PER_YEAR:.0f} 亩/yr to 千项万亿 projects (sourced); city share = its list "
                f"investment {kp:g} / {PROV_KEY_INV:.0f}; portfolio share {PORTFOLIO_SHARE:.0%} (estimate); rounded up "
                f"to 50; committed+mandatory starts this year {cm['land', c, y]:.0f}")))
        q = ENERGY_LOW[c] * ENERGY_SHARE
        for y in YEARS:
            rows.append(dict(resource="energy", scope=c, year=y, limit=round(q * (y - Y0 + 1), 2),
                             source="estimate (notes.md: city increment ranges)", confidence="estimated", notes=(
                f"added energy use in operation: {ENERGY_SHARE:.0%} of the low end {ENERGY_LOW[c]} 万tce/yr of the city's "
                f"estimated yearly increment = {q:g}/yr, x {y - Y0 + 1} yr; committed+mandatory use {cm['energy', c, y]:.1f}")))
        if WRITE_SOURCE_LIMITS:
            for y in YEARS:
                rows.append(dict(resource="special_bond", scope=c, year=y, limit=nice(BOND_SHARE * lim_b, 1),
                                 source=FIG["province_special_bond_first_batch", "ALL"]["source"], confidence="estimated",
                                 notes=(f"special bonds usable by these projects: {BOND_SHARE:.0%} of the budget row {lim_b:g} "
                                        f"(estimate; no city quota by year found); committed+mandatory use "
                                        f"{cm['special_bond', c, y]:.1f}")))
    if WRITE_SOURCE_LIMITS:
        total_b = sum(nice(KEY_SHARE_OF_FAI * METRO_SHARE * FAI[c], 5) for c in CITIES)
        for res, sh in (("central", CENTRAL_SHARE), ("provincial", PROVINCIAL_SHARE)):
            for y in YEARS:
                need = sum(cm[res, c, y] for c in CITIES)
                rows.append(dict(resource=res, scope="ALL", year=y, limit=nice(sh * total_b, 1), source="estimate",
                                 confidence="estimated", notes=(
                    f"{sh:.0%} of the summed city budget rows {total_b:g} (estimate: no published allocation to these "
                    f"projects); committed+mandatory use {need:.1f}")))
    return rows, cm, cand, None


# ---------------------------------------------------------------------------------------------
def credit_sums(projects):
    """Per (indicator, scope): committed+mandatory credit by 2027 and creditable-candidate sum."""
    fixed = defaultdict(float)
    candsum = defaultdict(float)
    for p in projects:
        if p["status"] == "committed":
            ok = finish_year(p, p["start"]) <= TARGET_YEAR
        elif p["status"] == "mandatory":
            ok = finish_year(p, p["ls"]) <= TARGET_YEAR  # credited whatever start is chosen
        else:
            ok = creditable(p)
        if not ok:
            continue
        tgt = fixed if p["status"] in ("committed", "mandatory") else candsum
        for i, v in p["contrib"].items():
            tgt[i, "ALL"] += v
            for c, sh in p["shares"].items():
                tgt[i, c] += v * sh
    return fixed, candsum


def make_indicators(projects):
    fixed, candsum = credit_sums(projects)
    rows = []
    for ind, scope, base, target, w, src, conf, note in TARGETS:
        name, unit = IND[ind]
        if ind == "gdp":
            gap = fixed[ind, scope] + GDP_CAND_FRACTION * candsum[ind, scope]
            gap = round(gap / 10) * 10
            base = target - gap
            growth = (base / GDP_2022[scope]) ** (1 / 5) - 1
            note = (f"{note}; baseline = 2027 BAU {base:.0f} without the portfolio (implied nominal growth "
                    f"{growth:.1%}/yr from 2022 {GDP_2022[scope]}); gap {gap:.0f} = portfolio-attributable part")
        rows.append(dict(indicator=ind, name=name, unit=unit, scope=scope, baseline=base, target=target,
                         weight=w, source=src, confidence=conf, notes=note))
    return rows, fixed, candsum


# =============================================================================================
def check(projects, limits, indicators, deps, cm) -> list[str]:
    errs = []
    ids = [p["id"] for p in projects]
    if len(ids) != len(set(ids)):
        errs.append("duplicate project ids")
    idset = set(ids)
    for p in projects:
        if p["city"] not in CITIES:
            errs.append(f"{p['id']}: unknown city")
        if p["task"] not in TASKS:
            errs.append(f"{p['id']}: unknown task {p['task']}")
        if not 1 <= p["dur"] <= 6:
            errs.append(f"{p['id']}: duration {p['dur']}")
        if abs(sum(p["shares"].values()) - 1) > 1e-9:
            errs.append(f"{p['id']}: shares sum {sum(p['shares'].values())}")
        if any(c not in CITIES for c in p["shares"]):
            errs.append(f"{p['id']}: unknown share city")
        if round(sum(p["profile"]), 2) != round(p["cost"], 2) or abs(sum(p["profile"]) - p["cost"]) > 1e-6:
            errs.append(f"{p['id']}: profile {sum(p['profile'])} != cost {p['cost']}")
        if any(a < 0 for a in p["profile"]):
            errs.append(f"{p['id']}: negative profile")
        if p["status"] in ("candidate", "mandatory") and not starts(p):
            errs.append(f"{p['id']}: empty start window")
        if p["status"] in ("candidate", "mandatory") and p["es"] < Y0:
            errs.append(f"{p['id']}: earliest start before horizon")
        if p["status"] == "committed" and p["start"] > Y0:
            errs.append(f"{p['id']}: committed start after {Y0}")
        if p["status"] == "committed" and p["start"] + p["dur"] - 1 < Y0 and p["id"] != "P59":
            errs.append(f"{p['id']}: committed project finished before horizon")
        for i in p["contrib"]:
            if i not in IND:
                errs.append(f"{p['id']}: unknown indicator {i}")
    # groups
    groups = defaultdict(list)
    for p in projects:
        if p["group"]:
            groups[p["group"]].append(p)
    for g, members in groups.items():
        if len(members) < 2:
            errs.append(f"group {g} has one member")
        if any(m["status"] in ("committed", "mandatory") for m in members):
            errs.append(f"group {g} contains a fixed project")
    # dependencies: known ids, no cycles, no committed dependent, satisfiable
    byid = {p["id"]: p for p in projects}
    graph = defaultdict(list)
    for q, r, _ in deps:
        if q not in idset or r not in idset:
            errs.append(f"dependency {q}->{r}: unknown id")
            continue
        graph[q].append(r)
        if byid[q]["status"] != "candidate":
            errs.append(f"dependency {q}->{r}: dependent must be a candidate")
        pred_fin = min(finish_year(byid[r], t) for t in starts(byid[r]))
        if not any(t > pred_fin for t in starts(byid[q])):
            errs.append(f"dependency {q}->{r}: no start of {q} after {r} can finish")
    state = {}

    def visit(n):
        state[n] = 1
        for m in graph[n]:
            if state.get(m) == 1 or (state.get(m) is None and visit(m)):
                return True
        state[n] = 2
        return False

    for n in list(graph):
        if state.get(n) is None and visit(n):
            errs.append("dependency cycle")
            break
    # limits vs committed + mandatory (conservative over mandatory windows)
    for r in limits:
        scopes = CITIES if r["scope"] == "ALL" else [r["scope"]]
        years = YEARS if r["year"] is None else [r["year"]]
        if r["year"] is None and r["resource"] == "energy":
            errs.append(f"limit {r}: energy rows need a year in this dataset")
        need = sum(cm[r["resource"], c, y] for c in scopes for y in years)
        if need > r["limit"] / 1.02 + 1e-9:
            errs.append(f"limit {r}: committed+mandatory need {need:.2f} leaves < 2% margin")
    # every candidate fits on its own next to committed + mandatory projects for some start year
    def use(p, t, r):
        scopes = CITIES if r["scope"] == "ALL" else [r["scope"]]
        years = YEARS if r["year"] is None else [r["year"]]
        tot = 0.0
        for c in scopes:
            sh = p["shares"].get(c, 0)
            for y in years:
                if r["resource"] == "budget" and 0 <= y - t < p["dur"]:
                    tot += sh * p["profile"][y - t]
                elif r["resource"] in SOURCES_ORDER and 0 <= y - t < p["dur"]:
                    tot += sh * p["funding"][0].get(r["resource"], 0) * p["profile"][y - t]
                elif r["resource"] == "land" and y == t:
                    tot += sh * p["land"]
                elif r["resource"] == "energy" and finish_year(p, t) <= y:
                    tot += sh * p["energy"]
        return tot

    def cm_need(r):
        scopes = CITIES if r["scope"] == "ALL" else [r["scope"]]
        years = YEARS if r["year"] is None else [r["year"]]
        return sum(cm[r["resource"], c, y] for c in scopes for y in years)

    for p in projects:
        if p["status"] != "candidate":
            continue
        if not any(all(cm_need(r) + use(p, t, r) <= r["limit"] + 1e-9 for r in limits) for t in starts(p)):
            errs.append(f"{p['id']}: does not fit next to the committed and mandatory projects in any start year")
    # indicators
    keys = [(r["indicator"], r["scope"]) for r in indicators]
    if len(keys) != len(set(keys)):
        errs.append("duplicate indicator rows")
    for r in indicators:
        if r["target"] == r["baseline"]:
            errs.append(f"indicator {r['indicator']}/{r['scope']}: target == baseline")
    for c in CITIES:
        if not any(r["scope"] == c for r in indicators):
            errs.append(f"no indicator row for {c}")
    return errs


# =============================================================================================
def write_csv(path: Path, header, rows):
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        for r in rows:
            w.writerow([fmt(r.get(h, "")) if not isinstance(r.get(h, ""), str) else r.get(h, "") for h in header])


def write_all(projects, limits, indicators, out=None):
    global OUT
    OUT = Path(out) if out else OUT
    OUT.mkdir(parents=True, exist_ok=True)
    write_csv(
        OUT / "projects.csv",
        ["id", "name", "city", "task", "duration", "earliest_start", "latest_start", "cost", "land", "energy",
         "status", "start", "group", "name_en", "category", "source", "confidence", "estimated_fields", "notes"],
        [dict(id=p["id"], name=p["name"], city=p["city"], task=p["task"], duration=p["dur"],
              earliest_start=p["es"], latest_start=p["ls"], cost=p["cost"], land=p["land"], energy=p["energy"],
              status=p["status"], start=p["start"] if p["status"] == "committed" else "", group=p["group"],
              name_en=p["name_en"], category=p["ref_cat"], source=p["source"], confidence=p["confidence"],
              estimated_fields=p["estimated_fields"], notes=p["notes"]) for p in projects],
    )
    pc_rows = []
    for p in projects:
        if len(p["shares"]) > 1:
            for c in CITIES:
                if c in p["shares"]:
                    pc_rows.append(dict(project_id=p["id"], city=c, share=p["shares"][c], source="estimate",
                                        notes=SHARE_NOTES.get(p["id"], "estimate: share of cost located in the city")))
    write_csv(OUT / "project_cities.csv", ["project_id", "city", "share", "source", "notes"], pc_rows)
    cp_rows = []
    for p in projects:
        for k, a in enumerate(p["profile"]):
            cp_rows.append(dict(project_id=p["id"], year_offset=k, cost=a,
                                year=(p["start"] + k) if p["status"] == "committed" else "",
                                share_pct=round(PROFILES[p["dur"]][k] * 100)))
    write_csv(OUT / "cost_profiles.csv", ["project_id", "year_offset", "cost", "year", "share_pct"], cp_rows)
    ct_rows = []
    for p in projects:
        for i, v in p["contrib"].items():
            if i == "rail_km":
                src, conf, note = (p["source"], "sourced" if p["ref_conf"] == "sourced" and p["ref"] else "estimated",
                                   "route length within the metro")
            elif i == "beds_per_1000":
                src, conf = "estimate", "estimated"
                note = f"{p['beds']} new beds / 2668.7万 residents x 1000"
            elif i == "gdp":
                src, conf = "estimate", "estimated"
                note = "annual GDP uplift = cost x category multiplier (README)"
            else:
                src, conf, note = "estimate", "estimated", ""
            ct_rows.append(dict(project_id=p["id"], indicator=i, value=v, source=src, confidence=conf, notes=note))
    write_csv(OUT / "contributions.csv", ["project_id", "indicator", "value", "source", "confidence", "notes"],
              ct_rows)
    write_csv(OUT / "indicators.csv",
              ["indicator", "name", "unit", "scope", "baseline", "target", "weight", "source", "confidence", "notes"],
              indicators)
    write_csv(OUT / "limits.csv", ["resource", "scope", "year", "limit", "source", "confidence", "notes"], limits)
    fd_rows = []
    for p in projects:
        shares, basis = p["funding"]
        assert abs(sum(shares.values()) - 1) < 1e-9, p["id"]
        for src in SOURCES_ORDER:
            if src in shares:
                fd_rows.append(dict(project_id=p["id"], source=src, share=shares[src],
                                    confidence="partly sourced" if basis.startswith(("sourced", "partly")) else "estimated",
                                    notes=basis))
    write_csv(OUT / "funding.csv", ["project_id", "source", "share", "confidence", "notes"], fd_rows)
    write_csv(OUT / "dependencies.csv", ["project_id", "requires", "notes"],
              [dict(project_id=q, requires=r, notes=n) for q, r, n in DEPENDENCIES])
    tasks = "\n".join(f"  - {t}" for t in TASKS)
    (OUT / "dataset.yaml").write_text(
        f"""name: hangzhou_2027
description: >-
  Example dataset for the Hangzhou metropolitan area (杭州都市圈: 杭州, 湖州, 嘉兴, 绍兴), built from
  public sources and estimates around the 2023 implementation plan (浙发改城镇〔2023〕327号). Many numbers are
  estimates or illustrative (示意); see README.md and the confidence / estimated_fields columns.
  Not an official project list.
cities: [杭州, 湖州, 嘉兴, 绍兴]
tasks:
{tasks}
horizon: [{Y0}, {Y1}]
target_year: {TARGET_YEAR}
units: {{money: 亿元, land: 亩, energy: 万吨标准煤}}
sources:
  - {SRC_ZDPI}
  - tools/hangzhou_facts (projects.csv, plan_figures.csv, indicators.csv, cities.csv): public facts with a source each
build: tools/build_hangzhou_dataset.py
""",
        encoding="utf-8",
    )


SHARE_NOTES = {
    "P01": "estimate by route length: Tongxiang–Haining ~25%, Qiantang–Xiaoshan ~55%, Shaoxing North ~20%",
    "P02": "estimate by route length of the Zhejiang section (Pinghu–Haiyan–Haining ~75%)",
    "P05": "by route length: Deqing 23 of 34.6 km (sourced lengths)",
    "P15A": "estimate by route length: Zhuji ~35 of 60 km",
    "P15B": "estimate by route length",
    "P16": "estimate by route length: Haining ~13.5 of 22.7 km",
    "P18": "estimate: Nanxun (Huzhou) and Tongxiang (Jiaxing) sections about equal",
    "P20": "estimate by route length",
}


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--check", action="store_true", help="check only, write nothing")
    ap.add_argument("-v", "--verbose", action="store_true")
    ap.add_argument("--out", help="write into this folder instead of inputs/hangzhou_2027 (the tests use it)")
    args = ap.parse_args(argv)

    projects = expand(read_reference())
    limits, cm, cand, cand_c = make_limits(projects)
    indicators, fixed, candsum = make_indicators(projects)
    errs = check(projects, limits, indicators, DEPENDENCIES, cm)

    # report
    n = defaultdict(int)
    for p in projects:
        n[p["status"]] += 1
    print(f"{len(projects)} projects: " + ", ".join(f"{k} {v}" for k, v in sorted(n.items())))
    print("\nindicator margins (by 2027):  fixed = committed+mandatory credit, cand = creditable candidates")
    for r in indicators:
        gap = r["target"] - r["baseline"]
        f = fixed[r["indicator"], r["scope"]]
        c = candsum[r["indicator"], r["scope"]]
        ratio = (f + c) / gap
        flag = "" if 1.25 <= ratio <= 2.5 and f / gap < 0.75 else "  <-- check"
        print(f"  {r['indicator']:16s} {r['scope']:4s} gap {gap:9.3f}  fixed {f / gap:5.0%}  "
              f"(fixed+cand)/gap {ratio:4.2f}{flag}")
        if ratio < 1.0:
            errs.append(f"indicator {r['indicator']}/{r['scope']} cannot be reached by all projects together")
    if args.verbose:
        print("\nlimits (limit | committed+mandatory | all candidates at earliest start)")
        for r in limits:
            if r["scope"] == "ALL":
                continue
            k = (r["resource"], r["scope"], r["year"])
            print(f"  {k}: {r['limit']:8.1f} | {cm[k]:8.1f} | {cand[k]:8.1f}")
    if errs:
        print("\nCHECK FAILED:")
        for e in errs:
            print("  -", e)
        return 1
    print("\nall checks passed")
    if not args.check:
        write_all(projects, limits, indicators, args.out)
        print(f"wrote {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
