"""model/: the Pyomo model of MODEL.md built from an Instance (build.py), one function per
constraint family (constraints.py). Imports data/ only; no solver here."""
