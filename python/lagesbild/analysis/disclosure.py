"""The disclosure rule, as the analyses import it: :mod:`lagesbild.disclosure`.

One implementation lives in :mod:`lagesbild.disclosure`; this module gives
the analyses (and code written against the earlier name) the same objects.

Examples
--------
>>> import lagesbild.disclosure
>>> from lagesbild.analysis import disclosure
>>> disclosure.disclose is lagesbild.disclosure.disclose
True
"""

from lagesbild.disclosure import (
    describe_rule,
    disclose,
    disclose_table,
    protect_table,
    rule_name,
    withhold_shares,
)

__all__ = [
    "describe_rule",
    "disclose",
    "disclose_table",
    "protect_table",
    "rule_name",
    "withhold_shares",
]
