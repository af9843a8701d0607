"""`examops device key|enrol|revoke|list`: which laptops' keys may sign this site's log (the chief's PIN enrols)."""

from __future__ import annotations

import getpass

import click

from examops.cli.common import Failure, chief_pin, emit, open_site, say
from examops.cli.help_words import JSON_HELP, argument, group, option
from examops.i18n import N_, _


@group(help=N_("Enrolled devices: each laptop signs its events with its own key."))
def device() -> None:
    pass


@device.command("key", help=N_("This laptop's public key for the site: give it to the chief to enrol (`examops device enrol`)."))
@option("--json", "as_json", is_flag=True, help=JSON_HELP)
@click.pass_context
def key_command(ctx: click.Context, as_json: bool) -> None:
    from examops.services.devices import this_laptop_identity

    site = open_site(ctx, check=False)
    info = this_laptop_identity(site)
    emit(info, as_json, _("{laptop}  {key}  ({fingerprint}): give this line to the chief proctor to enrol").format(
        laptop=info["laptop"], key=info["public_key"], fingerprint=info["fingerprint"]))


@device.command("enrol", help=N_("At the chief's desk: let a lane laptop's key sign events (the chief's PIN)."))
@argument("public_key", help=N_("The lane laptop's public key, as `examops device key` printed it there."))
@option("--laptop", required=True, help=N_("The lane laptop's name, as `examops device key` printed it there."))
@option("--by", default=None, help=N_("Who enrols (default: this login)."))
@click.pass_context
def enrol_command(ctx: click.Context, public_key: str, laptop: str, by: str | None) -> None:
    from examops.services.devices import enrol
    from examops.services.site import SiteError

    site = open_site(ctx)
    who = by or getpass.getuser()
    if not site.check_pin(chief_pin(), who=who, purpose="enrol a device"):
        raise Failure(_("wrong PIN: nothing enrolled (the attempt is logged)"))
    try:
        enrol(site, public_key, laptop, by=who)
    except SiteError as exc:
        raise Failure(exc) from None
    say(_("enrolled {laptop}: its events now count as signed").format(laptop=laptop))


@device.command("revoke", help=N_("At the chief's desk: a lost or misused laptop's key signs nothing from now on (the chief's PIN)."))
@argument("public_key", help=N_("The key to revoke, as it was enrolled."))
@option("--reason", required=True, help=N_("Why the key is revoked (laptop lost, misused…)."))
@option("--by", default=None, help=N_("Who revokes (default: this login)."))
@click.pass_context
def revoke_command(ctx: click.Context, public_key: str, reason: str, by: str | None) -> None:
    from examops.services.devices import revoke
    from examops.services.site import SiteError

    site = open_site(ctx)
    who = by or getpass.getuser()
    if not site.check_pin(chief_pin(), who=who, purpose="revoke a device"):
        raise Failure(_("wrong PIN: nothing revoked (the attempt is logged)"))
    try:
        revoke(site, public_key, reason=reason, by=who)
    except SiteError as exc:
        raise Failure(exc) from None
    say(_("revoked: that key signs nothing from now on"))


COMMANDS = (device,)
