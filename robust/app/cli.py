"""The ``robust`` command: a thin layer over the Python API.

Exit status: 0 on success, 1 when ``robust reproduce`` does not reproduce the paper,
2 for bad input (one line on stderr naming the file, key, column or row), 130 when
interrupted (SIGINT, Ctrl-C), 143 when terminated (SIGTERM).
"""

from __future__ import annotations

import argparse
import contextlib
import signal
import sys
import threading
import warnings
from pathlib import Path

from ..compute.execution import BACKENDS
from ..core.errors import DeprecatedOptionWarning, InputError, RobustWarning
from ..io.manifest import MANIFEST
from ..version import __version__

EXAMPLES_RUN = """examples:
  robust run experiments/paper.toml                 # writes results/paper/
  robust run my_study.toml --out out/my_study --seed 7 --jobs 2
  robust run big.toml --backend dask --scheduler tcp://10.0.0.5:8786
"""
EXAMPLES_PLOT = """examples:
  robust plot results/paper                         # redraws results/paper/figures/ and the report
  robust plot results/paper --force                 # even from tables changed since the run
"""
EXAMPLES_VALIDATE = """examples:
  robust validate experiments/paper.toml            # checks config and data, runs nothing
"""
EXAMPLES_COMPARE = """examples:
  robust compare results/paper /tmp/paper_rerun     # same tables within rtol 1e-12, atol 1e-14?
  robust compare a/ b/ --rtol 1e-6 --atol 1e-9      # looser, e.g. across library versions
"""
EXAMPLES_REPRODUCE = """examples:
  robust reproduce                                  # prints the side-by-side table
  robust reproduce --out results/reproduction       # and writes it as CSV
  robust reproduce --records                        # Table 2 and Table 3 from the synthetic records
"""


def _non_negative_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"expected a non-negative number, got {value}")
    return value


