"""Resource pages: school leaders edit blocks, stations, devices, licences and teachers'
availability (each field validated, every change recorded); staff read them; the next instance
uses them."""

from __future__ import annotations

from datetime import time

import pytest
from django.test import Client
from django.utils import timezone

from pathways.apps.roster.models import School
from pathways.apps.scheduling import adapters
from pathways.apps.scheduling.models import (
    Block,
    DevicePool,
    Licence,
    ResourceChange,
    Station,
    TeacherAvailability,
)
from pathways.apps.scheduling.queries import next_school_day

pytestmark = pytest.mark.django_db


def signed_in(username: str) -> Client:
    client = Client()
    response = client.post("/signin/", {"username": username, "password": "pathways-demo"})
    assert response.status_code == 302
    return client


def _cedar() -> School:
    return School.objects.get(sourced_id="demo-cedar-grove")


def _station(name: str) -> Station:
    return Station.objects.get(school=_cedar(), name=name)


def _url(school: School, kind: str = "") -> str:
    return f"/schools/{school.pk}/resources/" + (f"{kind}/" if kind else "")


def _station_data(station: Station, **changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "id": station.pk,
        "name": station.name,
        "modality": station.modality,
        "capacity": station.capacity,
        "tables": station.tables,
        "min_group": station.min_group or "",
        "action": "save",
    }
    data.update(changes)
    return data


def _blocks(school: School, **changed: tuple[str, str, str]) -> dict[str, object]:
    """The blocks form as the page posts it; ``changed`` replaces rows by key ("block-1")."""
    data: dict[str, object] = {}
    blocks = list(Block.objects.filter(school=school).order_by("position"))
    for n, block in enumerate(blocks):
        key = f"block-{n}"
        label, starts, ends = changed.get(
            key, (block.label, f"{block.starts:%H:%M}", f"{block.ends:%H:%M}")
        )
        data.update(
            {f"{key}-id": block.pk, f"{key}-label": label, f"{key}-starts": starts}
            | {f"{key}-ends": ends}
        )
    new = f"block-{len(blocks)}"
    label, starts, ends = changed.get(new, ("", "", ""))
    data.update({f"{new}-label": label, f"{new}-starts": starts, f"{new}-ends": ends})
    data["block-count"] = len(blocks) + 1
    return data


def test_principal_reads_every_resource_in_a_fixed_number_of_queries(
    django_assert_max_num_queries,
) -> None:
    school = _cedar()
    client = signed_in("principal1")
    client.get(_url(school))  # process-wide caches warm up once
    with django_assert_max_num_queries(24):
        page = client.get(_url(school)).content.decode()
    assert "Laptop bar, Room 202" in page
    assert "MathPath Adaptive" in page
    assert "Laptop carts" in page
    assert 'value="09:45"' in page  # Block B starts
    assert "What the next schedule gets" in page
    assert 'aria-label="Save Tutor booths, Media center"' in page
    assert "Add a station" in page


def test_teachers_and_coaches_read_only_outsiders_get_404() -> None:
    school = _cedar()
    for name in ("teacher1", "coach1"):
        page = signed_in(name).get(_url(school)).content.decode()
        assert "Laptop bar, Room 202" in page
        assert "Read-only" in page
        assert "<fieldset disabled>" in page
        assert "Add a station" not in page
        station = _station("Laptop bar, Room 202")
        response = signed_in(name).post(
            _url(school, "stations"), _station_data(station, capacity=3)
        )
        assert response.status_code == 404
        assert Station.objects.get(pk=station.pk).capacity == station.capacity
    assert signed_in("teacher2").get(_url(school)).status_code == 404
    assert signed_in("student1").get(_url(school)).status_code == 404
    assert signed_in("district1").get(_url(school)).status_code == 200
    assert signed_in("principal1").post(_url(school, "nonsense"), {}).status_code == 404


