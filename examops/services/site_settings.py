"""The settings a site keeps in its store, by key (free of the store: the one-shot lane reads them too)."""

PLAN_KEY = "plan_toml"
POLICY_KEY = "policy_toml"
STORE_ID_KEY = "store_id"
