"""Logger upload benchmark: throughput and peak memory of the logger against curl on loopback."""
