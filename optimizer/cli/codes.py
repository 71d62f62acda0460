"""Exit codes of the `portfolio` command (DATA.md): 0 a portfolio was found; 2 invalid input;
3 infeasible scenario; 4 no portfolio within the time limit; 130 interrupted."""

EXIT_OK, EXIT_INPUT, EXIT_INFEASIBLE, EXIT_NO_SOLUTION, EXIT_INTERRUPTED = 0, 2, 3, 4, 130
