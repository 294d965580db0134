"""The web layer: thin views over the domain core (HTML in views, JSON in api)."""
