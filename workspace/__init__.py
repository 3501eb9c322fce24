"""The facilitator's workspace: pages that bring her cohort's progress, attendance and certificates together."""
