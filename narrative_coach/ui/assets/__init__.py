"""Icons and the sample speech, shipped inside the package (read with importlib.resources)."""
