"""Statistics for the system for innovation: PDSA effects, run charts and survey comparisons.

Public API (import from here, never from the private modules):

- :func:`estimate_effect` (chooses the method), :func:`welch_effect`,
  :func:`cluster_bootstrap_effect` and the :class:`Effect` they return, with its warnings;
- :func:`run_chart` (median line, shifts, trends, number of runs) and :class:`RunChart`;
- :func:`rank_proposals` and :func:`kendall_w` (design competitions: ranking and reviewer
  agreement);
- :func:`compare_items` (share in the top categories against a benchmark, pooled two-proportion
  z-test, Holm correction), :func:`two_proportion_test`, :func:`holm` and :class:`ItemComparison`.

No Django: plain sequences in, frozen dataclasses out.
"""

from pathways.engines.stats._agreement import Ranked, kendall_w, rank_proposals
from pathways.engines.stats._effect import (
    BOOTSTRAP_MIN_CLUSTERS,
    SMALL_SAMPLE,
    Effect,
    cluster_bootstrap_effect,
    estimate_effect,
    welch_effect,
)
from pathways.engines.stats._runchart import RunChart, run_chart
from pathways.engines.stats._survey import (
    ItemComparison,
    compare_items,
    holm,
    top_share,
    two_proportion_test,
)

__all__ = [
    "BOOTSTRAP_MIN_CLUSTERS",
    "SMALL_SAMPLE",
    "Effect",
    "ItemComparison",
    "Ranked",
    "RunChart",
    "cluster_bootstrap_effect",
    "compare_items",
    "estimate_effect",
    "holm",
    "kendall_w",
    "rank_proposals",
    "run_chart",
    "top_share",
    "two_proportion_test",
    "welch_effect",
]
