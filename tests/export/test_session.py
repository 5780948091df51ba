from __future__ import annotations

import json

from anklet.export import session_from_recording
from anklet.export.session import REDACTED_MARKER_TEXT, session_to_json
from anklet.recording import Recording

from .conftest import SECRET_ADDRESS, SECRET_MARKER, SECRET_NAME, SECRET_NOTES, START


def test_identifying_fields_are_left_out_by_default(identifying_recording: Recording) -> None:
    session = session_from_recording(identifying_recording)
    text = json.dumps(session_to_json(session))
    for secret in (SECRET_ADDRESS, SECRET_NAME, SECRET_NOTES, SECRET_MARKER, "jane_roe", "2026-03-04"):
        assert secret not in text
    assert session.subject_id == "S07" and session.activity == "overground walk"
    assert session.sensors["left"].protocol == "movesense" and session.sensors["left"].config == {
        "sampling_rate_hz": 208
    }
    assert [(m.time_s, m.text) for m in session.markers] == [(4.0, REDACTED_MARKER_TEXT)]


def test_identifying_fields_kept_on_request(identifying_recording: Recording) -> None:
    session = session_from_recording(identifying_recording, include_identifying=True)
    document = session_to_json(session)
    assert document["notes"] == SECRET_NOTES
    assert document["start_time_utc"] == START.isoformat()
    assert document["sensors"]["left"]["address"] == SECRET_ADDRESS
    assert document["sensors"]["left"]["name"] == SECRET_NAME
    assert document["markers"] == [{"time_s": 4.0, "text": SECRET_MARKER}]
    assert document["source_file"] == "jane_roe.anklet"
    assert document["recording_config"] == {"left": SECRET_ADDRESS}
