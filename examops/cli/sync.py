"""`examops sync export|merge`: offline bundles between lanes and the site store."""

from __future__ import annotations

import click

from examops.cli.common import Failure, emit, literal, open_site
from examops.cli.help_words import JSON_HELP, argument, group, option
from examops.i18n import N_, _


@group(help=N_("Carry events between stores without a network."))
def sync() -> None:
    pass


@sync.command("export", help=N_("Write this store's own events since its last export into a bundle."))
@option("--out", required=True, type=click.Path(dir_okay=False), help=N_("The bundle to write, e.g. LANE-A.examops"))
@option("--all", "everything", is_flag=True, help=N_("Every event of this store's devices, not just those since the last export."))
@option("--json", "as_json", is_flag=True, help=JSON_HELP)
@click.pass_context
def export_command(ctx, out, everything, as_json) -> None:  # noqa: ANN001
    from examops.services.bundles import export_bundle

    info = export_bundle(open_site(ctx), out, everything=everything)
    emit(info, as_json, _("{events} event(s) from {devices} device(s) → {path}").format(
        events=info["events"], devices=len(info["devices"]), path=info["out"]))


@sync.command("merge", help=N_("Merge bundles into this store: idempotent, chain-checked, conflicts flagged for the chief proctor."))
@argument("bundles", nargs=-1, required=True, type=click.Path(dir_okay=False),
          help=N_("Bundles that `examops sync export` wrote on other laptops."))
@option("--json", "as_json", is_flag=True, help=JSON_HELP)
@click.pass_context
def merge_command(ctx, bundles, as_json) -> None:  # noqa: ANN001
    from examops.services.bundles import BundleError, merge_bundles

    site = open_site(ctx)
    try:
        results = merge_bundles(site, bundles)
    except BundleError as exc:
        raise Failure(exc) from None
    lines = [_("{bundle}: {new} new, {already} already here, {conflicts} conflict(s)").format(
        bundle=r["bundle"], new=r["new"], already=r["already"], conflicts=len(r["conflicts"])) for r in results]
    for result in results:
        lines += ["  " + _("CONFLICT {ticket} ({session}): lane {kept} and lane {other}").format(
            ticket=literal(c["ticket"]), session=literal(c["session"]), kept=literal(c["kept_lane"]),
            other=literal(c["conflicting_lane"])) for c in result["conflicts"]]
    emit({"merged": results}, as_json, "\n".join(lines))


COMMANDS = (sync,)
