import pytest

pytestmark = pytest.mark.django_db


def test_list_is_paginated_with_count_next_previous_results(client, territories):
    response = client.get("/api/v1/territories/?country=TN&kind=governorate")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 24
    assert body["next"] is None
    assert body["previous"] is None
    assert len(body["results"]) == 24


def test_result_shape_for_a_tunisian_governorate(client, territories):
    body = client.get("/api/v1/territories/?country=TN&kind=governorate&q=Sousse").json()
    assert body["count"] == 1
    sousse = body["results"][0]
    assert sousse["code"] == "TN-51"
    assert sousse["code_system"] == "iso3166-2"
    assert sousse["kind"] == "governorate"
    assert sousse["country"] == "TN"
    assert sousse["parent"] is None
    assert sousse["name"]["ar"] == "سوسة"
    assert set(sousse["name"]) == {"ar", "fr", "en"}


@pytest.mark.parametrize(
    ("query", "count"),
    [
        ("country=TN&kind=municipality", 350),
        ("country=MA&kind=region", 12),
        ("country=MA&kind=commune", 1503),
        ("country=FR&kind=region", 18),
        ("country=FR&kind=department", 96),
        ("parent=TN-82", 10),
        ("parent=MA-06", 9),
    ],
)
def test_filters_count_exactly(client, territories, query, count):
    body = client.get(f"/api/v1/territories/?{query}&page_size=5").json()
    assert body["count"] == count


def test_morocco_provinces_by_kind_add_up_to_75(client, territories):
    provinces = client.get("/api/v1/territories/?country=MA&kind=province&page_size=1").json()["count"]
    prefectures = client.get("/api/v1/territories/?country=MA&kind=prefecture&page_size=1").json()["count"]
    assert provinces + prefectures == 75


def test_nouaceur_is_in_casablanca_settat_not_where_pycountry_puts_it(client, territories):
    assert client.get("/api/v1/territories/MA-NOU/").json()["parent"] == "MA-06"
    assert client.get("/api/v1/territories/MA-CHT/").json()["parent"] == "MA-09"


def test_search_in_arabic_and_without_accents(client, territories):
    arabic = client.get("/api/v1/territories/?country=TN&kind=governorate&q=مدنين").json()["results"]
    assert [r["code"] for r in arabic] == ["TN-82"]
    latin = client.get("/api/v1/territories/?country=TN&kind=governorate&q=medenine").json()["results"]
    assert [r["code"] for r in latin] == ["TN-82"]


def test_detail_lists_other_codes(client, territories):
    body = client.get("/api/v1/territories/TN-51/").json()
    assert body["code"] == "TN-51"
    assert {"system": "tn-ins", "code": "31"} in body["other_codes"]


def test_unknown_code_is_a_404_with_a_json_error(client, territories):
    response = client.get("/api/v1/territories/XX-99/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 404
    assert response.json() == {"code": "not_found", "message": "Not found.", "extra": {}}


def test_unknown_code_error_is_translated(client, territories):
    response = client.get("/api/v1/territories/XX-99/boundary/", HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 404
    assert response.json()["message"] == "Introuvable."


def test_wrong_kind_is_a_400_listing_the_allowed_values(client, territories):
    response = client.get("/api/v1/territories/?kind=village", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert response.json() == {
        "code": "invalid",
        "message": "The request is not valid.",
        "extra": {
            "fields": {
                "kind": [
                    '"village" is not allowed. Allowed values: governorate, municipality, region, province, '
                    "prefecture, commune, department."
                ]
            }
        },
    }


def test_wrong_country_is_a_400(client, territories):
    response = client.get("/api/v1/territories/?country=DZ")  # no Accept-Language: Arabic, the default
    assert response.status_code == 400
    assert response.json()["message"] == "الطلب غير صالح."
    assert response.json()["extra"]["fields"]["country"] == ["«DZ» غير مسموح به. القيم المسموح بها: TN, MA, FR."]


def test_boundary_is_a_geojson_feature(client, territories):
    response = client.get("/api/v1/territories/TN-82/boundary/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    feature = response.json()
    assert feature["type"] == "Feature"
    assert feature["geometry"]["type"] in {"Polygon", "MultiPolygon"}
    assert feature["properties"]["code"] == "TN-82"


def test_list_query_count_does_not_depend_on_page_size(client, territories, django_assert_num_queries):
    with django_assert_num_queries(2):
        client.get("/api/v1/territories/?country=MA&kind=commune&page_size=5")
    with django_assert_num_queries(2):
        client.get("/api/v1/territories/?country=MA&kind=commune&page_size=200")
