"""Configuration: one YAML file per client (checked key by key) and batch files of clients."""

from retainlib.config.client import (
    SCHEMA,
    ClientConfig,
    ClvSettings,
    SurveySettings,
    config_reference,
    load_config,
)

__all__ = ["SCHEMA", "ClientConfig", "ClvSettings", "SurveySettings", "config_reference",
           "load_config"]
