from anklet.report.reading import (
    bilateral_sentences,
    largest_asymmetry_sentences,
    overall_sentence,
    parameter_sentence,
)


def _item(left, right, si, flag=None, note=None, ci=(1.0, 2.0)):
    return {"left": left, "right": right, "symmetry_index_pct": si, "symmetry_index_ci95": list(ci),
            "flag": flag, "note": note}


def test_right_longer_is_said_in_words_with_the_relative_difference():
    sentence = parameter_sentence("stance_time", "s", _item(0.60, 0.648, 7.69, ci=(6.5, 8.9)))
    assert sentence.startswith("Right stance time is 8.0 % longer than left")
    assert "SI +7.7 %" in sentence and "+6.5 to +8.9" in sentence
    assert "within the typical healthy range" in sentence


def test_flagged_and_uncertain_values_say_so():
    flagged = parameter_sentence("swing_time", "s", _item(0.5, 0.4, -22.2, flag="outside typical healthy range"))
    assert flagged.startswith("Left swing time is 25.0 % longer than right")
    assert "outside the typical healthy range" in flagged
    uncertain = parameter_sentence("cadence", "steps/min", _item(100, 111, 10.4, flag="outside ...; uncertain: ..."))
    assert "higher" in uncertain and "reaches into that range" in uncertain
    assert "unreliable" in parameter_sentence("swing_time", "s", _item(0.5, 0.5, 0.0, note="unreliable: only 4"))


def test_a_difference_within_the_measured_accuracy_is_said_to_be_unresolved():
    within = parameter_sentence("step_time", "s", _item(0.55, 0.56, 1.8), accuracy_si_pct=2.17)
    assert within.endswith("This is within anklet's measured accuracy for step time (2.2 SI points), "
                           "so the data do not show a difference.")
    for sentence in (parameter_sentence("step_time", "s", _item(0.55, 0.58, 5.3), accuracy_si_pct=2.17),
                     parameter_sentence("step_time", "s", _item(0.55, 0.56, 1.8)),
                     parameter_sentence("step_time", "s", _item(0.55, 0.55, 0.5), accuracy_si_pct=2.17)):
        assert "measured accuracy" not in sentence
    sentences = largest_asymmetry_sentences({"step_time": _item(0.55, 0.56, 1.8)}, {"step_time": "s"},
                                            accuracy_si_pct={"step_time": 2.17})
    assert "measured accuracy" in sentences[0]


def test_no_si_no_sentence_and_largest_first():
    assert parameter_sentence("flight_time", "s", _item(0.0, 0.0, None)) is None
    asymmetry = {"stride_time": _item(1.0, 1.0, 0.2), "swing_time": _item(0.4, 0.44, 9.5),
                 "contact_time": _item(0.6, 0.7, 15.4), "stance_time": _item(0.6, 0.63, 4.9)}
    units = {"stride_time": "s", "swing_time": "s", "contact_time": "s", "stance_time": "s"}
    sentences = largest_asymmetry_sentences(asymmetry, units, count=2)
    assert [s.split(" is ")[0] for s in sentences] == ["Right swing time", "Right stance time"]


def test_bilateral_and_overall():
    bilateral = {"gait_asymmetry": 7.7, "gait_asymmetry_ci95": [6.9, 8.5], "phase_coordination_index_pct": 3.7,
                 "phase_coordination_index_ci95": [2.9, 4.5],
                 "flags": ["gait asymmetry 7.7 is outside typical healthy range (<= 5)"]}
    ga, pci = bilateral_sentences(bilateral)
    assert "7.7" in ga and "outside" in ga
    assert "3.7 %" in pci and "within" in pci
    assert overall_sentence({"swing_time": _item(0.4, 0.5, 22.2, flag="x")}, bilateral).endswith("swing time, GA.")
    assert overall_sentence({}, {"flags": []}).startswith("No left/right difference")
