"""Analyses built on the core model: infeasibility diagnosis (more to come: sweeps, trade-offs)."""
