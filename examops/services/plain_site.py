"""The site as the SQLAlchemy-free SQLite paths read it (a one-shot `check CODE`, a first roster import): the plan,
policy and drill clock read from the store as `Site.open` reads them, and nothing of the lane's check imported."""

from __future__ import annotations

from dataclasses import dataclass

from examops.adapters.one_shot_store import OneShotStore
from examops.domain.plan import Plan, parse_plan
from examops.domain.policy import Policy, load_policy
from examops.services.clock import DRILL_KEY, Clock, joined_clock
from examops.services.site_settings import PLAN_KEY, POLICY_KEY


@dataclass
class OneShotSite:
    """What the CLI's words need of the site: its plan (language), policy (codes) and clock (times shown)."""

    plan: Plan
    policy: Policy
    clock: Clock
    override: str | None = None


def read_site(store: OneShotStore) -> OneShotSite | None:
    """The plan, policy and clock as `Site.open` reads them; None where it would write (a drill to begin)."""
    plan_text = store.setting(PLAN_KEY)
    if plan_text is None:
        return None
    plan = parse_plan(plan_text, "stored plan")
    policy = load_policy(plan.policy_preset, text=store.setting(POLICY_KEY))
    clock = joined_clock(plan.timezone, store.setting(DRILL_KEY))
    return None if clock is None else OneShotSite(plan, policy, clock)