def test_a_station_capacity_change_is_saved_recorded_and_feeds_the_next_instance() -> None:
    school = _cedar()
    station = _station("Tutor booths, Media center")
    client = signed_in("principal1")
    response = client.post(
        _url(school, "stations"), _station_data(station, capacity=6), HTTP_HX_REQUEST="true"
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert 'id="resources-area"' in page  # what htmx swaps: the forms, capacities, changes
    assert "Tutor booths, Media center saved." in page
    assert "capacity 20 -&gt; 6" in page
    assert "6 seats (after licences and devices)" in page
    assert Station.objects.get(pk=station.pk).capacity == 6
    change = ResourceChange.objects.filter(school=school).first()
    assert change is not None
    assert change.actor is not None
    assert change.actor.username == "principal1"
    assert change.subject == "Tutor booths, Media center"
    assert change.summary == "capacity 20 -> 6"
    day = next_school_day(timezone.localdate())
    instance = adapters.build_instance(school, day).instance
    vt = next(m for m in instance.modalities if m.code == "VT")
    assert vt.capacity == 6
    # Without JavaScript: back to the page with the message.
    again = client.post(_url(school, "stations"), _station_data(station, capacity=7))
    assert again.status_code == 302
    assert "Tutor booths, Media center saved." in client.get(again["Location"]).content.decode()


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"capacity": "-3"}, "capacity", "cannot be negative"),
        ({"capacity": "lots"}, "capacity", "must be a whole number"),
        ({"capacity": ""}, "capacity", "Enter the capacity"),
        ({"min_group": "12"}, "min_group", "cannot be larger than the capacity (8)"),
        ({"name": "Laptop bar, Room 202"}, "name", "Another station is already called"),
        ({"modality": "XX"}, "modality", "Choose what the station is for"),
        ({"tables": "2"}, "tables", "Only peer-table stations have tables"),
        ({"capacity": "0"}, "capacity", "must be at least 1"),
    ],
)
def test_station_mistakes_are_shown_next_to_the_field_and_nothing_changes(
    changes: dict[str, str], field: str, message: str
) -> None:
    school = _cedar()
    station = _station("Small-group table, Room 101")
    response = signed_in("principal1").post(
        _url(school, "stations"), _station_data(station, **changes), HTTP_HX_REQUEST="true"
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert f'id="station-{station.pk}-{field}-error"' in page
    assert message in page
    assert f'id="station-{station.pk}-{field}" name="{field}"' in page
    assert "Not saved" in page
    fresh = Station.objects.get(pk=station.pk)
    assert (fresh.name, fresh.capacity, fresh.min_group) == (
        station.name,
        station.capacity,
        station.min_group,
    )
    assert not ResourceChange.objects.filter(school=school).exists()


def test_stations_are_added_and_removed() -> None:
    school = _cedar()
    client = signed_in("district1")
    new = {"name": "Reading nook", "modality": "IP", "capacity": "12", "tables": "0"}
    assert client.post(_url(school, "stations"), new).status_code == 302
    nook = _station("Reading nook")
    assert nook.capacity == 12
    assert (
        client.post(_url(school, "stations"), {"id": nook.pk, "action": "delete"}).status_code
        == 302
    )
    assert not Station.objects.filter(pk=nook.pk).exists()
    summaries = list(ResourceChange.objects.filter(school=school).values_list("summary", flat=True))
    assert summaries == ["removed", "added: independent practice, capacity 12"]
    # A station of another school is not reachable through this one.
    maple = School.objects.get(sourced_id="demo-maple-ridge")
    other = Station.objects.filter(school=maple).first()
    assert other is not None
    assert (
        client.post(_url(school, "stations"), {"id": other.pk, "action": "delete"}).status_code
        == 404
    )


def test_blocks_are_ordered_non_overlapping_and_teachers_follow_them() -> None:
    school = _cedar()
    client = signed_in("principal1")
    url = _url(school, "blocks")
    overlap = client.post(
        url, _blocks(school, **{"block-1": ("Block B", "09:30", "10:20")}), HTTP_HX_REQUEST="true"
    ).content.decode()
    assert 'id="block-1-starts-error"' in overlap
    assert "before Block A ends (09:40): blocks cannot overlap" in overlap
    backwards = client.post(
        url, _blocks(school, **{"block-2": ("Block C", "11:10", "10:30")}), HTTP_HX_REQUEST="true"
    ).content.decode()
    assert 'id="block-2-ends-error"' in backwards
    assert "A block must end after it starts (11:10)" in backwards
    bad_time = client.post(
        url, _blocks(school, **{"block-0": ("Block A", "nine", "09:40")}), HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "Enter a time like 09:40" in bad_time
    assert Block.objects.filter(school=school).count() == 3
    # A new early block becomes the first one; teachers' blocks shift with theirs.
    teacher4 = TeacherAvailability.objects.get(school=school, teacher__username="teacher4")
    assert teacher4.blocks == [0, 2]
    saved = client.post(url, _blocks(school, **{"block-3": ("Early bird", "08:10", "08:50")}))
    assert saved.status_code == 302
    blocks = list(Block.objects.filter(school=school).order_by("position"))
    assert [(b.label, b.starts) for b in blocks[:2]] == [
        ("Early bird", time(8, 10)),
        ("Block A", time(9, 0)),
    ]
    teacher4.refresh_from_db()
    assert teacher4.blocks == [1, 3]
    change = ResourceChange.objects.get(school=school, kind="blocks")
    assert change.summary == "added Early bird 08:10-08:50"
    # Removing a block drops it from the teachers' availability.
    data = _blocks(school)
    data["block-1-delete"] = "1"  # Block A
    assert client.post(url, data).status_code == 302
    teacher4.refresh_from_db()
    assert teacher4.blocks == [2]  # Block C, now third
    assert Block.objects.filter(school=school).count() == 3
    # At least one block stays.
    data = _blocks(school)
    for n in range(3):
        data[f"block-{n}-delete"] = "1"
    page = client.post(url, data).content.decode()
    assert "Keep at least one block" in page
    assert Block.objects.filter(school=school).count() == 3


def test_licences_devices_and_teachers_are_validated_and_saved() -> None:
    school = _cedar()
    client = signed_in("principal1")
    licence = Licence.objects.get(school=school, product="MathPath Adaptive")
    bad = client.post(
        _url(school, "licences"),
        {"id": licence.pk, "product": "", "modality": "TL", "seats": "-1"},
        HTTP_HX_REQUEST="true",
    ).content.decode()
    assert "Enter the product" in bad
    assert "Licences cap seat stations" in bad
    assert "cannot be negative" in bad
    ok = {"id": licence.pk, "product": "MathPath Adaptive", "modality": "AS", "seats": "12"}
    assert client.post(_url(school, "licences"), ok).status_code == 302
    pool = DevicePool.objects.get(school=school)
    none = client.post(
        _url(school, "devices"), {"id": pool.pk, "name": "Carts", "devices": "40"}
    ).content.decode()
    assert "Choose the stations&#x27; modalities that use these devices" in none
    unknown = client.post(
        _url(school, "devices"),
        {"id": pool.pk, "name": "Carts", "devices": "40", "modalities": ["XX", "TL"]},
    ).content.decode()
    assert "Devices are shared by seat stations only" in unknown
    assert (
        client.post(
            _url(school, "devices"),
            {"id": pool.pk, "name": "Laptop carts", "devices": "40", "modalities": ["AS"]},
        ).status_code
        == 302
    )
    pool.refresh_from_db()
    assert (pool.devices, pool.modalities) == (40, ["AS"])
    teacher = TeacherAvailability.objects.get(school=school, teacher__username="teacher7")
    bad_band = client.post(
        _url(school, "teachers"), {"id": teacher.pk, "band": "7", "blocks": ["0", "9"]}
    ).content.decode()
    assert "Choose the grade band they teach" in bad_band
    assert "Choose among the school&#x27;s blocks" in bad_band
    assert (
        client.post(
            _url(school, "teachers"), {"id": teacher.pk, "band": "0", "blocks": ["2"]}
        ).status_code
        == 302
    )
    teacher.refresh_from_db()
    assert (teacher.band, teacher.blocks) == (0, [2])
    summaries = set(ResourceChange.objects.filter(school=school).values_list("summary", flat=True))
    assert "seats 35 -> 12" in summaries
    assert "devices 60 -> 40; used by AS+VT -> AS" in summaries
    assert "band Grades 3-5 -> K-2; blocks Block A, Block B -> Block C" in summaries
    day = next_school_day(timezone.localdate())
    instance = adapters.build_instance(school, day).instance
    assert next(m for m in instance.modalities if m.code == "AS").capacity == 12
    teacher7 = next(t for t in instance.teachers if t.id == "teacher7")
    assert list(teacher7.available) == [False, False, True]


def test_a_teacher_of_the_school_is_added_once() -> None:
    school = _cedar()
    client = signed_in("principal1")
    listed = set(
        TeacherAvailability.objects.filter(school=school).values_list(
            "teacher__username", flat=True
        )
    )
    page = client.get(_url(school)).content.decode()
    assert "Add a teacher" in page
    from pathways.apps.scheduling.resources import school_staff

    candidates = [u for u in school_staff(school) if u.username not in listed]
    assert candidates, "the demo school has staff outside the flexible blocks (its principal)"
    who = candidates[0]
    data = {"teacher": who.pk, "band": "1", "blocks": ["0", "1"]}
    assert client.post(_url(school, "teachers"), data).status_code == 302
    assert TeacherAvailability.objects.get(school=school, teacher=who).blocks == [0, 1]
    twice = client.post(_url(school, "teachers"), data).content.decode()
    assert "is already listed" in twice
    stranger = {"teacher": "999999", "band": "1", "blocks": []}
    assert (
        "Choose a teacher of this school"
        in client.post(_url(school, "teachers"), stranger).content.decode()
    )
