"""The demo schools' flexible day: blocks, stations, devices, licences, teachers' availability,
and tomorrow's schedule solved from the demo's mastery (so `make demo` shows one)."""

from __future__ import annotations

from datetime import time

from django.utils import timezone

from pathways.apps.accounts.models import User
from pathways.apps.roster.models import District, School
from pathways.apps.scheduling.models import (
    Block,
    DevicePool,
    Licence,
    Station,
    TeacherAvailability,
)
from pathways.apps.scheduling.queries import next_school_day
from pathways.apps.scheduling.services import build_schedule

BLOCKS = (
    ("Block A", time(9, 0), time(9, 40)),
    ("Block B", time(9, 45), time(10, 25)),
    ("Block C", time(10, 30), time(11, 10)),
)
# (name, modality, capacity, tables, smallest group)
STATIONS = {
    "elementary": [
        ("Small-group table, Room 101", "TL", 8, 0, 4),
        ("Small-group table, Room 102", "TL", 8, 0, 4),
        ("Small-group table, Room 201", "TL", 8, 0, 4),
        ("Peer tables, Library", "PC", 5, 8, 3),
        ("Quiet practice, Room 103", "IP", 40, 0, 0),
        ("Laptop bar, Room 202", "AS", 30, 0, 0),
        ("Tutor booths, Media center", "VT", 20, 0, 0),
        ("Project studio, Room 203", "PW", 25, 0, 0),
    ],
    "middle": [
        ("Mini-lesson corner, Room 12", "TL", 12, 0, 5),
        ("Mini-lesson corner, Room 14", "TL", 12, 0, 5),
        ("Peer tables, Commons", "PC", 5, 10, 3),
        ("Independent practice, Room 15", "IP", 45, 0, 0),
        ("Chromebook lab, Room 16", "AS", 40, 0, 0),
        ("Tutor carrels, Library", "VT", 30, 0, 0),
        ("Makerspace", "PW", 30, 0, 0),
    ],
}
# Teachers and the blocks they can take (some teach a pull-out group in one block).
TEACHERS = {
    "elementary": [
        ("teacher1", [0, 1, 2]),
        ("teacher3", [0, 1, 2]),
        ("teacher4", [0, 2]),
        ("teacher5", [0, 1, 2]),
        ("teacher6", [1, 2]),
        ("teacher7", [0, 1]),
    ],
    "middle": [("teacher2", [0, 1, 2]), ("teacher8", [0, 1, 2])],
}
BAND = {"elementary": 1, "middle": 2}


def add_demo_scheduling(district: District, *, time_limit: float = 2.0) -> None:
    """Resources for both demo schools, then tomorrow's draft schedule for each."""
    schools = {
        "elementary" if s.sourced_id.endswith("cedar-grove") else "middle": s
        for s in School.objects.filter(district=district)
        if s.sourced_id
    }
    teachers = {
        u.username: u
        for u in User.objects.filter(
            username__in=[n for rows in TEACHERS.values() for n, _ in rows]
        )
    }
    for key, school in schools.items():
        _resources(key, school, teachers)
    day = next_school_day(timezone.localdate())
    for school in schools.values():
        build_schedule(None, school, day, time_limit=time_limit)


def _resources(key: str, school: School, teachers: dict[str, User]) -> None:
    Block.objects.bulk_create(
        Block(school=school, position=i, label=label, starts=start, ends=end)
        for i, (label, start, end) in enumerate(BLOCKS)
    )
    Station.objects.bulk_create(
        Station(
            school=school,
            name=name,
            modality=code,
            capacity=capacity,
            tables=tables,
            min_group=smallest,
        )
        for name, code, capacity, tables, smallest in STATIONS[key]
    )
    seats = 60 if key == "elementary" else 80
    DevicePool.objects.create(
        school=school, name="Laptop carts", devices=seats, modalities=["AS", "VT"]
    )
    Licence.objects.create(school=school, product="MathPath Adaptive", modality="AS", seats=35)
    Licence.objects.create(school=school, product="TutorNow", modality="VT", seats=30)
    TeacherAvailability.objects.bulk_create(
        TeacherAvailability(school=school, teacher=teachers[name], band=BAND[key], blocks=blocks)
        for name, blocks in TEACHERS[key]
    )
