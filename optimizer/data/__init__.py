"""Files -> pydantic rows -> checked, indexed DataFrames (a frozen Dataset). No Pyomo here."""

from .dataset import Dataset, from_tables, load
from .scenario import Scenario
from .writer import write_dataset

__all__ = ["Dataset", "Scenario", "from_tables", "load", "write_dataset"]
