"""Personal data: e-mail addresses and Finnish phone numbers, without false alarms."""

from __future__ import annotations

import pytest

from policycheck.rules.personal_data import find_personal_data


@pytest.mark.parametrize(
    "text",
    [
        "matti.virtanen@hel.fi",
        "laura.example-name(at)hel.fi",
        "iina.example(a)hel.fi",
        "etunimi.sukunimi[at]hel.fi",
        "someone @ example.org",
    ],
)
def test_email_addresses_are_found(text: str) -> None:
    assert "e-mail address" in find_personal_data(f"Contact: {text}.")


@pytest.mark.parametrize(
    "text",
    [
        "040 123 4567",
        "0401234567",
        "050-123 4567",
        "+358 40 123 4567",
        "+358401234567",
        "(09) 310 1234",
        "09 310 23116",
        "puhelin: 310 23116",
        "puh. 310 12345",
        "tel. +358 9 310 1234",
        "soita 040 717641520.09.2022",  # number glued to a date, as on a city page
        "huone 12 040 123 4567",
    ],
)
def test_phone_numbers_are_found(text: str) -> None:
    assert "phone number" in find_personal_data(text)


@pytest.mark.parametrize(
    "text",
    [
        "HEL 2017-010458",
        "HEL-2017-010458",
        "HEL 2017-040458",
        "§ 11",
        "T 04 00 00",
        "2017-12-31",
        "31.12.2017",
        "1.10.2005",
        "G_040_123_4567",
        "kaupunkistrategia 2017–2021",
        "ECHA työllistää noin 600 asiantuntijaa",
        "MAL-sopimuksessa vuosille 2016–2019",
        "14 kunnan yhteistyö, 6 ja 10 suurinta kaupunkia",
        "Hallintosäännön 8 luvun 2 §",
        "https://www.hel.fi/fi/paatoksenteko-ja-hallinto",
    ],
)
def test_ids_dates_and_numbers_are_not_personal_data(text: str) -> None:
    assert find_personal_data(text) == []
