"""`python -m etl`: the command line of the ETL."""
import sys

from etl.cli import main

sys.exit(main())
