"""`portfolio` command line (a face): parse arguments, run a command, map outcomes to exit codes.

- parser.py    every subcommand and option;
- commands.py  what each subcommand does (through optimizer.api, the analyses and the report);
- printing.py  what it prints;
- codes.py     exit codes (DATA.md): 0 a portfolio was found; 2 invalid input; 3 infeasible
               scenario; 4 no portfolio within the time limit; 130 interrupted.

This module keeps `main` and `console` and the Ctrl-C handling, and imports nothing heavy
at the top, so that an interrupt while pandas, Pyomo or HiGHS load is still one clean line.
"""

from __future__ import annotations

import sys

from .codes import EXIT_INFEASIBLE, EXIT_INPUT, EXIT_INTERRUPTED, EXIT_NO_SOLUTION, EXIT_OK  # noqa: F401
from .parser import parser

_OUTDIR = "optimizer.results.outdir"
_NOTHING_WRITTEN = "interrupted; nothing was written (an earlier result in --out is as it was)"


def main(argv: list[str] | None = None) -> int:
    """Run one command; returns its exit code (DATA.md). Never raises, except SystemExit from --help."""
    try:
        done = getattr(sys.modules.get(_OUTDIR), "written", [])
        done.clear()  # what this command writes, for its last word after Ctrl-C
        args = parser().parse_args(argv)
        from ..errors import InputError
        from . import commands as c

        try:
            commands = {
                "run": c.run,
                "validate": c.validate,
                "report": c.report,
                "serve": c.serve,
                "import": c.import_list,
            }
            commands.update(
                {
                    n: c.analysis(n)
                    for n in ("compare", "frontier", "tradeoffs", "explain", "robustness", "alternatives")
                }
            )
            return commands[args.command](args)
        except InputError as exc:
            print(exc.describe(limit=200), file=sys.stderr)
            return EXIT_INPUT
    except BrokenPipeError:  # `portfolio run … | head`: the reader left, nothing is wrong
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except KeyboardInterrupt:
        return _interrupted()
    except Exception as exc:  # a bug, not bad input: say so in one line; PORTFOLIO_DEBUG=1 shows the traceback
        import os

        if _is_interrupt(exc):
            return _interrupted()
        if os.environ.get("PORTFOLIO_DEBUG"):
            raise
        print(
            f"internal error: {type(exc).__name__}: {exc} (set PORTFOLIO_DEBUG=1 for the traceback; please report it)",
            file=sys.stderr,
        )
        return 1


def _is_interrupt(exc: BaseException) -> bool:
    """A Ctrl-C that a library wrapped in another error (Pyomo's output capture raises
    RuntimeError("KeyboardInterrupt: ...") when the interrupt lands in its reader thread)."""
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        if isinstance(exc, KeyboardInterrupt) or str(exc).startswith("KeyboardInterrupt"):
            return True
        exc = exc.__cause__ or exc.__context__
    return False


def _interrupt_line() -> str:
    """The one line after Ctrl-C: what this command had written by then (outdir.written)."""
    done = getattr(sys.modules.get(_OUTDIR), "written", [])
    return f"interrupted after writing {', '.join(map(str, done))}" if done else _NOTHING_WRITTEN


def _interrupted() -> int:
    """Ctrl-C: one line, exit 130. A second Ctrl-C while saying so is ignored."""
    import signal

    try:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
    except ValueError:  # not the main thread
        pass
    print(_interrupt_line(), file=sys.stderr)
    return EXIT_INTERRUPTED


def _on_sigint(signum, frame) -> None:
    """The command's Ctrl-C: one line, exit 130, at once.

    Python's own handler raises KeyboardInterrupt wherever the program is, and inside a
    destructor or a weak-reference callback (pandas and matplotlib run many) Python prints
    "Exception ignored ... KeyboardInterrupt" and goes on. So the command ends here instead,
    except while results are being put in place (outdir defers it to the end of that). The
    solver's own handlers (solve.interruptible, decompose) take over during a solve and raise
    KeyboardInterrupt once HiGHS has stopped cleanly; main reports that the same way.
    """
    import os
    import signal

    outdir = sys.modules.get(_OUTDIR)  # may be half imported: look names up with getattr
    defer = getattr(outdir, "defer_interrupt", None)
    if defer is not None and defer():
        return
    if getattr(sys.modules.get("optimizer.cli.commands"), "multi_run", False):
        # a multi-run command, with worker processes and their queues: the interrupt is raised
        # where the program is, and the pool's handler ends the workers and closes the queues
        # (ending at once here left their semaphores to the resource tracker's warning)
        raise KeyboardInterrupt
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        os.write(2, (_interrupt_line() + "\n").encode("utf-8", "replace"))  # not print: stderr may be mid-write
    except OSError:
        pass
    _exit_now(EXIT_INTERRUPTED)


def _exit_now(code: int) -> None:
    """End the process: exit handlers first (pool finalizers: no leaked-semaphore warning), then
    os._exit, since CPython may otherwise end a process that handled a KeyboardInterrupt by SIGINT
    (exit -2) instead of with its code."""
    import atexit
    import os

    try:
        atexit._run_exitfuncs()
    except BaseException:  # an exit handler's own error: nothing more is to be said
        pass
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except BaseException:
            pass
    os._exit(code)


def console() -> None:
    """The `portfolio` command: `main`, then exit with its code. Ctrl-C is ignored from the moment
    the work is done (or interrupted), so Python's shutdown cannot be cut short with a traceback."""
    # Worker pools stopped by Ctrl-C leave their queue semaphores to multiprocessing's resource
    # tracker, which removes them and says so in a warning of two lines after our one line.
    # The tracker takes its -W options from ours when it starts: this one silences just that.
    sys.warnoptions.append("ignore:resource_tracker:UserWarning")
    try:
        import signal

        signal.signal(signal.SIGINT, _on_sigint)
        code = main()
    except KeyboardInterrupt:  # between main's handlers
        code = _interrupted()
    try:
        import signal

        signal.signal(signal.SIGINT, signal.SIG_IGN)
    except KeyboardInterrupt:
        code = _interrupted()
    if code == EXIT_INTERRUPTED and "multiprocessing" not in sys.modules:
        _exit_now(code)  # (with worker pools, Python's own shutdown is what releases their semaphores)
    sys.exit(code)


if __name__ == "__main__":
    console()
