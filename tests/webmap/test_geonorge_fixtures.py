"""The stand-in search answers have exactly the fields of Kartverket's documented responses."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

GEONORGE = Path(__file__).resolve().parents[1] / "data" / "geonorge"

# The documented response schemas (sources in tests/data/geonorge/README.md).
ADDRESS_METADATA = {"asciiKompatibel", "side", "sokeStreng", "totaltAntallTreff", "treffPerSide",
                    "viserFra", "viserTil"}
ADDRESS = {"adressekode", "adressenavn", "adressetekst", "adressetekstutenadressetilleggsnavn",
           "adressetilleggsnavn", "bokstav", "bruksenhetsnummer", "bruksnummer", "festenummer",
           "gardsnummer", "kommunenavn", "kommunenummer", "nummer", "objtype",
           "oppdateringsdato", "postnummer", "poststed", "representasjonspunkt",
           "stedfestingverifisert", "undernummer"}
ADDRESS_POINT = {"epsg", "lat", "lon"}
PLACE_METADATA = {"side", "sokeStreng", "totaltAntallTreff", "treffPerSide", "utkoordsys",
                  "viserFra", "viserTil"}
PLACE = {"fylker", "kommuner", "navneobjekttype", "navnestatus", "representasjonspunkt",
         "skrivemåte", "skrivemåtestatus", "språk", "stedsnummer", "stedstatus"}
PLACE_POINT = {"koordsys", "nord", "øst"}


def _load(name: str) -> Any:
    return json.loads((GEONORGE / name).read_text(encoding="utf-8"))


def test_address_answer_has_the_documented_fields() -> None:
    answer = _load("adresser_asker.json")
    assert set(answer) == {"metadata", "adresser"}
    assert set(answer["metadata"]) == ADDRESS_METADATA
    assert answer["metadata"]["totaltAntallTreff"] == len(answer["adresser"])
    for address in answer["adresser"]:
        assert set(address) == ADDRESS
        assert set(address["representasjonspunkt"]) == ADDRESS_POINT
        assert address["representasjonspunkt"]["epsg"] == "EPSG:4258"
        assert isinstance(address["bruksenhetsnummer"], list)
        assert isinstance(address["kommunenummer"], str) and len(address["kommunenummer"]) == 4


def test_place_name_answer_has_the_documented_fields() -> None:
    answer = _load("stedsnavn_asker.json")
    assert set(answer) == {"metadata", "navn"}
    assert set(answer["metadata"]) == PLACE_METADATA
    assert answer["metadata"]["totaltAntallTreff"] == len(answer["navn"])
    for place in answer["navn"]:
        assert set(place) == PLACE
        assert set(place["representasjonspunkt"]) == PLACE_POINT
        assert all(set(f) == {"fylkesnavn", "fylkesnummer"} for f in place["fylker"])
        assert all(set(k) == {"kommunenavn", "kommunenummer"} for k in place["kommuner"])
