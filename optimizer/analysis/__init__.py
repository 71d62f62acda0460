"""analysis/: questions answered by many runs of the engine, returned as data.

- compare.py     several scenarios side by side (comparison.csv, changes.csv);
- frontier.py    score and attainment against the level of one resource;
- tradeoffs.py   what each city gets, the price of balance rules, marginal values, city fronts;
- explain.py     why a project is in or out: forced runs, as fields (sentences: report/);
- robustness.py  which choices hold under sampled overruns and delays, or other weights;
- alternatives.py near-optimal portfolios that differ most, and which projects are settled.

Each returns DataFrames or small frozen dataclasses. Analyses import data/, results/ and
engine/ (every solve goes through a Session); never Pyomo, HiGHS, matplotlib, argparse,
the report or a face, and they print nothing.
"""
