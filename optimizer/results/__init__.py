"""Results: the frozen Result of a run, its assembly from the chosen starts, and the one writer.

Imports data/ and solve/ (for Status and the solver outcome it assembles); never the model,
HiGHS, analysis or report. `outdir` is the only code that puts files in a user's folder.
"""

from .assemble import assemble, row_scores
from .result import Result, write_folder
from .tables import changes_table, comparison_table

__all__ = ["Result", "assemble", "changes_table", "comparison_table", "row_scores", "write_folder"]
