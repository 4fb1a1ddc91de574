from __future__ import annotations

import json

import pytest
from django.test import Client


class ApiClient:
    """A JSON client for /api/v1 that signs in through the API itself."""

    def __init__(self, token: str | None = None) -> None:
        self.client = Client()
        self.token = token

    def _headers(self) -> dict[str, str]:
        return {"HTTP_AUTHORIZATION": f"Bearer {self.token}"} if self.token else {}

    def get(self, path: str):
        return self.client.get(f"/api/v1{path}", **self._headers())

    def post(self, path: str, body: object | None = None):
        return self.client.post(
            f"/api/v1{path}",
            json.dumps(body or {}),
            content_type="application/json",
            **self._headers(),
        )

    def put(self, path: str, body: object | None = None):
        return self.client.put(
            f"/api/v1{path}",
            json.dumps(body or {}),
            content_type="application/json",
            **self._headers(),
        )


@pytest.fixture
def api(db: None):
    """``api("teacher1")``: an API client holding a fresh token of that demo account."""

    def sign_in(username: str | None = None) -> ApiClient:
        client = ApiClient()
        if username:
            response = client.post(
                "/auth/login", {"username": username, "password": "pathways-demo"}
            )
            assert response.status_code == 200, response.content
            client.token = response.json()["token"]
        return client

    return sign_in
