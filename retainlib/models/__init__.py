"""Closed-form CLV models: BG/NBD purchase counts and Gamma-Gamma spend."""

from retainlib.models.betageo import BetaGeoModel
from retainlib.models.gammagamma import GammaGammaModel

__all__ = ["BetaGeoModel", "GammaGammaModel"]
