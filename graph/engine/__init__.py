"""The supply engine: the AND/OR supply model, policies, availability, kill sets and
chokepoints, scenarios, and comparisons. It returns records and reason codes."""