def _jobs(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value == 0 or value < -1:
        raise argparse.ArgumentTypeError("expected a positive number of workers, or -1 for all cores")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="robust",
        description="How much to trust a composite-indicator study: reproduce, score, "
        "resample and analyse the sensitivity of a technology-strategy quadrant model.",
    )
    parser.add_argument("--version", action="version", version=f"robust {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    run = commands.add_parser(
        "run", help="run an experiment config and write its result folder",
        description="Run an experiment config (TOML) and write its result folder.",
        epilog=EXAMPLES_RUN, formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    run.add_argument("config", type=Path, help="experiment config file (TOML)")
    run.add_argument("--out", type=Path,
                     help="result folder (default: results/<config stem>/ under the current folder; the "
                     "[data] path is relative to the config file)")
    run.add_argument("--seed", type=_non_negative_int, help="overrides [run] seed")
    run.add_argument("--jobs", type=_jobs, help="parallel workers, overrides [run] n_jobs")
    run.add_argument("--backend", choices=BACKENDS,
                     help="joblib backend, overrides [run] backend (dask needs robust[dask])")
    run.add_argument("--scheduler", metavar="ADDRESS",
                     help="dask scheduler address, e.g. tcp://host:8786 (with --backend dask; "
                     "default: a local cluster)")
    run.add_argument("--quiet", action="store_true", help="no progress bars")
    run.add_argument("--no-figures", action="store_true",
                     help="write the tables and the report without figures (robust plot draws them later)")
    run.add_argument("--ignore-estimate", action="store_true",
                     help="run even when the up-front estimate exceeds 24 hours or the machine's memory")

    validate = commands.add_parser(
        "validate", help="check a config and its data without running anything",
        description="Check an experiment config and its data table; run nothing. "
        "Exit 0 if the run would start, 2 (with the reason) if not.",
        epilog=EXAMPLES_VALIDATE, formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    validate.add_argument("config", type=Path, help="experiment config file (TOML)")

    plot = commands.add_parser(
        "plot", help="redraw the figures of a result folder from its tables",
        description="Redraw every figure (and the report) of a finished result folder from its "
        "saved tables and manifest; nothing is recomputed.",
        epilog=EXAMPLES_PLOT, formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    plot.add_argument("result_dir", type=Path, help="a folder written by robust run")
    plot.add_argument("--jobs", type=_jobs, default=1, help="draw the figures on this many workers")
    plot.add_argument("--quiet", action="store_true", help="no progress lines")
    plot.add_argument("--force", action="store_true",
                      help="redraw even from tables changed since the run (recorded in the manifest as "
                      "unverified)")

    compare = commands.add_parser(
        "compare", help="say which tables of two result folders differ, and by how much",
        description="Compare the CSV tables of two result folders: numbers within a tolerance "
        "(|a - b| <= atol + rtol |b|), everything else exactly. Exit 0 when every table agrees, "
        "1 when some differ.",
        epilog=EXAMPLES_COMPARE, formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    compare.add_argument("first", type=Path, help="a result folder")
    compare.add_argument("second", type=Path, help="another result folder")
    compare.add_argument("--rtol", type=float, default=None, help="relative tolerance (default 1e-12)")
    compare.add_argument("--atol", type=float, default=None, help="absolute tolerance (default 1e-14)")

    reproduce = commands.add_parser(
        "reproduce", help="check the scorer against the paper's Table 3",
        description="Score the packaged Table 2 and compare with the published Table 3 and "
        "quadrants. Exit 0 only if every value is within 1e-6 and all quadrants match.",
        epilog=EXAMPLES_REPRODUCE, formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    reproduce.add_argument("--out", type=Path, help="also write the comparison tables here")
    reproduce.add_argument("--records", action="store_true",
                           help="derive Table 2 from the SYNTHETIC paper records first (builtin:paper2023_records) "
                           "and show Table 2 and Table 3 side by side")
    return parser


class _WarningPrinter:
    """Print each distinct warning once, as one ``robust: warning:`` line on stderr."""

    def __init__(self):
        self.seen: set[str] = set()

    def __call__(self, message, category, filename, lineno, file=None, line=None):
        ours = issubclass(category, (RobustWarning, DeprecatedOptionWarning))
        text = str(message) if ours else f"{category.__name__}: {message}"
        if text not in self.seen:
            self.seen.add(text)
            print(f"robust: warning: {text}", file=sys.stderr)


def _run(args) -> int:
    from ..io.compare import ATOL, RTOL
    from .config import load_config
    from .experiment import run_experiment

    config = load_config(args.config)
    if args.scheduler is not None and (args.backend or config.run.backend) != "dask":
        raise InputError("--scheduler is only used with --backend dask")
    summary = run_experiment(
        config, out=args.out, seed=args.seed, n_jobs=args.jobs, backend=args.backend,
        scheduler=args.scheduler, progress=not args.quiet, ignore_estimate=args.ignore_estimate,
        figures=not args.no_figures,
    )
    folder = summary.out_dir.resolve()
    if summary.kept:
        print(f"kept {folder}/ as it was: it already holds the results of this config, data "
              f"and seed (every table agrees within rtol {RTOL:g}, atol {ATOL:g}); "
              f"`robust plot {summary.out_dir}` redraws its figures and report")
    else:
        replaced = " (replaced the earlier result folder)" if summary.replaced else ""
        print(f"wrote {folder}/{replaced} ({len(summary.files)} files); seed {summary.seed}"
              + _carried_text(summary.carried))
    from ..report.summary import terminal_lines

    found = summary.verdicts()
    if found is not None:
        for line in terminal_lines(found, summary.report):
            print(line)
    return 0


def _carried_text(carried) -> str:
    if not carried:
        return ""
    shown = ", ".join(carried[:5]) + (f" and {len(carried) - 5} more" if len(carried) > 5 else "")
    return f"; kept what robust did not write: {shown}"


def _plot(args) -> int:
    from ..compute.execution import Execution
    from .experiment import redraw

    redrawn = redraw(args.result_dir, force=args.force,
                     execution=Execution(n_jobs=args.jobs, progress=not args.quiet))
    unverified = (f"; from tables changed since the run, recorded as unverified in {MANIFEST}: "
                  + ", ".join(redrawn.unverified)) if redrawn.unverified else ""
    print(f"redrew {len(redrawn.files)} files (figures and report) in {args.result_dir}/{unverified}"
          + _carried_text(redrawn.carried))
    return 0


def _compare(args) -> int:
    from ..core import rules
    from ..io.compare import ATOL, RTOL, compare_tables

    for folder in (args.first, args.second):
        if not folder.is_dir():
            raise InputError(f"{folder}: is not a folder" if folder.exists() else f"{folder}: folder not found")
    rtol = RTOL if args.rtol is None else rules.number(args.rtol, "--rtol", low=0)
    atol = ATOL if args.atol is None else rules.number(args.atol, "--atol", low=0)
    tables = sorted({p.name for p in args.first.glob("*.csv")} | {p.name for p in args.second.glob("*.csv")})
    if not tables:
        raise InputError(f"{args.first} and {args.second}: hold no CSV tables to compare")
    differences = compare_tables(args.first, args.second, rtol=rtol, atol=atol)
    for difference in differences:
        print(difference)
    tolerance = f"rtol {rtol:g}, atol {atol:g}"
    print(f"{len(tables) - len(differences)} of {len(tables)} tables agree ({tolerance})" if differences
          else f"every table agrees ({len(tables)} tables; {tolerance})")
    return 1 if differences else 0


def _validate(args) -> int:
    from ..compute.execution import Execution
    from .config import load_config
    from .experiment import check_budget, prepare

    config = load_config(args.config)
    table, _, derived = prepare(config)
    execution = Execution(n_jobs=config.run.n_jobs, backend=config.run.backend, scheduler=config.run.scheduler)
    expected = check_budget(config, table, execution, derived=derived)
    source = "records" if config.data.records is not None else "data"
    sections = ", ".join([source, "capability", "dynamism", *config.analyses])
    print(
        f"{args.config}: valid ({table.n_technologies} technologies, "
        f"{len(table.indicators)} indicators; sections: {sections}; computing estimated at "
        f"{expected.describe()})"
    )
    if derived is not None:
        print(f"{'records' if config.data.records is not None else 'ipc_lists'}: {derived.summary()}")
    return 0


def _reproduce(args) -> int:
    from ..analyses import reproduce as paper_reproduction
    from ..io.manifest import package_versions, seal_manifest
    from ..io.results import write_csv
    from ..io.staging import staged_directory

    if args.records:
        from_records = paper_reproduction.reproduce_paper_records()
        reproduction = from_records.table3
        print(from_records.report())
    else:
        from_records = None
        reproduction = paper_reproduction.reproduce_paper()
        print(reproduction.report())
    passed = reproduction.passed if from_records is None else from_records.passed
    if args.out is not None:
        with staged_directory(args.out) as stage:
            write_csv(reproduction.scores, stage.path / "reproduction.csv")
            write_csv(reproduction.weights, stage.path / "reproduction_weights.csv")
            if from_records is not None:
                write_csv(from_records.table2, stage.path / "reproduction_table2.csv")
                write_csv(from_records.derived.indicators, stage.path / "indicators.csv")
                write_csv(from_records.derived.ipc_top, stage.path / "ipc_top.csv")
            seal_manifest(stage.path, {"command": "robust reproduce" + (" --records" if args.records else ""),
                                       "passed": passed, "tolerance": reproduction.tolerance,
                                       "versions": package_versions()})
        print(f"wrote {args.out}/" + _carried_text(stage.carried))
    return 0 if passed else 1


class Terminated(KeyboardInterrupt):
    """SIGTERM arrived: handled as an interrupt (staging folders removed, workers stopped)."""


def _terminate(signum, frame):
    raise Terminated()


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``robust`` command; returns the exit status."""
    args = build_parser().parse_args(argv)
    handlers = {"run": _run, "reproduce": _reproduce, "validate": _validate, "plot": _plot, "compare": _compare}
    with warnings.catch_warnings(), _handling_sigterm():
        warnings.simplefilter("always", RobustWarning)
        warnings.simplefilter("always", DeprecatedOptionWarning)
        warnings.showwarning = _WarningPrinter()
        try:
            return handlers[args.command](args)
        except InputError as error:
            print(f"robust: error: {error}", file=sys.stderr)
            return 2
        except Terminated:
            print("robust: terminated (SIGTERM); nothing half-written was left", file=sys.stderr)
            return 128 + signal.SIGTERM
        except KeyboardInterrupt:
            print("robust: interrupted; nothing half-written was left", file=sys.stderr)
            return 130
        except BrokenPipeError:  # the reader of our output went away (e.g. `robust reproduce | head`)
            import os

            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # no second error at exit
            return 0


@contextlib.contextmanager
def _handling_sigterm():
    """SIGTERM raises :class:`Terminated` in the main thread while the command runs."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGTERM, _terminate)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous if previous is not None else signal.SIG_DFL)
