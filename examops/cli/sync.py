"""`examops sync export|merge`: offline bundles between lanes and the site store."""

from __future__ import annotations

import click

from examops.cli.common import Failure, emit, open_site, speak_site_language


@click.group()
def sync() -> None:
    """Carry events between stores without a network."""


@sync.command("export")
@click.option("--out", required=True, type=click.Path(dir_okay=False), help="The bundle to write, e.g. LANE-A.examops")
@click.option("--all", "everything", is_flag=True, help="Every event of this store's devices, not just those since the last export.")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def export_command(ctx, out, everything, as_json) -> None:  # noqa: ANN001
    """Write this store's own events since its last export into a bundle."""
    from examops.services.bundles import export_bundle

    info = export_bundle(open_site(ctx), out, everything=everything)
    emit(info, as_json, f"{info['events']} event(s) from {len(info['devices'])} device(s) → {info['out']}")


@sync.command("merge")
@click.argument("bundles", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def merge_command(ctx, bundles, as_json) -> None:  # noqa: ANN001
    """Merge bundles into this store: idempotent, chain-checked, conflicts flagged for the chief proctor."""
    from examops.services.bundles import BundleError, merge_bundles

    site = open_site(ctx)
    speak_site_language(site)
    try:
        results = merge_bundles(site, bundles)
    except BundleError as exc:
        raise Failure(exc) from None
    lines = [f"{r['bundle']}: {r['new']} new, {r['already']} already here, {len(r['conflicts'])} conflict(s)" for r in results]
    for result in results:
        lines += [f"  CONFLICT {c['ticket']} ({c['session']}): lane {c['kept_lane']} and lane {c['conflicting_lane']}"
                  for c in result["conflicts"]]
    emit({"merged": results}, as_json, "\n".join(lines))


COMMANDS = (sync,)
