"""Layer 1: Django apps by domain. Writes go through each app's services, reads through queries."""
