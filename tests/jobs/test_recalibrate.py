"""Recalibration refits parameters from the district's evidence, locally or on Dask."""

from __future__ import annotations

import pytest

from pathways.apps.mastery.models import MasteryEstimate, SkillParameters
from pathways.jobs.executors import DaskExecutor
from pathways.jobs.recalibrate import MIN_RESPONSES, extract, recalibrate

pytestmark = pytest.mark.django_db


def test_local_recalibration_stores_identifiable_parameters_with_fit_statistics() -> None:
    partitions, n_responses, n_students = extract()
    run = recalibrate()
    assert run.n_responses == n_responses > 20_000
    assert run.n_students == n_students == 300
    assert run.n_skills == SkillParameters.objects.filter(run=run).count() > 20
    assert 0.6 < run.auc < 1.0
    for params in SkillParameters.objects.filter(run=run):
        assert params.p_guess < 0.5
        assert params.p_slip < 0.5
        assert params.n_responses >= MIN_RESPONSES
    assert sum(len(set(p.skills)) for p in partitions) == run.n_skills


def test_recalibration_replays_estimates_with_the_new_parameters() -> None:
    before = dict(MasteryEstimate.objects.values_list("pk", "p_mastery")[:200])
    recalibrate()
    after = dict(MasteryEstimate.objects.filter(pk__in=list(before)).values_list("pk", "p_mastery"))
    assert MasteryEstimate.objects.count() > 3000
    assert sum(abs(after.get(pk, 0) - p) > 1e-6 for pk, p in before.items()) > 0


@pytest.mark.slow
def test_dask_cluster_gives_the_same_parameters_as_local() -> None:
    from distributed import Client, LocalCluster

    local = recalibrate(seed=3)
    local_params = dict(
        SkillParameters.objects.filter(run=local).values_list("standard_id", "p_learn")
    )
    with (
        LocalCluster(
            n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None
        ) as cluster,
        Client(cluster) as client,
    ):
        remote = recalibrate(executor=DaskExecutor(client), seed=3)
    assert remote.executor.startswith("dask")
    remote_params = dict(
        SkillParameters.objects.filter(run=remote).values_list("standard_id", "p_learn")
    )
    assert remote_params.keys() == local_params.keys()
    assert all(remote_params[k] == pytest.approx(local_params[k]) for k in local_params)
