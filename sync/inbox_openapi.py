"""The HTTPS inbox's OpenAPI description, served at ``/v1/openapi.json``.

Hand-written rather than generated: the authentication scheme and the meaning of each status
are the contract devices depend on, and they read better stated once, here.
"""

from __future__ import annotations

from typing import Any

from sync.request_auth import (
    HEADER_CONTENT_SHA256,
    HEADER_DEVICE,
    HEADER_NONCE,
    HEADER_SIGNATURE,
    HEADER_TIMESTAMP,
)

_AUTH_HEADERS = [
    (HEADER_DEVICE, "Enrolled device id (UUID)."),
    (HEADER_TIMESTAMP, "Unix time in seconds; must be within 5 minutes of the inbox clock."),
    (HEADER_NONCE, "32 random hex characters, new for every request."),
    (HEADER_CONTENT_SHA256, "SHA-256 (hex) of the request body; of the empty string for GET."),
    (
        HEADER_SIGNATURE,
        "Base64 Ed25519 signature by the device key over the lines "
        "'fieldkit-inbox-request-v1', method, bundle id, content SHA-256, timestamp, nonce "
        "joined with LF.",
    ),
]


def _error(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    }


def _parameters() -> list[dict[str, Any]]:
    bundle_id = {
        "name": "bundle_id",
        "in": "path",
        "required": True,
        "schema": {"type": "string", "format": "uuid"},
    }
    headers = [
        {
            "name": name,
            "in": "header",
            "required": True,
            "description": text,
            "schema": {"type": "string"},
        }
        for name, text in _AUTH_HEADERS
    ]
    return [bundle_id, *headers]


def openapi_document(max_bundle_bytes: int) -> dict[str, Any]:
    """The OpenAPI 3.1 document for this inbox (the size limit is this instance's own)."""
    delivery = {
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Delivery"}}}
    }
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "fieldkit bundle inbox",
            "version": "1",
            "description": (
                "Receives encrypted case bundles (age files) from enrolled fieldkit devices and "
                "stores them for the Modern Slavery Lead's importer. The inbox holds no "
                "decryption key and never reads bundle contents."
            ),
        },
        "paths": {
            "/v1/health": {
                "get": {"summary": "Liveness check", "responses": {"200": {"description": "Up"}}}
            },
            "/v1/bundles/{bundle_id}": {
                "put": {
                    "summary": "Deliver one bundle (idempotent for identical content)",
                    "parameters": _parameters(),
                    "requestBody": {
                        "required": True,
                        "content": {
                            "application/octet-stream": {
                                "schema": {
                                    "type": "string",
                                    "format": "binary",
                                    "maxLength": max_bundle_bytes,
                                }
                            }
                        },
                    },
                    "responses": {
                        "201": {"description": "Stored durably", **delivery},
                        "200": {"description": "Already held with identical content", **delivery},
                        "400": _error("Bad bundle id, or body does not match its signed SHA-256"),
                        "401": _error("Not authenticated: the one answer for an unknown or "
                                      "revoked device and a missing, bad, stale or replayed "
                                      "request signature"),
                        "409": _error("A different bundle is already held under this id"),
                        "413": _error(f"Body larger than {max_bundle_bytes} bytes"),
                        "503": _error("The enrolled devices file cannot be read or verified"),
                    },
                }
            },
            "/v1/receipts/{bundle_id}": {
                "get": {
                    "summary": "The Lead's signed import receipt for a bundle",
                    "parameters": _parameters(),
                    "responses": {
                        "200": {"description": "Signed import receipt (JSON)"},
                        "401": _error("Not authenticated: the one answer for an unknown or "
                                      "revoked device and a missing, bad, stale or replayed "
                                      "request signature"),
                        "404": _error("No receipt yet"),
                    },
                }
            },
        },
        "components": {
            "schemas": {
                "Delivery": {
                    "type": "object",
                    "properties": {
                        "bundle_id": {"type": "string", "format": "uuid"},
                        "sha256": {"type": "string"},
                        "outcome": {"type": "string", "enum": ["stored", "already_held"]},
                    },
                },
                "Error": {"type": "object", "properties": {"error": {"type": "string"}}},
            }
        },
    }
