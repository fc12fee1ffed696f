"""The demo data set's generator, one module a file family (entry point: tools/make_demo.py).

- ``common``: the real boundaries and water as read, random streams, names,
  writers, sampling points on land;
- ``areas``: stadsdelar, the organisation over time, population;
- ``water``: Mälaren and Saltsjön, and the flood zones along Mälaren;
- ``routes``: the dangerous-goods routes, split at tunnels;
- ``facilities``: samhällsviktig verksamhet;
- ``surveys``: the city's and the police's safety surveys, lokalpolisområden;
- ``incidents``: the city's incident reports, declared crisis levels, police-reported crime;
- ``actors``: actors and their areas of responsibility;
- ``risks``: the RSA register.
"""
