"""A local stand-in for the Ozon, Wildberries and Yandex Market seller APIs (tests, demo, benchmarks)."""

from otklik.fake_marketplace.server import FakeMarketplace
from otklik.fake_marketplace.state import FakeState, Faults

__all__ = ["FakeMarketplace", "FakeState", "Faults"]
