"""The annual lägesbild: one command from the city's data to the report.

Per stadsdelsnämnd the programme's three parts (nulägesbeskrivning, analys
av orsak, bedömning av sannolika följder) as self-contained HTML, Markdown,
JSON and CSV, written atomically.
"""

__all__: list[str] = []
