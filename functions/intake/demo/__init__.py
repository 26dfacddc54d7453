"""A synthetic city for local mode at full size and the benchmark (`choju demo-data`): persons and 住基異動
files, never real people. Not used by the deployed functions."""

from functions.intake.demo.files import change_rows, write_file
from functions.intake.demo.population import load_population, my_number_of, population

__all__ = ["change_rows", "load_population", "my_number_of", "population", "write_file"]
