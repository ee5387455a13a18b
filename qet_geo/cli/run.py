"""``qet-geo run``: the whole job of a TOML configuration, by
:func:`qet_geo.pipeline.run`."""

from __future__ import annotations

import argparse
import sys

from ..i18n import tr
from ..pipeline import LABELS, Progress, load_config, run, set_output, steps_of, summary_text
from ._common import add_engine, add_lang, engine_of, print_json, warn


def add_parser(commands) -> None:
    job = commands.add_parser(
        "run",
        help="the whole job from a configuration file: survey, footprints, profiles, areas, "
        "constraints, GeoPackages, web map, posters, QGIS project",
    )
    job.add_argument("config", help="TOML configuration (see sample_data/qet-geo.toml)")
    job.add_argument("-o", "--output", help="output folder (default: the configuration's)")
    job.add_argument("--check", action="store_true", help="check the configuration, run nothing")
    job.add_argument(
        "--json",
        action="store_true",
        help="print JSON: what was written, or with --check the steps (problems: exit 2)",
    )
    add_engine(job)  # over the configuration's [run]
    add_lang(job, forum=True)  # it replaces the configuration's language
    job.set_defaults(func=run_command)


def run_command(args: argparse.Namespace) -> int:
    config = load_config(args.config)
    if args.lang:  # the command's --lang before the configuration's
        config[""]["language"] = args.lang
    if args.output:
        set_output(config, args.output)
    partition, engine = engine_of(args, config["run"])  # the options over [run]
    config["run"].update(engine=engine.name, scheduler=engine.scheduler, workers=engine.workers,
                         partition=partition.by,
                         tile=partition.tile if partition.by in ("tile", "auto") else None)  # fmt: skip
    if args.check:
        if args.json:  # what a script reads: the steps and the folder (problems: exit 2)
            print_json({"config": str(args.config), "valid": True, "problems": [],
                        "steps": steps_of(config), "output": str(config.output)})  # fmt: skip
            return 0
        print(tr("{path}: valid; steps: {steps}", path=args.config,
                 steps=", ".join(tr(LABELS[s]) for s in steps_of(config))))  # fmt: skip
        print(tr("outputs in {folder}", folder=config.output))
        return 0
    result = run(config, Progress(len(steps_of(config)), stream=sys.stderr))
    for warning in result.warnings:
        warn(warning)
    if args.json:
        print_json({"written": {k: [str(p) for p in v] for k, v in result.written.items()},
                    "figures": result.figures.to_dict(), "seconds": result.seconds}, default=str)  # fmt: skip
        return 0
    print(summary_text(config, result))
    return 0
