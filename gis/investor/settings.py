"""The kommune file's [investor] section: public business contact and form limits."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, EmailStr, Field, ValidationError

from gis.config import ConfigError, KommuneConfig, describe_validation_error


class InvestorSettings(BaseModel):
    """Settings of the investor pages, with defaults for a kommune that sets none."""

    # The kommune's business contact, shown on every fact sheet (public by definition).
    contact_name: str | None = None
    contact_email: EmailStr | None = None
    contact_phone: str | None = None
    contact_url: str | None = None
    # Working days within which the kommune answers an interest request (told on the thanks page).
    interest_response_days: int = Field(default=5, ge=1, le=60)
    # Interest requests accepted per sender address within the window.
    interest_limit: int = Field(default=5, ge=1, le=1000)
    interest_window_seconds: int = Field(default=3600, ge=60, le=86400)


def investor_settings(kommune: KommuneConfig) -> InvestorSettings:
    """The [investor] section, validated; a ConfigError names the bad key."""
    raw: Any = kommune.extra.get("investor", {})
    try:
        return InvestorSettings.model_validate(raw)
    except ValidationError as exc:
        raise ConfigError(f"[investor]: {describe_validation_error(exc)}") from exc
