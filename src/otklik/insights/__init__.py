"""What to learn from complaints: causes over time, per product, spikes, and a report with plots."""

from otklik.insights.complaints import ComplaintStats, Spike, complaint_stats

__all__ = ["ComplaintStats", "Spike", "complaint_stats"]
