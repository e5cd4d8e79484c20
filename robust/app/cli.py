"""The ``robust`` command: a thin layer over the Python API.

Exit status: 0 on success, 1 when ``robust reproduce`` does not reproduce the paper,
2 for bad input (one line on stderr naming the file, key, column or row), 130 when
interrupted.
"""

from __future__ import annotations

import argparse
import sys
import warnings
from pathlib import Path

from ..compute.execution import BACKENDS
from ..core.errors import DegenerateWarning, InputError
from ..io.manifest import MANIFEST
from ..version import __version__

EXAMPLES_RUN = """examples:
  robust run experiments/paper.toml                 # writes results/paper/
  robust run my_study.toml --out out/my_study --seed 7 --jobs 2
  robust run big.toml --backend dask --scheduler tcp://10.0.0.5:8786
"""
EXAMPLES_PLOT = """examples:
  robust plot results/paper                         # redraws results/paper/figures/ and the report
"""
EXAMPLES_VALIDATE = """examples:
  robust validate experiments/paper.toml            # checks config and data, runs nothing
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
    run.add_argument("--out", type=Path, help="result folder (default results/<config stem>/)")
    run.add_argument("--seed", type=_non_negative_int, help="overrides [run] seed")
    run.add_argument("--jobs", type=_jobs, help="parallel workers, overrides [run] n_jobs")
    run.add_argument("--backend", choices=BACKENDS,
                     help="joblib backend, overrides [run] backend (dask needs robust[dask])")
    run.add_argument("--scheduler", metavar="ADDRESS",
                     help="dask scheduler address, e.g. tcp://host:8786 (with --backend dask; "
                     "default: a local cluster)")
    run.add_argument("--quiet", action="store_true", help="no progress bars")

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
        text = str(message) if issubclass(category, DegenerateWarning) else f"{category.__name__}: {message}"
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
        config, out_dir=args.out, seed=args.seed, n_jobs=args.jobs, backend=args.backend,
        scheduler=args.scheduler, progress=not args.quiet,
    )
    if summary.kept:
        print(f"kept {summary.out_dir}/ as it was: it already holds the results of this config, data "
              f"and seed (every table agrees within rtol {RTOL:g}, atol {ATOL:g}); "
              f"`robust plot {summary.out_dir}` redraws its figures and report")
    else:
        print(f"wrote {summary.out_dir}/ ({len(summary.files)} files); seed {summary.seed}")
    return 0


def _plot(args) -> int:
    from .experiment import redraw

    if not (args.result_dir / MANIFEST).is_file():
        raise InputError(f"{args.result_dir}: not a result folder (no {MANIFEST})")
    written = redraw(args.result_dir)
    print(f"redrew {len(written)} files (figures and report) in {args.result_dir}/")
    return 0


def _validate(args) -> int:
    from .config import load_config
    from .experiment import prepare

    config = load_config(args.config)
    table, _, derived = prepare(config)
    source = "records" if config.data.records is not None else "data"
    sections = ", ".join([source, "capability", "dynamism", *config.analyses])
    print(
        f"{args.config}: valid ({table.n_technologies} technologies, "
        f"{len(table.indicators)} indicators; sections: {sections})"
    )
    if derived is not None:
        print(f"{'records' if config.data.records is not None else 'ipc_lists'}: {derived.summary()}")
    return 0


def _reproduce(args) -> int:
    from ..analyses import reproduce as paper_reproduction
    from ..io.manifest import package_versions
    from ..io.results import write_csv, write_json
    from ..io.staging import staged_directory

    if args.records:
        from_records = paper_reproduction.reproduce_paper_records()
        reproduction = from_records.table3
        print(from_records.report())
    else:
        from_records = None
        reproduction = paper_reproduction.reproduce_paper()
        print(reproduction.report())
    if args.out is not None:
        with staged_directory(args.out) as stage:
            write_csv(reproduction.scores, stage.path / "reproduction.csv")
            write_csv(reproduction.weights, stage.path / "reproduction_weights.csv")
            if from_records is not None:
                write_csv(from_records.table2, stage.path / "reproduction_table2.csv")
                write_csv(from_records.derived.indicators, stage.path / "indicators.csv")
                write_csv(from_records.derived.ipc_top, stage.path / "ipc_top.csv")
            write_json(
                {"command": "robust reproduce" + (" --records" if args.records else ""),
                 "passed": reproduction.passed if from_records is None else from_records.passed,
                 "tolerance": reproduction.tolerance, "versions": package_versions()},
                stage.path / MANIFEST,
            )
        print(f"wrote {args.out}/")
    return 0 if (reproduction.passed if from_records is None else from_records.passed) else 1


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``robust`` command; returns the exit status."""
    args = build_parser().parse_args(argv)
    handlers = {"run": _run, "reproduce": _reproduce, "validate": _validate, "plot": _plot}
    with warnings.catch_warnings():
        warnings.simplefilter("always", DegenerateWarning)
        warnings.showwarning = _WarningPrinter()
        try:
            return handlers[args.command](args)
        except InputError as error:
            print(f"robust: error: {error}", file=sys.stderr)
            return 2
        except KeyboardInterrupt:
            print("robust: interrupted; no result folder was written", file=sys.stderr)
            return 130
