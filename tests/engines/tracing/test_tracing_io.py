"""Model files: readable JSON with a named format; bad files are input errors."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from pathways.engines.errors import InputError
from pathways.engines.tracing import (
    BKT,
    MODEL_FORMAT,
    ResponseLog,
    load_model,
    make_model,
    save_model,
)


@pytest.mark.parametrize("name", ["bkt", "bkt-forgets", "logistic"])
def test_saved_model_loads_with_identical_predictions(
    name: str, small_items_log: ResponseLog, tmp_path: Path
) -> None:
    model = make_model(name, random_state=0).fit(small_items_log)
    save_model(model, tmp_path / "model.json")
    loaded = load_model(tmp_path / "model.json")
    assert type(loaded) is type(model)
    assert np.array_equal(
        loaded.predict_proba(small_items_log), model.predict_proba(small_items_log)
    )


def test_model_file_is_readable_json_with_skill_parameters(
    small_items_log: ResponseLog, tmp_path: Path
) -> None:
    save_model(BKT(random_state=0).fit(small_items_log), tmp_path / "m.json")
    data = json.loads((tmp_path / "m.json").read_text())
    assert data["format"] == MODEL_FORMAT
    assert data["model"] == "bkt"
    assert set(data["skills"]["a"]) >= {"p_init", "p_learn", "p_guess", "p_slip", "n_responses"}


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ("{not json", "not JSON"),
        ('{"format": "something-else/1"}', "expected format"),
        (f'{{"format": "{MODEL_FORMAT}", "model": "dkt"}}', "unknown model"),
        (f'{{"format": "{MODEL_FORMAT}", "model": "bkt"}}', "malformed"),
    ],
)
def test_bad_model_files_are_input_errors(tmp_path: Path, content: str, reason: str) -> None:
    path = tmp_path / "m.json"
    path.write_text(content)
    with pytest.raises(InputError, match=reason):
        load_model(path)
