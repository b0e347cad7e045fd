"""Demo data: realistic raw export files (several formats and encodings, Chinese headers as a Chinese ERP writes
them) for 2019 to the current month, 2019–2021 reproducing the company's report. Off the loading path: `python
-m etl demo` writes them and loads them through the ordinary load."""
from demo.exports import write_demo_exports

__all__ = ["write_demo_exports"]
