"""Maps: static choropleths and area risk maps, and offline interactive maps.

The plotting libraries are an optional extra (``lagesbild[maps]``):
``import lagesbild`` works without them.
"""

__all__: list[str] = []
